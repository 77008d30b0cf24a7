"""No dead ends (issue 15 §1): every module's state machine is walked — an object is built in every non-final state
(through the real services), and some person of the platform must be offered a way forward by the module's policy
AND see its button on the page where that person acts.

The list of machines is data: a module with a lifecycle adds a `Machine` here. The meta-test fails when a model with
a registered policy has a status field and no machine (or a reason in NOT_MACHINES), or when a status of a machine
has neither a builder nor a place among its final states — so a new module, or a new status, must add itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import models

pytestmark = pytest.mark.django_db

# Actions that are no way forward: downloads, reminders, side tasks.
PASSIVE = {"download_pdf", "download_docx", "download_package", "download_print", "remind", "chase", "supervise", "attach",
           "task_add", "milestone_add", "milestone_done", "open", "void_number"}

# How an action shows on a page when its URL or button value does not carry the action's own name.
ALIASES: dict[str, list[str]] = {
    "flow_item": [r'href="/flow/items/\d+/"'],
    "reply_return": [r'/undertakings/\d+/return/"'],
    "record_paper": [r'/undertakings/\d+/record-paper/"'],
    "decide_extension": [r'/extensions/\d+/decide/"'],
    "extension_decide": [r'value="extension_approve"'],
    "review": [r'/review/"', r'value="report_accept"'],
    "read": [r'/circulation/\d+/read/"'],
    "redirect": [r'/circulation/\d+/redirect/"'],
    "submit_review": [r'/flow/start/', r'name="business_type"'],
}


def shown(html: str, action: str) -> bool:
    """The page carries the action's form, link or button."""
    names = {action, action.replace("_", "-")}
    patterns = [rf'/{re.escape(n)}/"' for n in names] + [rf'value="{re.escape(action)}"'] + ALIASES.get(action, [])
    return any(re.search(p, html) for p in patterns)


@dataclass
class Machine:
    """One lifecycle: the model and its status field, the final states, a builder per other state (several when a
    state has sub-states worth walking), what a person may do (the module's policy), and the page to act on."""

    name: str
    model: type[models.Model]
    final: set[str]
    builders: dict[str, list[Callable[[Any], models.Model]]]
    actions: Callable[[Any, Any], set[str]]
    page: Callable[[Any], str | list[str]]  # where a person acts (the first of these he may open)
    status_field: str = "status"
    extra_passive: set[str] = field(default_factory=set)


def flow_items(user, obj, business_type: str) -> set[str]:
    """A pending 待办 of the flow engine on the object, held by the person (or by someone he acts for)."""
    from zhongshu.flow.models import WorkItem, acting_ids

    held = WorkItem.objects.filter(instance__object_id=obj.pk, instance__business_type=business_type, status="pending",
                                   kind="todo", assignee_id__in=acting_ids(user)).exists()
    return {"flow_item"} if held else set()


# ---- 发文 ------------------------------------------------------------------------------------------------
def outgoing_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        from tests.outgoing.test_policy import at

        return at(people, state)

    return build


def outgoing_actions(user, doc) -> set[str]:
    from zhongshu.outgoing.policy import OutgoingPolicy

    return OutgoingPolicy.allowed_actions(user, doc) | flow_items(user, doc, "outgoing")


def outgoing_short_of_copies(people):
    """The dead end of the issue: 用印 passed with fewer copies than recipients — 更正印制信息 must be offered."""
    from tests.outgoing.test_outgoing import approve_all, draft
    from zhongshu.outgoing import services
    from zhongshu.outgoing.models import OutgoingDocument

    doc = approve_all(services.outgoing_submit(actor=people.clerk, document=draft(people, title="某县人民政府办公室关于份数不足的通知")))
    OutgoingDocument.objects.filter(pk=doc.pk).update(copies=1)
    for step in (services.outgoing_assign_number, services.outgoing_print, services.outgoing_seal):
        step(actor=people.clerk, document=doc)
    doc.refresh_from_db()
    return doc


