"""The engine: serial, 串签, 会签 all/any/N-of-M, conditions, assignee rules, auto-skip, versioning."""

from __future__ import annotations

import pytest

from zhongshu.audit.models import AuditEntry
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, ServiceError
from zhongshu.flow import services
from zhongshu.flow.models import FlowAction, FlowInstance, WorkItem
from zhongshu.notices.models import Notice
from zhongshu.notify.models import Notification
from zhongshu.org.models import Department

from .conftest import names, pending

pytestmark = pytest.mark.django_db


def test_demo_notice_review_publishes_on_completion(people, person, draft):
    clerk, director = people.clerk, people.director
    head = person("李静怡")
    notice = draft(clerk, "关于周末加班安排的通知")
    inst = services.flow_start(actor=clerk, subject=notice, opinion="请审核")
    assert inst.status == "running" and inst.current_step_name == "部门负责人审核"
    assert names(pending(inst)) == ["李静怡"]
    assert Notification.objects.filter(recipient=head, title__contains="关于周末加班安排的通知").exists()
    services.work_item_approve(actor=head, item=pending(inst).get(), opinion="同意")
    inst.refresh_from_db()
    assert inst.current_step_name == "办公室主任审核" and names(pending(inst)) == ["陈志远"]
    services.work_item_approve(actor=director, item=pending(inst).get(), opinion="同意发布")
    inst.refresh_from_db()
    notice.refresh_from_db()
    assert inst.status == "approved" and inst.finished_at is not None
    assert notice.status == Notice.Status.PUBLISHED  # the module's completion callback ran
    actions = list(inst.history.values_list("action", "opinion"))
    assert actions == [("start", "请审核"), ("approve", "同意"), ("approve", "同意发布"), ("finish", "")]
    assert AuditEntry.objects.filter(action="flow.approve", target_id=str(inst.pk)).count() == 2
    # A flow in progress on the same object refuses a second start; a finished one refuses because it is published.
    with pytest.raises(ServiceError):
        services.flow_start(actor=clerk, subject=notice)


def test_one_running_flow_per_subject(people, draft):
    notice = draft(people.clerk)
    services.flow_start(actor=people.clerk, subject=notice)
    with pytest.raises(Conflict):
        services.flow_start(actor=people.clerk, subject=notice)


def test_only_the_author_may_submit(people, draft):
    notice = draft(people.clerk)
    with pytest.raises(ServiceError, match="起草人"):
        services.flow_start(actor=people.director, subject=notice)


def test_serial_countersign_goes_one_by_one(define, people, person, draft):
    a, b, c = person("李静怡"), person("赵明轩"), person("吴俊杰")
    define([{"name": "串签", "kind": "serial", "assignee_rule": "users", "users": [a, b, c]}])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    assert names(pending(inst)) == ["李静怡"]
    assert WorkItem.objects.filter(instance=inst, status="queued").count() == 2
    services.work_item_approve(actor=a, item=pending(inst).get())
    assert names(pending(inst)) == ["赵明轩"]
    services.work_item_approve(actor=b, item=pending(inst).get())
    assert names(pending(inst)) == ["吴俊杰"]
    services.work_item_approve(actor=c, item=pending(inst).get())
    inst.refresh_from_db()
    assert inst.status == "approved"


@pytest.mark.parametrize(
    ("completion", "n", "approvals_needed"),
    [("all", None, 3), ("any", None, 1), ("n", 2, 2)],
)
def test_parallel_countersign_rules(define, people, person, draft, completion, n, approvals_needed):
    signers = [person("李静怡"), person("赵明轩"), person("吴俊杰")]
    define([
        {"name": "会签", "kind": "parallel", "completion": completion, "completion_n": n, "assignee_rule": "users", "users": signers},
        {"name": "主任审定", "assignee_rule": "users", "users": [people.director]},
    ])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    assert len(pending(inst)) == 3
    for i, signer in enumerate(signers[:approvals_needed]):
        inst.refresh_from_db()
        assert inst.current_step_name == "会签", i
        services.work_item_approve(actor=signer, item=pending(inst, signer).get(), opinion=f"会签意见{i}")
    inst.refresh_from_db()
    assert inst.current_step_name == "主任审定"
    assert names(pending(inst)) == ["陈志远"]
    # Those who had not signed when the rule was met have nothing left to do.
    cancelled = WorkItem.objects.filter(instance=inst, step_name="会签", status="cancelled").count()
    assert cancelled == 3 - approvals_needed


def test_parallel_all_does_not_advance_early(define, people, person, draft):
    a, b = person("李静怡"), person("赵明轩")
    define([{"name": "会签", "kind": "parallel", "completion": "all", "assignee_rule": "users", "users": [a, b]}])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    services.work_item_approve(actor=a, item=pending(inst, a).get())
    inst.refresh_from_db()
    assert inst.status == "running" and names(pending(inst)) == ["赵明轩"]


