"""The whole life of a 督办事项: from a 批示 to 销号, with dispute/reassign, extension and the audit trail."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongshu.audit.models import AuditEntry
from zhongshu.core.attachments import attachments_of
from zhongshu.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhongshu.notify.models import Notification
from zhongshu.supervision import services
from zhongshu.supervision.models import ProgressReport, SupervisionItem, SupervisionTask

from .conftest import liaison, office

pytestmark = pytest.mark.django_db


def test_instruction_to_close(assigned, people):
    item = assigned(title="落实县长关于秋冬季安全生产的批示", co=["czj"])
    assert item.status == "in_progress" and item.number.startswith("督〔")
    lead = item.tasks.get(role="lead")
    co = item.tasks.get(role="co")
    assert lead.department == office("fgj") and co.department == office("czj")
    fgj = liaison("fgj")
    assert Notification.objects.filter(recipient=fgj, title__contains="督办交办").exists()
    # Reporting before 签收 is refused; the czj liaison cannot sign for fgj.
    with pytest.raises(Conflict, match="请先签收"):
        services.supervision_report_submit(actor=fgj, task=lead, content="进展")
    with pytest.raises(NotFound):
        services.supervision_task_accept(actor=liaison("czj"), task=lead)
    services.supervision_task_accept(actor=fgj, task=lead)
    upload = SimpleUploadedFile("进展.pdf", b"%PDF-1.4 progress", content_type="application/pdf")
    report = services.supervision_report_submit(actor=fgj, task=lead, content="已召开专题会部署。", upload=upload)
    assert report.status == "submitted" and attachments_of(report).count() == 1
    item.refresh_from_db()
    assert item.last_report_on == timezone.localdate()
    # The office returns it; a comment is required; the department submits again into the same slot.
    with pytest.raises(ServiceError, match="审核意见"):
        services.supervision_report_review(actor=people.clerk, report=report, accept=False)
    services.supervision_report_review(actor=people.clerk, report=report, accept=False, comment="请补充具体数据。")
    again = services.supervision_report_submit(actor=fgj, task=lead, content="已排查企业120家，整改隐患35处。")
    assert again.pk == report.pk and again.status == "submitted"
    services.supervision_report_review(actor=people.clerk, report=again, accept=True)
    # Only the 主办 asks for 办结; the office verifies; only the responsible leader closes.
    services.supervision_task_accept(actor=liaison("czj"), task=co)
    with pytest.raises(PermissionDenied, match="主办单位"):
        services.supervision_completion_request(actor=liaison("czj"), task=co, content="完成")
    services.supervision_completion_request(actor=fgj, task=lead, content="全部完成。")
    with pytest.raises(Conflict):
        services.supervision_item_confirm(actor=people.deputy, item=item)
    services.supervision_item_verify(actor=people.clerk, item=item, accept=True)
    with pytest.raises(NotFound):
        services.supervision_item_confirm(actor=people.leader, item=item)  # not his item: he may not even see it
    services.supervision_item_confirm(actor=people.deputy, item=item)
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_on == timezone.localdate() and item.light == "green"
    assert set(item.tasks.values_list("status", flat=True)) == {"done"}
    actions = list(AuditEntry.objects.filter(target_id=str(item.pk), target_type="supervision.supervisionitem").values_list("action", flat=True))
    for a in ("supervision.create", "supervision.assign", "supervision.task_accept", "supervision.report_submit", "supervision.report_return",
              "supervision.completion_request", "supervision.verify", "supervision.close"):
        assert a in actions


def test_verify_can_send_back(assigned, people):
    item = assigned()
    task = item.tasks.get()
    services.supervision_task_accept(actor=liaison("fgj"), task=task)
    services.supervision_completion_request(actor=liaison("fgj"), task=task, content="完成")
    with pytest.raises(ServiceError):
        services.supervision_item_verify(actor=people.clerk, item=item, accept=False)
    services.supervision_item_verify(actor=people.clerk, item=item, accept=False, comment="佐证材料不全")
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert ProgressReport.objects.get(item=item, kind="completion").status == "returned"


def test_dispute_and_reassign(assigned, people):
    item = assigned(lead="jtj", co=["czj"])
    task = item.tasks.get(role="lead")
    with pytest.raises(ServiceError, match="异议理由"):
        services.supervision_task_dispute(actor=liaison("jtj"), task=task, reason=" ")
    services.supervision_task_dispute(actor=liaison("jtj"), task=task, reason="不属于本单位职责")
    with pytest.raises(ServiceError, match="已是该事项的承办单位"):
        services.supervision_task_reassign(actor=people.clerk, task=task, department=office("czj"))
    with pytest.raises(PermissionDenied):
        services.supervision_task_reassign(actor=people.deputy, task=task, department=office("zjj"))
    new = services.supervision_task_reassign(actor=people.clerk, task=task, department=office("zjj"))
    task.refresh_from_db()
    item.refresh_from_db()
    assert task.status == "reassigned" and task.reassigned_to == new and new.role == "lead"
    assert item.lead_department == office("zjj")
    # The old department no longer sees the item; the new one does (through its task).
    from zhongshu.supervision.selectors import my_tasks

    assert not my_tasks(liaison("jtj")).filter(item=item).exists()
    assert my_tasks(liaison("zjj")).filter(item=item).exists()
    assert SupervisionTask.objects.filter(item=item).exclude(status="reassigned").count() == 2
    # the old, reassigned task cannot be used to move the deadline
    with pytest.raises(Conflict, match="已签收"):
        services.supervision_extension_request(actor=liaison("jtj"), task=task, new_deadline=item.deadline + datetime.timedelta(days=10), reason="延期")


def test_hand_down_to_a_person(assigned, people):
    from zhongshu.org.models import User

    item = assigned()
    task = item.tasks.get()
    outsider = liaison("czj")
    with pytest.raises(ServiceError, match="本单位"):
        services.supervision_task_hand_down(actor=liaison("fgj"), task=task, assignee=outsider)
    head = User.objects.get(pk=office("fgj").head_id)
    services.supervision_task_hand_down(actor=liaison("fgj"), task=task, assignee=head)
    task.refresh_from_db()
    assert task.assignee == head and task.status == "accepted"


def test_extension_keeps_original_deadline(assigned, people):
    item = assigned(workdays=10)
    task = item.tasks.get()
    services.supervision_task_accept(actor=liaison("fgj"), task=task)
    first = item.deadline
    with pytest.raises(ServiceError, match="晚于"):
        services.supervision_extension_request(actor=liaison("fgj"), task=task, new_deadline=first, reason="原因")
    with pytest.raises(ServiceError, match="延期理由"):
        services.supervision_extension_request(actor=liaison("fgj"), task=task, new_deadline=first + datetime.timedelta(days=10), reason="")
    ext = services.supervision_extension_request(actor=liaison("fgj"), task=task, new_deadline=first + datetime.timedelta(days=10), reason="需等待上级批复")
    with pytest.raises(Conflict, match="待审批"):
        services.supervision_extension_request(actor=liaison("fgj"), task=task, new_deadline=first + datetime.timedelta(days=20), reason="再延")
    with pytest.raises(PermissionDenied):
        services.supervision_extension_decide(actor=people.deputy, extension=ext, approve=True)
    services.supervision_extension_decide(actor=people.director, extension=ext, approve=True, note="同意")
    item.refresh_from_db()
    assert item.deadline == first + datetime.timedelta(days=10) and item.original_deadline == first and item.extended
    ext2 = services.supervision_extension_request(actor=liaison("fgj"), task=task, new_deadline=first + datetime.timedelta(days=30), reason="再次申请")
    with pytest.raises(ServiceError, match="理由"):
        services.supervision_extension_decide(actor=people.clerk, extension=ext2, approve=False)
    services.supervision_extension_decide(actor=people.clerk, extension=ext2, approve=False, note="不同意再次延期")
    item.refresh_from_db()
    assert item.deadline == first + datetime.timedelta(days=10) and item.original_deadline == first


def test_create_validation_and_source(make_item, people):
    from zhongshu.incoming.models import IncomingDocument

    with pytest.raises(ServiceError) as exc:
        make_item(title="", workdays=None, deadline=None)
    assert "title" in exc.value.fields and "deadline" in exc.value.fields
    with pytest.raises(ServiceError, match="不是领导"):
        make_item(leader=people.clerk)
    with pytest.raises(ServiceError, match="协办"):
        make_item(co=["fgj"])
    with pytest.raises(PermissionDenied):
        make_item(actor=people.deputy)
    doc = IncomingDocument.objects.filter(organization=people.clerk.organization).first()
    item = make_item(source_object=doc, classification=max(1, doc.classification), source="document")
    assert item.source_type.model == "incomingdocument" and item.source_id == doc.pk
    assert SupervisionItem.objects.filter(pk=item.pk, status="draft").exists()