# ---- 收文 ------------------------------------------------------------------------------------------------
def incoming_pending(people):
    """A copy 分发 to 县财政局 over the platform waits for its 签收 there."""
    from tests.archives.conftest import make_distributed
    from zhongshu.incoming.models import IncomingDocument

    doc = make_distributed(people, title="某县人民政府办公室关于状态机待签收的通知")
    return IncomingDocument.objects.get(title=doc.title, status="pending")


def incoming_received(reviewed: str = ""):
    def build(people):
        from tests.incoming.test_handling import ALL_PASS
        from zhongshu.incoming import services

        doc = services.incoming_register(actor=people.clerk, source="paper", sender_name="某市财政局", title="关于状态机测试的通知")
        if reviewed:
            doc = services.incoming_review(actor=people.clerk, document=doc, passed=ALL_PASS, kind=reviewed)
        return doc

    return build


def incoming_handling(people):
    from tests.incoming.test_handling import DEMO_TITLE
    from zhongshu.incoming.models import IncomingDocument

    return IncomingDocument.objects.get(title=DEMO_TITLE)  # the demo's, at 拟办 with the office director


def incoming_assigned(replied: bool = False):
    def build(people):
        from tests.incoming.test_handling import assigned
        from zhongshu.incoming import services
        from zhongshu.incoming.services.handling import handlers_of

        doc = assigned(people, co=())
        if replied:
            lead = doc.undertakings.get(role="lead")
            handler = next(iter(handlers_of(lead)))
            services.undertaking_reply(actor=handler, undertaking=lead, reply="已按要求办理完毕。")
            doc.refresh_from_db()
        return doc

    return build


def incoming_reading(people):
    from zhongshu.incoming import services

    doc = incoming_received("read")(people)
    services.circulation_start(actor=people.clerk, document=doc, readers=[people.deputy], mode="parallel")
    doc.refresh_from_db()
    return doc


def incoming_actions(user, doc) -> set[str]:
    from zhongshu.incoming.policy import IncomingPolicy

    acts = IncomingPolicy.allowed_actions(user, doc) | flow_items(user, doc, "incoming")
    for u in doc.undertakings.all():
        acts |= IncomingPolicy.undertaking_actions(user, u)
    return acts


def undertaking_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        doc = incoming_assigned(replied=state == "replied")(people)
        return doc.undertakings.get(role="lead")

    return build


def undertaking_on_paper(state: str) -> Callable[[Any], models.Model]:
    """A 主办 outside organ not on the platform: the office records its part (open) and reviews it (replied)."""

    def build(people):
        from django.utils import timezone

        from tests.incoming.test_paper_organs import _organ
        from tests.incoming.test_pishi import items, new_document
        from zhongshu.flow.services import work_item_approve
        from zhongshu.incoming import services

        organ = _organ(people)
        doc = new_document(people, title="状态机测试：外单位纸质主办")
        work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟请林副县长批示。", subject_data={})
        work_item_approve(actor=people.deputy, item=items(doc).get(), opinion="同意。", subject_data={"lead_department": organ})
        part = doc.undertakings.get(external=organ)
        if state == "replied":
            services.undertaking_record_paper(actor=people.clerk, undertaking=part, sent_on=timezone.localdate(),
                                              reply_on=timezone.localdate(), result="已按要求办理。")
        return part

    return build


def undertaking_actions(user, u) -> set[str]:
    from zhongshu.incoming.policy import IncomingPolicy

    # the 主办 answer is approved (审核办结) on the document
    return IncomingPolicy.undertaking_actions(user, u) | (IncomingPolicy.allowed_actions(user, u.document) & {"close"})


# ---- 督办 ------------------------------------------------------------------------------------------------
def _supervision_item(people, **kw):
    from zhongshu.org.models import Department
    from zhongshu.supervision import services
    from zhongshu.supervision.models import Cycle, Source

    lead = Department.objects.get(organization__code="fgj", code="BGS")
    values = {"title": "状态机测试督办事项", "content": "请抓紧办理。", "source": Source.INSTRUCTION, "workdays": 20,
              "cycle": Cycle.NONE, "responsible_leader": people.deputy, "lead_department": lead, "co_departments": []}
    values.update(kw)
    return services.supervision_item_create(actor=people.clerk, **values)