def test_conditional_steps_by_classification_and_department(define, people, person, draft):
    define([
        {"name": "科长审核", "assignee_rule": "initiator_head"},
        {"name": "分管领导审批", "assignee_rule": "initiator_leader", "condition_fact": "classification", "condition_op": "gte",
         "condition_value": "2"},
        {"name": "秘书一科专送", "assignee_rule": "users", "users": [people.director], "condition_fact": "department",
         "condition_op": "eq", "condition_value": "MS1"},
        {"name": "其他部门", "assignee_rule": "principal", "condition_fact": "department", "condition_op": "ne", "condition_value": "MS1"},
    ])
    steps = lambda inst: [s.name for s in inst.definition.steps.filter(pk__in=inst.plan).order_by("order")]  # noqa: E731
    internal = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    assert steps(internal) == ["科长审核", "秘书一科专送"]
    secret = draft(people.clerk, "涉密通知", classification=Classification.SECRET, scope="selected", recipient_users=[people.leader])
    inst = services.flow_start(actor=people.clerk, subject=secret)
    assert steps(inst) == ["科长审核", "分管领导审批", "秘书一科专送"]
    services.work_item_approve(actor=person("李静怡"), item=pending(inst).get())
    assert names(pending(inst)) == ["林卫东"]  # the 分管领导 of 秘书一科 (deputy)
    other = draft(person("赵明轩"), "秘书二科的通知")
    inst2 = services.flow_start(actor=person("赵明轩"), subject=other)
    assert steps(inst2) == ["科长审核", "其他部门"]
    # 赵明轩 heads 秘书二科 himself: his own review passes automatically, the principal gets it.
    assert names(pending(inst2)) == ["周国梁"]
    assert inst2.history.filter(action="skip", step_name="科长审核").exists()


def test_role_in_department_single_step_first_one_wins(define, people, person, draft):
    office = Department.objects.get(organization=people.clerk.organization, code="BGS")
    define([{"name": "主任室", "assignee_rule": "role_dept", "role": "office_director", "department": office}])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    assert names(pending(inst)) == ["郑海涛", "陈志远", "高晓燕"]
    gao = person("高晓燕")
    services.work_item_approve(actor=gao, item=pending(inst, gao).get())
    inst.refresh_from_db()
    assert inst.status == "approved"
    assert WorkItem.objects.filter(instance=inst, status="cancelled").count() == 2
    with pytest.raises(Conflict, match="已由他人办理"):
        services.work_item_approve(actor=people.director, item=WorkItem.objects.get(instance=inst, assignee=people.director))


def test_chosen_by_previous_actor_from_allowed_set(define, people, person, draft):
    define([
        {"name": "科长审核", "assignee_rule": "initiator_head"},
        {"name": "领导审批", "assignee_rule": "chosen", "role": "leader"},
    ])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    head = person("李静怡")
    item = pending(inst).get()
    step, candidates = services.engine.upcoming_choice(inst)
    assert step.name == "领导审批" and people.leader in candidates and people.clerk not in candidates
    with pytest.raises(ServiceError, match="请选择"):
        services.work_item_approve(actor=head, item=item)
    with pytest.raises(ServiceError, match="不在范围内"):
        services.work_item_approve(actor=head, item=item, next_assignees=[people.director])
    assert pending(inst).get() == item  # nothing moved on a refused action
    services.work_item_approve(actor=head, item=item, next_assignees=[people.deputy.pk])
    assert names(pending(inst)) == ["林卫东"]


def test_missing_assignee_is_a_clear_error(define, people, draft):
    define([{"name": "主要负责人", "assignee_rule": "principal"}])
    org = people.clerk.organization
    org.principal = None
    org.save()
    with pytest.raises(ServiceError, match="找不到办理人"):
        services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    assert not FlowInstance.objects.filter(initiator=people.clerk, definition__name="测试流程").exists()


def test_clearance_of_assignees_is_checked(define, people, person, draft):
    define([{"name": "审核", "assignee_rule": "users", "users": [person("孙雨桐")]}])  # 非涉密人员
    secret = draft(people.clerk, "涉密", classification=Classification.SECRET, scope="selected", recipient_users=[people.leader])
    with pytest.raises(ServiceError, match="涉密等级不足"):
        services.flow_start(actor=people.clerk, subject=secret)


def test_running_instances_keep_their_version(define, people, person, draft):
    define([{"name": "旧版步骤", "assignee_rule": "users", "users": [person("李静怡")]}])
    old = services.flow_start(actor=people.clerk, subject=draft(people.clerk, "旧"))
    define([{"name": "新版步骤", "assignee_rule": "users", "users": [people.director]}])
    new = services.flow_start(actor=people.clerk, subject=draft(people.clerk, "新"))
    old.definition.refresh_from_db()
    assert old.definition.status == "retired" and new.definition.status == "active"
    services.work_item_approve(actor=person("李静怡"), item=pending(old).get())
    old.refresh_from_db()
    assert old.status == "approved" and names(pending(new)) == ["陈志远"]


def test_circulate_step_hands_out_reading_without_blocking(define, people, person, draft):
    define([
        {"name": "传阅", "kind": "circulate", "assignee_rule": "users", "users": [people.leader, people.deputy], "actions": []},
        {"name": "主任审定", "assignee_rule": "users", "users": [people.director]},
    ])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    assert names(pending(inst, kind="read")) == ["周国梁", "林卫东"] or names(pending(inst, kind="read")) == ["林卫东", "周国梁"]
    assert names(pending(inst)) == ["陈志远"]
    services.work_item_read(actor=people.leader, item=pending(inst, people.leader, kind="read").get())
    assert inst.history.filter(action="read", actor=people.leader).exists()


def test_history_is_append_only_on_postgresql(people, draft):
    from django.db import connection, transaction

    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    entry = FlowAction.objects.filter(instance=inst).first()
    if connection.vendor != "postgresql":
        pytest.skip("只在 PostgreSQL 上由触发器保证（SQLite 无数据库用户）")
    from django.db.utils import DatabaseError

    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        FlowAction.objects.filter(pk=entry.pk).update(opinion="篡改")


def test_flow_state_for_modules(people, person, draft):
    notice = draft(people.clerk, "状态查询")
    assert services.flow_state(notice).status_label == "未送审"
    services.flow_start(actor=people.clerk, subject=notice)
    state = services.flow_state(notice)
    assert state.running and state.step_name == "部门负责人审核" and state.holders == ["李静怡"]
    assert [h.action for h in state.history] == ["start"]
