"""会签 by internal departments (a parallel flow step whose people come from the 稿纸) and 联合行文: joint organs
on the platform agree through their own leaders (who see the document across organizations), organs outside
it are recorded by the lead office; numbering waits for all; the produced document names every organ."""

import io

import pytest

from tests.outgoing.test_outgoing import approve_all, draft, organ
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.flow.models import WorkItem
from zhongshu.flow.services import work_item_approve
from zhongshu.org.models import Department, ExternalOrgan, User
from zhongshu.outgoing import services
from zhongshu.outgoing.models import JointIssuer, OutgoingDocument
from zhongshu.outgoing.selectors import documents_for

pytestmark = pytest.mark.django_db


def open_items(doc):
    return list(WorkItem.objects.filter(instance__object_id=doc.pk, instance__business_type="outgoing", status="pending", kind="todo"))


def test_countersign_step_goes_to_the_heads_of_the_departments_on_the_sheet(people):
    org = people.clerk.organization
    depts = [Department.objects.get(organization=org, name=n) for n in ("综合科", "督查室")]
    doc = draft(people, countersign_departments=depts)
    services.outgoing_submit(actor=people.clerk, document=doc)
    steps = []
    for _ in range(10):
        items = open_items(doc)
        if not items:
            break
        steps.append((items[0].step_name, sorted(i.assignee.real_name for i in items)))
        for item in items:
            work_item_approve(actor=item.assignee, item=item, opinion="同意。")
    assert ("会签", ["吴俊杰", "黄振华"]) in steps  # both heads at once (parallel)
    assert [s[0] for s in steps] == ["部门负责人核稿", "办公室审核", "会签", "分管领导签发"]
    doc.refresh_from_db()
    assert doc.status == "signed"
    # without 会签单位 the step is skipped
    plain = draft(people, title="某县人民政府办公室关于做好元旦值班工作的通知")
    services.outgoing_submit(actor=people.clerk, document=plain)
    assert "会签" not in [s for s in _walk_names(plain)]


def _walk_names(doc):
    names = []
    for _ in range(10):
        items = open_items(doc)
        if not items:
            break
        names.append(items[0].step_name)
        for item in items:
            work_item_approve(actor=item.assignee, item=item, opinion="同意。")
    return names


def test_countersign_departments_are_checked(people):
    other = Department.objects.exclude(organization=people.clerk.organization).first()
    with pytest.raises(ServiceError) as exc:
        draft(people, countersign_departments=[other])
    assert "countersign_departments" in exc.value.fields


def joint_setup(people):
    clerk = people.clerk
    finance = organ(clerk, "县财政局")  # on the platform
    union = ExternalOrgan.objects.create(organization=clerk.organization, name="某县总工会", short_name="县总工会", relation="peer")
    doc = draft(people, joint_issuers=[finance, union], main_recipients=[organ(clerk, "城关镇"), organ(clerk, "县发改局")], copies=5)
    services.outgoing_submit(actor=clerk, document=doc)
    approve_all(doc)
    doc.refresh_from_db()
    finance_leader = User.objects.get(organization=finance.platform_organization, role_assignments__role="leader")
    return doc, finance, union, finance_leader