def supervision_item_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        from zhongshu.supervision import services

        item = _supervision_item(people)
        if state == "draft":
            return item
        item = services.supervision_item_assign(actor=people.clerk, item=item)
        task = item.tasks.get()
        if state == "in_progress":
            return item
        services.supervision_task_accept(actor=people.liaison, task=task)
        services.supervision_completion_request(actor=people.liaison, task=task, content="全部完成。")
        item.refresh_from_db()
        if state == "completion_requested":
            return item
        return services.supervision_item_verify(actor=people.clerk, item=item, accept=True)

    return build


def supervision_task_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        from zhongshu.supervision import services

        item = services.supervision_item_assign(actor=people.clerk, item=_supervision_item(people))
        task = item.tasks.get()
        if state == "accepted":
            task = services.supervision_task_accept(actor=people.liaison, task=task)
        if state == "disputed":
            task = services.supervision_task_dispute(actor=people.liaison, task=task, reason="不属于本单位职责。")
        task.refresh_from_db()
        return task

    return build


def supervision_item_actions(user, item) -> set[str]:
    from zhongshu.supervision.policy import SupervisionItemPolicy

    return SupervisionItemPolicy.allowed_actions(user, item)


def supervision_task_actions(user, task) -> set[str]:
    from zhongshu.supervision.policy import SupervisionItemPolicy, SupervisionTaskPolicy

    # a disputed task is 改派'd by the office on the item's page
    return SupervisionTaskPolicy.allowed_actions(user, task) | (SupervisionItemPolicy.allowed_actions(user, task.item) & {"reassign"})


def supervision_task_page(task) -> list[str]:
    return [task.get_absolute_url(), task.item.get_absolute_url()]  # the department's page; the office's (改派) on the item


# ---- 档案 借阅 ---------------------------------------------------------------------------------------------
def loan_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        from zhongshu.archives import services
        from zhongshu.archives.models import ArchiveItem, Loan

        item = ArchiveItem.objects.get(outgoing__title__contains="元旦春节期间")  # the demo's filed 发文
        loan = Loan.objects.get(item=item, borrower=people.clerk, status="pending")  # the demo's pending request
        if state == "active":
            loan = services.loan_decide(actor=people.archivist, loan=loan, approve=True, note="同意")
        return loan

    return build


def loan_actions(user, loan) -> set[str]:
    """Loans have no object policy: who decides is the selector of pending decisions, the rest is the borrower's."""
    from zhongshu.access.permissions import has_perm
    from zhongshu.archives import selectors
    from zhongshu.archives.models import Loan

    acts = set()
    if selectors.pending_decisions(user).filter(pk=loan.pk).exists():
        acts |= {"approve", "reject"}
    if loan.borrower_id == user.pk and loan.status == Loan.Status.PENDING:
        acts.add("cancel")
    if loan.status == Loan.Status.ACTIVE and (loan.borrower_id == user.pk or has_perm(user, "archives.manage")):
        acts.add("return")
    return acts


# ---- 通知公告 ----------------------------------------------------------------------------------------------
def notice_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        from zhongshu.notices import services

        notice = services.notice_create(actor=people.clerk, title="状态机测试通知", body="请各科室周知。")
        if state == "published":
            notice = services.notice_publish(actor=people.clerk, notice=notice)
        return notice

    return build


def notice_under_review(people):
    """A draft on the 通知审核 flow: its reviewer holds the 待办."""
    from zhongshu.flow.services import flow_start

    notice = notice_at("draft")(people)
    flow_start(actor=people.clerk, subject=notice)
    return notice


def notice_actions(user, notice) -> set[str]:
    from zhongshu.notices.policy import NoticePolicy

    return NoticePolicy.allowed_actions(user, notice) | flow_items(user, notice, "notice")


