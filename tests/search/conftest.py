import itertools

import pytest

_serial = itertools.count(1)


@pytest.fixture
def make_outgoing(people):
    """An 发文 row written directly (the search tests need many, in states the services reach slowly), indexed now."""
    from zhongshu.outgoing.models import OutgoingDocument
    from zhongshu.search.indexing import index_object

    def make(title="测试文件", body="", *, drafter=None, status="draft", classification=0, doc_number="", year=1990,
             department=None, index=True, **extra):
        drafter = drafter or people.clerk
        doc = OutgoingDocument.objects.create(
            organization_id=drafter.organization_id, doc_type="通知", title=title, body=body, drafter=drafter, status=status,
            classification=classification, doc_number=doc_number, number_year=year, drafting_department=department, **extra,
        )
        if index:
            index_object("outgoing", doc.pk)
        return doc

    return make
