"""A borrower browses the catalogue (目录) the policy lets them see and asks for an item from it; the content opens
only during an approved loan; 档号 may be typed with “.” instead of “·”."""

from __future__ import annotations

import pytest

from zhongshu.archives import services
from zhongshu.archives.models import ArchiveItem, Loan
from zhongshu.archives.selectors import can_read_content, items_for, normalize_archival_code
from zhongshu.core.classification import Classification
from zhongshu.core.errors import ServiceError

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(people):
    return ArchiveItem.objects.get(outgoing__title__contains="元旦春节期间")  # the demo's filed 发文


def _staff(people):
    """An ordinary member of the office without any 档案 role and without a loan."""
    from zhongshu.org.models import User

    return (User.objects.filter(organization=people.clerk.organization, admin_role="", is_active=True, clearance__gte=2)
            .exclude(pk__in=Loan.objects.values("borrower_id")).exclude(username__in=["archivist", "director"]).first())


def test_borrower_browses_the_catalogue_and_requests_an_item(people, web, item):
    staff = _staff(people)
    c = web(staff)
    listing = c.get("/archives/")
    assert listing.status_code == 200 and item.title in listing.content.decode()  # the catalogue entry
    assert items_for(staff).filter(pk=item.pk).exists() and not can_read_content(staff, item)
    page = c.get(f"/archives/{item.pk}/").content.decode()
    assert 'id="loan-request"' in page and "提交借阅申请" in page
    original = item.files.get(role="original")
    assert f"/archives/{item.pk}/files/{original.pk}/" not in page  # no link to the content
    assert c.get(f"/archives/{item.pk}/files/{original.pk}/").status_code == 404
    r = c.post("/archives/loans/", {"archival_code": item.archival_code, "kind": "consult", "purpose": "查阅节日值班安排"})
    assert r.status_code == 302
    loan = Loan.objects.get(item=item, borrower=staff)
    assert loan.status == "pending"
    page = c.get(f"/archives/{item.pk}/").content.decode()
    assert 'id="loan-pending"' in page and 'id="loan-request"' not in page
    services.loan_decide(actor=people.archivist, loan=loan, approve=True)
    assert can_read_content(staff, item)
    assert c.get(f"/archives/{item.pk}/files/{original.pk}/").status_code == 200


def test_navigation_leads_borrowers_to_the_catalogue(people, web):
    html = web(_staff(people)).get("/").content.decode()
    assert 'href="/archives/"' in html


@pytest.mark.parametrize("sep", ["·", ".", "．", "・"])
def test_archival_code_accepts_a_dot(people, item, sep):
    staff = _staff(people)
    typed = item.archival_code.replace("·", sep)
    assert normalize_archival_code(typed) == item.archival_code
    loan = services.loan_request(actor=staff, archival_code=f" {typed} ", purpose="核对")
    assert loan.item_id == item.pk


def test_catalogue_keyword_accepts_a_dot(people, web, item):
    typed = item.archival_code.replace("·", ".")
    html = web(_staff(people)).get("/archives/", {"q": typed}).content.decode()
    assert item.title in html


def test_classified_entries_only_for_the_cleared(people, web, distributed):
    from zhongshu.org.models import User

    doc = distributed(classification=Classification.SECRET, secrecy_period="1年", publicity="not_public",
                      title="某县人民政府办公室关于某保密项目的通知")
    secret = services.item_file_outgoing(actor=people.director, document=doc, retention="D30")
    uncleared = User.objects.filter(organization=people.clerk.organization, clearance=1, admin_role="", is_active=True).first()
    assert not items_for(uncleared).filter(pk=secret.pk).exists()
    assert web(uncleared).get(f"/archives/{secret.pk}/").status_code == 404
    assert secret.title not in web(uncleared).get("/archives/").content.decode()
    with pytest.raises(ServiceError):
        services.loan_request(actor=uncleared, archival_code=secret.archival_code.replace("·", "."), purpose="看看")
    cleared = people.clerk  # 一般涉密
    assert items_for(cleared).filter(pk=secret.pk).exists() and not can_read_content(cleared, secret)


def test_search_does_not_match_content_without_a_loan(people, item):
    from zhongshu.search.registry import SOURCES

    source = SOURCES["archives"]
    staff = _staff(people)
    assert not source.restricted(staff).filter(pk=item.pk).exists()
    assert source.restricted(people.archivist).filter(pk=item.pk).exists()
