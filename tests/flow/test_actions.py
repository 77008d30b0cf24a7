"""退回, 转办, 加签, 撤回, 终止, 圈阅, 委托 (代), 传阅, 催办, and refusing a second action on the same item."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhongshu.audit.models import AuditEntry
from zhongshu.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhongshu.flow import services
from zhongshu.flow.models import WorkItem
from zhongshu.notices.models import Notice
from zhongshu.notify.models import Notification
from zhongshu.org import services as org_services

from .conftest import names, pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_steps(define, people, person):
    """科长 → 主任 → 县长, each single."""
    return define([
        {"name": "科长审核", "assignee_rule": "initiator_head", "deadline_days": 2},
        {"name": "主任审核", "assignee_rule": "users", "users": [people.director]},
        {"name": "县长签发", "assignee_rule": "principal"},
    ])


def _to_leader(people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    services.work_item_approve(actor=person("李静怡"), item=pending(inst).get(), opinion="科长意见")
    services.work_item_approve(actor=people.director, item=pending(inst).get(), opinion="主任意见")
    inst.refresh_from_db()
    return inst


def test_return_to_previous_and_earlier_steps(three_steps, people, person, draft):
    inst = _to_leader(people, person, draft)
    leader_item = pending(inst).get()
    targets = dict(services.engine.return_targets(inst))
    assert list(targets) == [-1, 0, 1]
    with pytest.raises(ServiceError, match="退回理由"):
        services.work_item_return(actor=people.leader, item=leader_item, reason="  ")
    services.work_item_return(actor=people.leader, item=leader_item, reason="请主任再核")
    inst.refresh_from_db()
    assert inst.current_step_name == "主任审核" and names(pending(inst)) == ["陈志远"]
    services.work_item_return(actor=people.director, item=pending(inst).get(), reason="请科长重审", to_position=0)
    inst.refresh_from_db()
    assert inst.current_step_name == "科长审核" and names(pending(inst)) == ["李静怡"]
    # Earlier opinions stay in the history for those who come later.
    opinions = list(inst.history.values_list("opinion", flat=True))
    assert "科长意见" in opinions and "主任意见" in opinions and "请主任再核" in opinions
    with pytest.raises(ServiceError, match="已经过的步骤"):
        services.work_item_return(actor=person("李静怡"), item=pending(inst).get(), reason="x", to_position=2)


def test_return_to_initiator_then_resubmit(three_steps, people, person, draft):
    inst = _to_leader(people, person, draft)
    services.work_item_return(actor=people.leader, item=pending(inst).get(), reason="标题不规范", to_position=-1)
    inst.refresh_from_db()
    back = pending(inst).get()
    assert inst.position == -1 and back.assignee == people.clerk and back.origin == "initiator"
    with pytest.raises(PermissionDenied):
        services.work_item_transfer(actor=people.clerk, item=back, to=people.director)
    services.work_item_approve(actor=people.clerk, item=back, opinion="已修改")
    inst.refresh_from_db()
    assert inst.current_step_name == "科长审核" and inst.history.filter(action="resubmit").exists()
    assert Notification.objects.filter(recipient=people.clerk, title__startswith="被退回").exists()


def test_transfer_hands_the_item_over(three_steps, people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    head, other = person("李静怡"), person("赵明轩")
    item = pending(inst).get()
    with pytest.raises(ServiceError, match="不能转办给自己"):
        services.work_item_transfer(actor=head, item=item, to=head)
    new = services.work_item_transfer(actor=head, item=item, to=other, opinion="请赵科长代为审核")
    item.refresh_from_db()
    assert item.status == "transferred" and new.assignee == other and new.due_date == item.due_date
    with pytest.raises(Conflict):
        services.work_item_approve(actor=head, item=item)
    services.work_item_approve(actor=other, item=new)
    inst.refresh_from_db()
    assert inst.current_step_name == "主任审核"
    assert inst.history.get(action="transfer").targets == "赵明轩"


def test_add_signer_before_comes_back_to_me(three_steps, people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    head, a, b = person("李静怡"), person("赵明轩"), person("吴俊杰")
    item = pending(inst).get()
    services.work_item_add_signers(actor=head, item=item, signers=[a, b], position="before", opinion="请二位先看")
    item.refresh_from_db()
    assert item.status == "on_hold" and names(pending(inst)) == ["吴俊杰", "赵明轩"]
    with pytest.raises(Conflict, match="还未轮到"):
        services.work_item_approve(actor=head, item=item)
    services.work_item_approve(actor=a, item=pending(inst, a).get(), opinion="赵：同意")
    assert names(pending(inst)) == ["吴俊杰"]
    services.work_item_approve(actor=b, item=pending(inst, b).get(), opinion="吴：同意")
    assert names(pending(inst)) == ["李静怡"]
    services.work_item_approve(actor=head, item=pending(inst).get())
    inst.refresh_from_db()
    assert inst.current_step_name == "主任审核"


def test_add_signer_after_step_waits_for_them(three_steps, people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    head, a = person("李静怡"), person("赵明轩")
    services.work_item_add_signers(actor=head, item=pending(inst).get(), signers=[a.pk], position="after", opinion="同意，请赵科长把关")
    inst.refresh_from_db()
    assert inst.current_step_name == "科长审核" and names(pending(inst)) == ["赵明轩"]
    services.work_item_approve(actor=a, item=pending(inst).get())
    inst.refresh_from_db()
    assert inst.current_step_name == "主任审核"


def test_withdraw_only_while_next_step_untouched(three_steps, people, person, draft):
    notice = draft(people.clerk)
    inst = services.flow_start(actor=people.clerk, subject=notice)
    with pytest.raises(PermissionDenied):
        services.instance_withdraw(actor=people.director, instance=inst)  # not visible to him: not his item, not his flow
    services.instance_withdraw(actor=people.clerk, instance=inst, reason="还要修改")
    inst.refresh_from_db()
    assert inst.status == "withdrawn" and not pending(inst).exists()
    # Withdrawn: the author may submit the draft again as a new flow.
    again = services.flow_start(actor=people.clerk, subject=notice)
    services.work_item_approve(actor=person("李静怡"), item=pending(again).get())
    with pytest.raises(Conflict, match="不能撤回"):
        services.instance_withdraw(actor=people.clerk, instance=again)


def test_withdraw_refused_after_add_sign(three_steps, people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    services.work_item_add_signers(actor=person("李静怡"), item=pending(inst).get(), signers=[person("赵明轩")])
    with pytest.raises(Conflict):
        services.instance_withdraw(actor=people.clerk, instance=inst)


def test_terminate_by_step_handler_and_by_office(three_steps, people, person, draft):
    notice = draft(people.clerk)
    inst = services.flow_start(actor=people.clerk, subject=notice)
    head = person("李静怡")
    with pytest.raises(ServiceError, match="终止理由"):
        services.flow_act(actor=head, item=pending(inst).get(), action="terminate", reason="")
    services.flow_act(actor=head, item=pending(inst).get(), action="terminate", reason="内容不宜发布")
    inst.refresh_from_db()
    notice.refresh_from_db()
    assert inst.status == "terminated" and notice.status == Notice.Status.DRAFT
    assert inst.history.get(action="terminate").opinion == "内容不宜发布"
    other = services.flow_start(actor=people.clerk, subject=draft(people.clerk, "另一份"))
    with pytest.raises((PermissionDenied, NotFound)):
        services.instance_terminate(actor=people.deputy, instance=other, reason="无权")
    services.instance_terminate(actor=people.director, instance=other, reason="办公室决定终止")  # flow.supervise
    other.refresh_from_db()
    assert other.status == "terminated"


def test_step_without_terminate_refuses_it(define, people, person, draft):
    define([{"name": "科长审核", "assignee_rule": "initiator_head", "actions": ["approve"]}])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    for action, kw in (("terminate", {"reason": "x"}), ("return", {"reason": "x"}), ("transfer", {"to": people.director.pk}),
                       ("circle", {})):
        with pytest.raises(PermissionDenied, match="不允许"):
            services.flow_act(actor=person("李静怡"), item=pending(inst).get(), action=action, **kw)


def test_circle_counts_as_consent(three_steps, people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    services.work_item_circle(actor=person("李静怡"), item=pending(inst).get())
    inst.refresh_from_db()
    entry = inst.history.get(action="circle")
    assert entry.opinion == "已阅" and inst.current_step_name == "主任审核"


def test_delegate_acts_on_behalf_of_the_principal(three_steps, people, person, draft, settings):
    settings.NOTIFY_UNCLEARED = "redact"  # 县长 (核心) → 副县长 (重要): allowed only where uncleared titles are redacted
    inst = _to_leader(people, person, draft)
    leader_item = pending(inst).get()
    with pytest.raises(NotFound):
        services.work_item_approve(actor=people.deputy, item=leader_item)  # no delegation in force yet
    today = timezone.localdate()
    org_services.delegation_create(actor=people.leader, delegator=people.leader, delegate=people.deputy, start_date=today,
                                   end_date=today + datetime.timedelta(days=2), reason="出差")
    people_deputy = people.deputy
    from zhongshu.flow.selectors import todo_for

    assert leader_item in todo_for(people_deputy)
    services.work_item_approve(actor=people_deputy, item=leader_item, opinion="同意（代签）")
    entry = inst.history.get(action="approve", actor=people_deputy)
    assert entry.on_behalf_of == people.leader and entry.actor_label == "林卫东 代 周国梁"
    audit = AuditEntry.objects.filter(action="flow.approve", actor_id=people_deputy.pk).latest("seq")
    assert audit.on_behalf_of_id == people.leader.pk
    leader_item.refresh_from_db()
    assert leader_item.done_by == people_deputy
    inst.refresh_from_db()
    assert inst.status == "approved"


def test_same_item_twice_is_refused(three_steps, people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    item = pending(inst).get()
    services.work_item_approve(actor=person("李静怡"), item=item)
    with pytest.raises(Conflict, match="该事项已由他人办理"):
        services.work_item_approve(actor=person("李静怡"), item=item)
    assert WorkItem.objects.filter(instance=inst, step_name="主任审核").count() == 1


def test_circulate_read_and_bulk_circle(three_steps, people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    items = services.instance_circulate(actor=people.clerk, instance=inst, recipients=[people.leader, people.deputy], opinion="请阅")
    assert len(items) == 2
    # Circulating again to someone who has not read yet adds nothing.
    assert services.instance_circulate(actor=people.clerk, instance=inst, recipients=[people.leader]) == []
    extra = services.instance_circulate(actor=people.clerk, instance=draft_flow(people, draft), recipients=[people.leader])
    mine = [i.pk for i in WorkItem.objects.filter(assignee=people.leader, kind="read", status="pending")]
    assert len(mine) >= 2
    done = services.work_items_circle_bulk(actor=people.leader, items=[*mine, items[1].pk, "x", 999999999])
    assert done == len(mine)  # the deputy's item and junk ids are skipped
    assert not WorkItem.objects.filter(assignee=people.leader, kind="read", status="pending").exists()
    assert extra[0].status == "pending"  # the object in memory is stale; the row is done
    assert WorkItem.objects.get(pk=extra[0].pk).action == "read"


def draft_flow(people, draft):
    return services.flow_start(actor=people.clerk, subject=draft(people.clerk, "另一件"))


def test_chase_by_initiator_and_office(three_steps, people, person, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    services.instance_chase(actor=people.clerk, instance=inst, message="请今天内审核")
    note = Notification.objects.filter(recipient=person("李静怡"), level="urgent").latest("id")
    assert "催办" in note.title and "请今天内审核" in note.body
    assert inst.history.get(action="chase").targets == "李静怡"
    services.instance_chase(actor=people.director, instance=inst)  # the office (flow.supervise)
    with pytest.raises((PermissionDenied, NotFound)):
        services.instance_chase(actor=people.deputy, instance=inst)