# ---- 印章 ------------------------------------------------------------------------------------------------
def seal_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        from zhongshu.seals import services
        from zhongshu.seals.demo import impression_png
        from zhongshu.seals.models import SealKind

        kind = SealKind.objects.get(organization=people.director.organization, code="personnel")
        seal = services.seal_apply(actor=people.director, kind=kind, name="状态机测试人事专用章", reason="测试")
        if state == "applied":
            return seal
        seal = services.seal_make(actor=people.director, seal=seal, engraver="某县红星刻字社", filing_number="4101239999")
        if state == "made":
            return seal
        services.seal_impression(actor=people.director, seal=seal, upload=impression_png())
        seal = services.seal_enable(actor=people.director, seal=seal, keeper=people.clerk, storage="印章柜")
        if state == "suspended":
            seal = services.seal_suspend(actor=people.director, seal=seal, reason="测试停用")
        return seal

    return build


def seal_actions(user, seal) -> set[str]:
    from zhongshu.seals.policy import SealPolicy

    return SealPolicy.allowed_actions(user, seal)


def seal_request_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        from zhongshu.seals import services
        from zhongshu.seals.demo import approve_all
        from zhongshu.seals.models import Seal

        office = Seal.objects.get(name=people.clerk.organization.name)
        req = services.request_create(actor=people.archivist, seals=[office], matter="document", document_title="状态机测试用印文件",
                                      copies=1, purpose="测试", urgent=state == "pending")
        if state == "approved":
            approve_all(req)
        return req

    return build


def seal_request_actions(user, req) -> set[str]:
    from zhongshu.seals.policy import UseRequestPolicy

    return UseRequestPolicy.allowed_actions(user, req) | flow_items(user, req, "seal_use")


def seal_loan_at(state: str) -> Callable[[Any], models.Model]:
    def build(people):
        from django.utils import timezone

        from zhongshu.seals import services
        from zhongshu.seals.models import Seal

        office = Seal.objects.get(name=people.clerk.organization.name)
        loan = services.loan_request(actor=people.clerk, seal=office, carrier=people.clerk, companion=people.archivist, purpose="测试",
                                     destination="某市", expected_return=timezone.localdate())
        if state == "out":
            loan = services.loan_decide(actor=people.director, loan=loan, approve=True)
        return loan

    return build


def seal_loan_actions(user, loan) -> set[str]:
    from zhongshu.seals.policy import SealLoanPolicy

    return SealLoanPolicy.allowed_actions(user, loan)


def letter_issued(people):
    import datetime

    from django.utils import timezone

    from zhongshu.seals import services

    return services.letter_issue(actor=people.clerk, holder="状态机", receiving_unit="某单位", matter="测试",
                                 valid_until=timezone.localdate() + datetime.timedelta(days=3))


def letter_actions(user, letter) -> set[str]:
    from zhongshu.seals.policy import IntroLetterPolicy

    return IntroLetterPolicy.allowed_actions(user, letter)


# ---- 办会 ------------------------------------------------------------------------------------------------
def meeting_at(state: str, review: bool = False) -> Callable[[Any], models.Model]:
    def build(people):
        import datetime

        from django.utils import timezone

        from tests.meetings.conftest import approve
        from zhongshu.meetings import services
        from zhongshu.meetings.models import Room

        start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
        internal = next(c for c in services.categories_for(people.clerk.organization_id) if c.code == "internal")
        m = services.meeting_create(actor=people.clerk, title="状态机测试会议", category=internal, start=start,
                                    end=start + datetime.timedelta(hours=1), room=Room.objects.get(organization__code="zfb", name="第二会议室"),
                                    invitees=[people.deputy])
        if review:
            from zhongshu.flow.services import flow_start

            flow_start(actor=people.clerk, subject=m)
            return m
        if state == "draft":
            return m
        m = approve(m)
        if state == "approved":
            return m
        return services.meeting_notify(actor=people.clerk, meeting=m)

    return build


def meeting_actions(user, meeting) -> set[str]:
    from zhongshu.meetings.policy import MeetingPolicy

    return MeetingPolicy.allowed_actions(user, meeting) | flow_items(user, meeting, "meeting")


