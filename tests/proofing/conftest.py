import io

import pytest


@pytest.fixture
def other_org_clerk(people):
    """A clerk of another organization (县委办) than the demo logins (县政府办)."""
    from zhongshu.org.models import User

    clerk = people.clerk
    return User.objects.filter(is_active=True, admin_role="").exclude(organization_id=clerk.organization_id).filter(
        organization__isnull=False
    ).first()


@pytest.fixture
def make_docx():
    """A small .docx whose first paragraph has a bold run holding an ASCII comma."""

    def make(paragraphs=None) -> bytes:
        import docx

        d = docx.Document()
        p = d.add_paragraph()
        bold = p.add_run("经研究,决定")
        bold.bold = True
        p.add_run("召开全县工作会议。")
        for text in paragraphs or ["请各单位按时参加,不得缺席。"]:
            d.add_paragraph(text)
        buf = io.BytesIO()
        d.save(buf)
        return buf.getvalue()

    return make
