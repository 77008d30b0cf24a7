"""发文's task source for the one inbox: the office's production steps after 签发 (编号, 印制, 用印, 分发) and a
签发 outside the flow (re-signing after a 复核 change) — for whoever the policy's allowed actions name."""

from __future__ import annotations

from zhongshu.flow.models import FlowInstance
from zhongshu.inbox.registry import Spec, TaskKind, register_kind, register_source
from zhongshu.org.models import User

from .models import JointIssuer, OutgoingDocument
from .policy import OutgoingPolicy

register_kind(TaskKind("outgoing.office", "发文办理", order=15))

S = OutgoingDocument.Status
STEPS = {"sign": "签发", "number": "编号", "print": "印制", "seal": "用印", "distribute": "分发"}
WATCHED = (S.REVIEWING, S.SIGNED, S.NUMBERED, S.PRINTED, S.SEALED)


def document_tasks(doc: OutgoingDocument) -> list[Spec]:
    if doc.status not in WATCHED:
        return []
    people = (User.objects.filter(organization_id=doc.organization_id, is_active=True, admin_role="",
                                  role_assignments__role__in=["clerk", "office_director", "leader"]).distinct())
    out = []
    for p in people:
        acts = OutgoingPolicy.allowed_actions(p, doc)
        todo = [label for key, label in STEPS.items() if key in acts]
        if doc.status == S.SEALED and "correct" in acts and "distribute" not in acts:
            todo.append("更正印制信息（份数少于主送、抄送单位数）")  # else the sealed 发文 would wait for nobody
        if todo:
            out.append(Spec(kind="outgoing.office", assignee_id=p.pk, title=doc.title, url=doc.get_absolute_url(), since=None,
                            organization_id=doc.organization_id, classification=doc.classification, action="、".join(todo),
                            origin=doc.drafter.display_name if doc.drafter_id else "", key=doc.status))
    return out


def _subject_of(instance) -> list:
    """A flow starting or ending changes who may 签发 outside it."""
    if instance.business_type != "outgoing":
        return []
    return list(OutgoingDocument.objects.filter(pk=instance.object_id))


register_source(OutgoingDocument, document_tasks, select=("drafter",), related={JointIssuer: lambda j: [j.document], FlowInstance: _subject_of},
                all=lambda: OutgoingDocument.objects.filter(status__in=WATCHED))
