"""Issue 15: 份数 below the number of recipients is refused where it is entered (稿纸, API, 核稿), the office corrects
it after 签发 without the signer (audited, no content), and leaders see their organization's issued documents."""

import pytest

from zhongshu.audit.models import AuditEntry
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.flow.models import WorkItem
from zhongshu.flow.services import work_item_approve
from zhongshu.org.models import User
from zhongshu.outgoing import services
from zhongshu.outgoing.models import OutgoingDocument
from zhongshu.outgoing.selectors import documents_for

from .test_outgoing import draft, organ, signed

pytestmark = pytest.mark.django_db


def test_copies_default_to_the_recipients_and_too_few_are_refused_on_the_form(people):
    doc = draft(people)  # two 主送, no 份数 given
    assert doc.copies == 2
    with pytest.raises(ServiceError) as exc:
        draft(people, copies=1)
    assert "copies" in exc.value.fields and "份数（1）少于主送、抄送机关数（2）" in exc.value.message
    with pytest.raises(ServiceError, match="份数"):
        services.outgoing_update(actor=people.clerk, document=doc, cc_recipients=[organ(people.clerk, "市政府办")])
    doc = services.outgoing_update(actor=people.clerk, document=doc, cc_recipients=[organ(people.clerk, "市政府办")], copies=3)
    assert doc.copies == 3


def test_the_draft_page_names_the_field(client, people):
    clerk = people.clerk
    client.force_login(clerk)
    mains = [organ(clerk, "城关镇").pk, organ(clerk, "县财政局").pk]
    resp = client.post("/outgoing/new/", {"doc_type": "通知", "format": "standard", "direction": "down", "classification": 0,
                                          "title": "某县人民政府办公室关于份数测试的通知", "main_recipients": mains, "copies": 1, "publicity": "active"})
    assert resp.status_code == 200 and "份数（1）少于主送、抄送机关数（2）" in resp.content.decode()
    assert not OutgoingDocument.objects.filter(title="某县人民政府办公室关于份数测试的通知").exists()


def test_the_api_refuses_too_few_copies(api, people):
    clerk = people.clerk
    mains = [organ(clerk, "城关镇").pk, organ(clerk, "县财政局").pk]
    resp = api(clerk).post("/api/v1/outgoing/", {"doc_type": "通知", "title": "某县人民政府办公室关于份数接口测试的通知", "main_recipients": mains,
                                                  "copies": 1}, format="json")
    assert resp.status_code == 400 and "copies" in resp.json()["fields"]
    ok = api(clerk).post("/api/v1/outgoing/", {"doc_type": "通知", "title": "某县人民政府办公室关于份数接口测试的通知", "main_recipients": mains},
                         format="json")
    assert ok.status_code == 201 and ok.json()["copies"] == 2


def test_review_step_refuses_a_short_draft(people):
    doc = draft(people)
    services.outgoing_submit(actor=people.clerk, document=doc)
    OutgoingDocument.objects.filter(pk=doc.pk).update(copies=1)  # a 稿纸 saved before the check existed
    item = WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="outgoing", status="pending", kind="todo")
    with pytest.raises(ServiceError, match="份数（1）少于"):
        work_item_approve(actor=item.assignee, item=item, opinion="同意。")
    item.refresh_from_db()
    assert item.status == "pending"
    services.outgoing_update(actor=item.assignee, document=doc, copies=2)  # the 核稿 reviewer (科长, office) fixes the 稿纸
    work_item_approve(actor=item.assignee, item=item, opinion="同意。")