def booking_active(people):
    import datetime

    from django.utils import timezone

    from zhongshu.meetings import services
    from zhongshu.meetings.models import Room

    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)
    return services.booking_create(actor=people.clerk, room=Room.objects.get(organization__code="zfb", name="第二会议室"),
                                   start=start, end=start + datetime.timedelta(hours=1), title="状态机测试预订")


def booking_actions(user, booking) -> set[str]:
    from zhongshu.meetings.policy import BookingPolicy

    return BookingPolicy.allowed_actions(user, booking)


def booking_page(booking) -> str:
    from django.utils import timezone

    return f"{booking.get_absolute_url()}?day={timezone.localtime(booking.start).date()}"


def _machines() -> list[Machine]:
    from zhongshu.archives.models import Loan
    from zhongshu.incoming.models import IncomingDocument, Undertaking
    from zhongshu.meetings.models import Booking, Meeting
    from zhongshu.notices.models import Notice
    from zhongshu.outgoing.models import OutgoingDocument
    from zhongshu.seals.models import IntroLetter, Seal, SealLoan, UseRequest
    from zhongshu.supervision.models import SupervisionItem, SupervisionTask

    def url(obj):
        return obj.get_absolute_url()

    return [
        Machine("发文", OutgoingDocument, final={"filed", "cancelled"}, actions=outgoing_actions, page=url, builders={
            **{s: [outgoing_at(s)] for s in ("draft", "reviewing", "signed", "numbered", "printed", "distributed")},
            "sealed": [outgoing_at("sealed"), outgoing_short_of_copies],
        }),
        Machine("收文", IncomingDocument, final={"returned", "closed"}, actions=incoming_actions, page=url, builders={
            "pending": [incoming_pending],
            "received": [incoming_received(), incoming_received("handle"), incoming_received("read")],
            "handling": [incoming_handling],
            "assigned": [incoming_assigned(), incoming_assigned(replied=True)],
            "reading": [incoming_reading],
        }),
        Machine("收文承办", Undertaking, final={"closed"}, actions=undertaking_actions, page=lambda u: u.document.get_absolute_url(),
                builders={s: [undertaking_at(s), undertaking_on_paper(s)] for s in ("open", "replied")}),
        Machine("督办事项", SupervisionItem, final={"closed"}, actions=supervision_item_actions, page=url,
                builders={s: [supervision_item_at(s)] for s in ("draft", "in_progress", "completion_requested", "verified")}),
        Machine("督办任务", SupervisionTask, final={"reassigned", "done"}, actions=supervision_task_actions, page=supervision_task_page,
                builders={s: [supervision_task_at(s)] for s in ("pending", "accepted", "disputed")}),
        Machine("档案借阅", Loan, final={"rejected", "returned", "cancelled"}, actions=loan_actions, page=lambda loan: "/archives/loans/",
                builders={s: [loan_at(s)] for s in ("pending", "active")}),
        Machine("通知公告", Notice, final={"withdrawn"}, actions=notice_actions, page=url,
                builders={"draft": [notice_at("draft"), notice_under_review], "published": [notice_at("published")]}),
        Machine("印章", Seal, final={"sealed_away", "destroyed", "lost"}, actions=seal_actions, page=url,
                builders={s: [seal_at(s)] for s in ("applied", "made", "active", "suspended")}),
        Machine("用印申请", UseRequest, final={"stamped", "ended"}, actions=seal_request_actions, page=url,
                builders={s: [seal_request_at(s)] for s in ("pending", "approved")}),
        Machine("印章外借", SealLoan, final={"rejected", "returned"}, actions=seal_loan_actions, page=url,
                builders={s: [seal_loan_at(s)] for s in ("pending", "out")}),
        Machine("介绍信", IntroLetter, final={"used", "voided"}, actions=letter_actions, page=url, builders={"issued": [letter_issued]},
                extra_passive={"print"}),
        Machine("会议", Meeting, final={"closed", "cancelled"}, actions=meeting_actions, page=url,
                builders={"draft": [meeting_at("draft"), meeting_at("draft", review=True)], "approved": [meeting_at("approved")],
                          "notified": [meeting_at("notified")]}),
        Machine("会议室预订", Booking, final={"cancelled"}, actions=booking_actions,
                page=booking_page, builders={"active": [booking_active]}),
    ]