def test_joint_document_needs_every_organ_before_numbering(people):
    clerk = people.clerk
    doc, finance, union, finance_leader = joint_setup(people)
    assert doc.status == "signed"
    j_fin, j_union = list(doc.joint_issuers.all())
    # the joint organ's leader sees the lead organ's document (from 签发 on), others of his organization do not
    assert documents_for(finance_leader).filter(pk=doc.pk).exists()
    third = User.objects.get(organization=organ(clerk, "县发改局").platform_organization, role_assignments__role="leader")
    assert not documents_for(third).filter(pk=doc.pk).exists()
    from zhongshu.notify.models import Notification

    assert Notification.objects.filter(recipient=finance_leader, title=f"联合发文会签：{doc.title}").exists()
    with pytest.raises(Conflict, match="尚未全部会签"):
        services.outgoing_assign_number(actor=clerk, document=doc)
    # a joint organ's office cannot handle the lead organ's document
    finance_clerk = User.objects.get(organization=finance.platform_organization, role_assignments__role="clerk")
    with pytest.raises(PermissionDenied):
        services.outgoing_assign_number(actor=finance_clerk, document=doc)
    with pytest.raises(PermissionDenied):
        services.outgoing_joint_sign(actor=people.leader, joint=j_fin, agree=True)  # not a leader of 县财政局
    with pytest.raises(ServiceError):
        services.outgoing_joint_sign(actor=finance_leader, joint=j_fin, agree=False)  # declining needs a reason
    with pytest.raises(Conflict, match="在本平台上"):
        services.outgoing_joint_confirm(actor=clerk, joint=j_fin, note="线下已签")
    services.outgoing_joint_sign(actor=finance_leader, joint=j_fin, agree=True, opinion="同意联合印发。")
    with pytest.raises(ServiceError):
        services.outgoing_joint_confirm(actor=clerk, joint=j_union, note="")
    services.outgoing_joint_confirm(actor=clerk, joint=j_union, note="11月25日经县总工会主席王某某线下会签。")
    assert set(doc.joint_issuers.values_list("status", flat=True)) == {"agreed"}
    doc = services.outgoing_assign_number(actor=clerk, document=doc)
    assert doc.status == "numbered" and doc.doc_number.startswith("某政办发〔")
    for step in (services.outgoing_print, services.outgoing_seal, services.outgoing_distribute):
        step(actor=clerk, document=doc)
    from zhongshu.incoming.models import IncomingDocument

    received = IncomingDocument.objects.get(outgoing=doc, organization=organ(clerk, "城关镇").platform_organization)
    assert received.sender_name == "某县人民政府办公室、某县财政局、某县总工会" and received.doc_number == doc.doc_number


def test_declined_joint_organ_blocks_until_the_list_changes(people):
    clerk = people.clerk
    doc, finance, union, finance_leader = joint_setup(people)
    j_fin = doc.joint_issuers.get(organ=finance)
    services.outgoing_joint_sign(actor=finance_leader, joint=j_fin, agree=False, opinion="资金来源尚未落实，暂不联合发文。")
    with pytest.raises(Conflict):
        services.outgoing_assign_number(actor=clerk, document=doc)
    with pytest.raises(ServiceError):  # changing the list after 签发 is substantive: a reason is required
        services.outgoing_update(actor=clerk, document=doc, joint_issuers=[union])
    doc = services.outgoing_update(actor=clerk, document=doc, joint_issuers=[union], reason="县财政局不同意，改为与县总工会联合发文。")
    assert doc.needs_resign and [j.organ for j in doc.joint_issuers.all()] == [union]
    assert not documents_for(finance_leader).filter(pk=doc.pk).exists()  # no longer a joint organ


def test_joint_document_renders_every_organ(people):
    pdfplumber = pytest.importorskip("pdfplumber")
    from tests.render.conftest import FONTS_OK
    from zhongshu.outgoing.rendering import render_pdf, to_render

    doc, finance, union, finance_leader = joint_setup(people)
    rendered = to_render(OutgoingDocument.objects.get(pk=doc.pk))
    assert rendered.issuer_marks == ["某县人民政府办公室文件", "某县财政局文件", "某县总工会文件"]
    assert rendered.issuer_signatures == ["某县人民政府办公室", "某县财政局", "某县总工会"]
    if not FONTS_OK:
        pytest.skip("中文字体未安装")
    with pdfplumber.open(io.BytesIO(render_pdf(rendered))) as pdf:
        text = "".join(ch["text"] for page in pdf.pages for ch in page.chars)
    for name in ("某县人民政府办公室", "某县财政局", "某县总工会"):
        assert name in text


def test_joint_organs_are_from_the_address_book_and_not_the_lead(people):
    clerk = people.clerk
    before = JointIssuer.objects.count()
    own = ExternalOrgan.objects.create(organization=clerk.organization, name="某县人民政府办公室", short_name="本办",
                                       relation="peer", platform_organization=clerk.organization)
    with pytest.raises(ServiceError) as exc:
        draft(people, joint_issuers=[own])
    assert "joint_issuers" in exc.value.fields
    from zhongshu.org.models import Organization

    other = Organization.objects.exclude(pk=clerk.organization_id).first()
    foreign = ExternalOrgan.objects.create(organization=other, name="某县总工会", relation="peer")  # another office's address book
    with pytest.raises(ServiceError):
        draft(people, joint_issuers=[foreign])
    assert JointIssuer.objects.count() == before