def test_a_printed_and_sealed_document_with_too_few_copies_is_corrected_and_distributed(people, client):
    """The journey of the issue: 编号, 印制, 用印 pass, 分发 refuses — the office corrects the 份数 and distributes."""
    clerk = people.clerk
    doc = signed(people)
    OutgoingDocument.objects.filter(pk=doc.pk).update(copies=1)  # entered before the check existed
    services.outgoing_assign_number(actor=clerk, document=doc)
    services.outgoing_print(actor=clerk, document=doc)
    services.outgoing_seal(actor=clerk, document=doc)
    with pytest.raises(ServiceError, match="份数"):
        services.outgoing_distribute(actor=clerk, document=doc)
    client.force_login(clerk)
    html = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert "更正印制信息" in html and f'action="/outgoing/{doc.pk}/correct/"' in html
    # the signer is not asked again and cannot correct; reason required; still too few refused
    with pytest.raises(PermissionDenied):
        services.outgoing_correct(actor=people.deputy, document=doc, copies=3, reason="补足")
    with pytest.raises(ServiceError, match="说明"):
        services.outgoing_correct(actor=clerk, document=doc, copies=3, reason=" ")
    with pytest.raises(ServiceError, match="份数（1）少于"):
        services.outgoing_correct(actor=clerk, document=doc, copies=1, reason="再试")
    resp = client.post(f"/outgoing/{doc.pk}/correct/", {"copies": 3, "reason": "按分发范围补足份数"}, follow=True)
    assert "已更正印制信息" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.copies == 3 and doc.status == "sealed" and not doc.needs_resign and doc.doc_number
    entry = AuditEntry.objects.filter(action="outgoing.correct").latest("seq")
    assert entry.before == {"copies": 1} and entry.after == {"copies": 3}
    assert doc.title not in str(entry.before) + str(entry.after)
    assert "已分发" in client.post(f"/outgoing/{doc.pk}/distribute/", follow=True).content.decode()
    doc.refresh_from_db()
    assert doc.status == "distributed" and doc.distributions.count() == 2
    assert "correct" not in services.OutgoingPolicy.allowed_actions(clerk, doc)  # closed after 分发


def test_leaders_see_the_issued_documents_of_their_organization(people, client):
    plain = signed(people)  # signed by the deputy on the flow
    secret = signed(people, title="某县人民政府办公室关于涉密事项的通知", classification=Classification.SECRET, publicity="not_public")
    waiting = draft(people, title="某县人民政府办公室关于审核中事项的通知")
    services.outgoing_submit(actor=people.clerk, document=waiting)
    other = User.objects.get(real_name="许建平")  # a deputy never involved
    mine = documents_for(other)
    assert mine.filter(pk=plain.pk).exists()  # issued, unclassified: the organization's leaders read it
    assert not mine.filter(pk=secret.pk).exists()  # classified: only who signed it, is asked, or the principal
    assert not mine.filter(pk=waiting.pk).exists()  # under review: not yet the organization's document
    assert documents_for(people.leader).filter(pk=secret.pk).exists()  # the principal (县长)
    assert documents_for(people.deputy).filter(pk=secret.pk).exists()  # signed it
    assert not documents_for(people.bureau).filter(pk=plain.pk).exists()  # another organization
    client.force_login(other)
    html = client.get("/outgoing/").content.decode()
    assert plain.title in html and secret.title not in html
    assert client.get(f"/outgoing/{secret.pk}/").status_code == 404


def test_the_api_corrects_the_copies(api, people):
    clerk = people.clerk
    doc = signed(people)
    OutgoingDocument.objects.filter(pk=doc.pk).update(copies=1)
    for step in (services.outgoing_assign_number, services.outgoing_print):
        step(actor=clerk, document=doc)
    assert api(people.deputy).post(f"/api/v1/outgoing/{doc.pk}/correct/", {"copies": 2, "reason": "补足"}, format="json").status_code == 403
    short = api(clerk).post(f"/api/v1/outgoing/{doc.pk}/correct/", {"copies": 1, "reason": "补足"}, format="json")
    assert short.status_code == 400 and "copies" in short.json()["fields"]
    ok = api(clerk).post(f"/api/v1/outgoing/{doc.pk}/correct/", {"copies": 2, "reason": "补足"}, format="json")
    assert ok.status_code == 200 and ok.json()["copies"] == 2 and "correct" in ok.json()["actions"]