# Models with a registered policy and a status field that are not lifecycles of their own, and why.
NOT_MACHINES = {
    "archives.ArchiveItem": "已归档 → 拟销毁 → 已销毁 is the disposal procedure (Destruction), tested in tests/archives",
    "flow.WorkItem": "a step of the flow engine: the 待办 of the machines above (flow_item)",
    "flow.FlowInstance": "the flow engine's run of a machine above",
    "supervision.ProgressReport": "a report of a 督办任务 (reviewed on the item's page)",
}


def _status_values(model: type[models.Model], name: str = "status") -> set[str]:
    f = model._meta.get_field(name)
    return {str(v) for v, _ in f.choices or []}


def test_every_lifecycle_is_walked(county):
    """A model with a registered policy and a status field has a machine here (or a reason not to); every status of a
    machine is final or has a builder."""
    from zhongshu.access.policy import registered

    machines = {m.model: m for m in _machines()}
    missing = []
    for model in registered():
        label = model._meta.label
        try:
            model._meta.get_field("status")
        except Exception:  # noqa: BLE001 — no status field: no lifecycle to walk
            continue
        if model not in machines and label not in NOT_MACHINES:
            missing.append(label)
    assert not missing, f"models with a status and no state-machine walk: {missing} — add a Machine (or a reason in NOT_MACHINES)"
    for m in machines.values():
        values = _status_values(m.model, m.status_field)
        uncovered = values - m.final - set(m.builders)
        assert not uncovered, f"{m.name}: statuses without a builder or a place among the final ones: {sorted(uncovered)}"
        assert not (set(m.builders) - values), f"{m.name}: builders for unknown statuses {sorted(set(m.builders) - values)}"


def _cases():
    out = []
    for m in _machines():
        for status, builders in m.builders.items():
            for i, _ in enumerate(builders):
                out.append(pytest.param(m.name, status, i, id=f"{m.name}-{status}-{i}"))
    return out


def _candidates(people):
    """Every person of the platform (the demo logins first: they are the usual actors)."""
    from zhongshu.org.models import User

    first = ["clerk", "director", "leader", "deputy", "liaison", "bureau", "archivist", "u009"]
    rest = User.objects.filter(is_active=True, admin_role="").exclude(username__in=first).order_by("pk")
    return [people[login] for login in first] + list(rest)


@pytest.mark.parametrize("machine,status,variant", _cases())
def test_no_dead_end(people, client, machine, status, variant):
    m = next(x for x in _machines() if x.name == machine)
    obj = m.builders[status][variant](people)
    obj.refresh_from_db()
    assert getattr(obj, m.status_field) == status, f"builder made {getattr(obj, m.status_field)}, not {status}"
    passive = PASSIVE | m.extra_passive
    not_shown = []
    for user in _candidates(people):
        offered = m.actions(user, obj) - passive
        if not offered:
            continue
        client.force_login(user)
        pages = m.page(obj)
        htmls = [r.content.decode() for r in (client.get(u) for u in ([pages] if isinstance(pages, str) else pages))
                 if r.status_code == 200]
        assert htmls, (user.username, pages, "is offered actions but may open none of the pages")
        if any(shown(html, a) for html in htmls for a in offered):
            return  # a way forward, offered and shown
        not_shown.append((user.username, sorted(offered)))
    pytest.fail(f"{machine} in “{status}” (variant {variant}) is a dead end: nobody is offered a way forward"
                + (f"; offered but not shown: {not_shown}" if not_shown else ""))



def test_the_walk_finds_a_dead_end(people, client, monkeypatch):
    """The walk can fail: without 更正印制信息 the sealed 发文 short of copies has no way forward (分发 is not offered
    because it would be refused)."""
    from zhongshu.outgoing.policy import OutgoingPolicy

    doc = outgoing_short_of_copies(people)
    assert "distribute" not in OutgoingPolicy.allowed_actions(people.clerk, doc)
    original = OutgoingPolicy.allowed_actions.__func__
    monkeypatch.setattr(OutgoingPolicy, "allowed_actions", classmethod(lambda cls, u, o: original(cls, u, o) - {"correct"}))
    with pytest.raises(pytest.fail.Exception, match="dead end"):
        test_no_dead_end(people, client, "发文", "sealed", 1)


# ---- every waiting state is somebody's task in the one 待办 (issue 15 §3) ------------------------------------
# States where a way forward exists but nobody *must* act, so no 待办 is expected (and why).
NO_TASK: dict[tuple[str, str, int], str] = {
    ("通知公告", "published", 0): "a published notice may be withdrawn, nobody has to",
    ("通知公告", "draft", 0): "a draft is its author's own work in progress (the 通知 list), not an assignment",
    ("发文", "draft", 0): "a draft is its drafter's own work in progress (我的拟稿), not an assignment",
    ("督办事项", "draft", 0): "a draft item is the office's own work in progress (督办台账), not an assignment",
    ("发文", "distributed", 0): "归档 is the archivist's batch work by year (待归档 list and the 档案 card's count), not a 待办 per document",
    ("督办事项", "in_progress", 0): "the departments' 督办任务 carry the work (each walked as 督办任务 with its own 待办)",
    ("印章", "applied", 0): "刻制 is the office director's register work (the 印章 register lists seals by state), not an assignment",
    ("印章", "made", 0): "印模 and 启用 are the office director's register work (the register lists seals by state)",
    ("印章", "active", 0): "a seal in use waits for requests (each 用印申请 is a task); nobody has to act on the seal",
    ("印章", "suspended", 0): "a 停用 seal may be sealed away or destroyed when the office decides; nothing is due",
    ("印章外借", "out", 0): "a seal out is nobody's task until it is overdue (then 催还 in seals/tasks.py)",
    ("介绍信", "issued", 0): "a letter is in its holder's hands until used or expired; nothing is due",
    ("会议", "draft", 0): "a draft plan is its organizer's own work in progress (the 会议 list), not an assignment",
    ("会议室预订", "active", 0): "a booking waits for its time; nobody has to act on it",
}


def open_tasks_of(obj, pages) -> list:
    """Open tasks that lead to `obj`: its own rows, rows linking to its pages, and its flow work items'."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from zhongshu.flow.models import WorkItem
    from zhongshu.inbox.models import Task

    pages = [u for u in ([pages] if isinstance(pages, str) else pages) if re.search(r"\d", u)]  # an object's own page, not a list
    item_ids = list(WorkItem.objects.filter(instance__content_type=ContentType.objects.get_for_model(obj), instance__object_id=obj.pk)
                    .values_list("pk", flat=True))
    q = Q(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk) | Q(url__in=pages)
    if item_ids:
        q |= Q(content_type=ContentType.objects.get_for_model(WorkItem), object_id__in=item_ids)
    return list(Task.objects.filter(q, status=Task.Status.OPEN).select_related("assignee"))


@pytest.mark.parametrize("machine,status,variant", _cases())
def test_every_waiting_state_is_a_task(people, machine, status, variant):
    """From every non-final state, the person who must move it on finds it in the one 待办: some open task leads to
    the object, and its holder is one of those the module's policy offers a way forward."""
    m = next(x for x in _machines() if x.name == machine)
    obj = m.builders[status][variant](people)
    obj.refresh_from_db()
    tasks = open_tasks_of(obj, m.page(obj))
    if (machine, status, variant) in NO_TASK:
        return
    assert tasks, f"{machine} in “{status}” (variant {variant}): nobody has it in the one 待办 — add a task source in <app>/tasks.py"
    passive = PASSIVE | m.extra_passive
    holders = {t.assignee for t in tasks}
    assert any(m.actions(u, obj) - passive for u in holders), (
        f"{machine} in “{status}”: the 待办 holders {[u.username or u.pk for u in holders]} are offered no way forward")
