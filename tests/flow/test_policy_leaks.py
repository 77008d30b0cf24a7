"""Leaks found by the access review (issue 13) in 流程 and 委托: each test failed before its fix."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhongshu.core.errors import NotFound, PermissionDenied, ServiceError
from zhongshu.flow import services
from zhongshu.flow.models import WorkItem
from zhongshu.flow.policy import WorkItemPolicy
from zhongshu.notify.models import Notification
from zhongshu.org import services as org_services
from zhongshu.org.models import Organization

from .conftest import pending

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


# ---- 1. delegation below the delegator's clearance ------------------------------------------------------------
def test_delegation_to_a_less_cleared_person_is_refused_naming_both(people):
    leader, clerk = people.leader, people.clerk  # 核心涉密人员 → 一般涉密人员
    with pytest.raises(ServiceError) as exc:
        org_services.delegation_create(actor=leader, delegator=leader, delegate=clerk, start_date=_today(), end_date=_today(), reason="出差")
    message = exc.value.message
    assert "王思远" in message and "周国梁" in message and "涉密等级" in message
    assert exc.value.fields and "delegate" in exc.value.fields
    # an equally cleared delegate is fine (the demo's 林卫东 is 重要, below 核心: refused too)
    with pytest.raises(ServiceError, match="林卫东"):
        org_services.delegation_create(actor=leader, delegator=leader, delegate=people.deputy, start_date=_today(), end_date=_today(), reason="出差")
    org_services.delegation_create(actor=people.deputy, delegator=people.deputy, delegate=people.director, start_date=_today(),
                                   end_date=_today(), reason="出差")


def test_redact_mode_allows_the_delegation_but_the_delegate_never_sees_nor_acts_above_clearance(settings, define, people, draft):
    settings.NOTIFY_UNCLEARED = "redact"
    leader, clerk = people.leader, people.clerk
    org_services.delegation_create(actor=leader, delegator=leader, delegate=clerk, start_date=_today(), end_date=_today(), reason="出差")
    define([{"name": "县长签发", "assignee_rule": "users", "users": [people.leader]}])
    inst = services.flow_start(actor=people.director, subject=draft(people.director, "机密通知标题", classification=3, secrecy_period="10年", scope="selected",
                                                           recipient_users=[leader]))
    item = pending(inst).get()
    assert not Notification.objects.filter(recipient=clerk, title__contains="机密通知标题").exists()
    assert Notification.objects.filter(recipient=leader, title__contains="机密通知标题").exists()
    assert WorkItemPolicy.allowed_actions(clerk, item) == set()
    with pytest.raises((NotFound, PermissionDenied)):
        services.work_item_approve(actor=clerk, item=item)
    # a chase (催办) reaches the delegate only as the redacted line
    services.instance_chase(actor=people.director, instance=inst)
    assert not Notification.objects.filter(recipient=clerk, title__contains="机密通知标题").exists()


# ---- 2. separation of duties: nobody approves their own submission -----------------------------------------------
def test_a_delegate_cannot_approve_their_own_submission_for_the_delegator(define, people, draft):
    director, deputy = people.director, people.deputy
    define([{"name": "副县长审核", "assignee_rule": "users", "users": [deputy]}])
    org_services.delegation_create(actor=deputy, delegator=deputy, delegate=director, start_date=_today(),
                                   end_date=_today() + datetime.timedelta(days=1), reason="出差")
    inst = services.flow_start(actor=director, subject=draft(director, "自己起草的通知"))
    item = pending(inst).get()
    assert item.assignee == deputy
    acts = WorkItemPolicy.allowed_actions(director, item)
    assert "approve" not in acts and "circle" not in acts
    with pytest.raises(PermissionDenied, match="不能审批自己提交"):
        services.work_item_approve(actor=director, item=item)
    with pytest.raises(PermissionDenied, match="不能审批自己提交"):
        services.work_item_circle(actor=director, item=item)
    assert "approve" in WorkItemPolicy.allowed_actions(deputy, item)
    services.work_item_approve(actor=deputy, item=item)


def test_an_initiator_holding_a_step_item_cannot_approve_it(define, people, person, draft):
    clerk = people.clerk
    define([{"name": "会签", "kind": "parallel", "assignee_rule": "users", "users": [clerk, person("李静怡")]}])
    inst = services.flow_start(actor=clerk, subject=draft(clerk))
    mine = pending(inst, clerk).get()
    with pytest.raises(PermissionDenied, match="不能审批自己提交"):
        services.work_item_approve(actor=clerk, item=mine)
    # the initiator's own 退回修改 item (重新提交) is theirs to submit again
    services.work_item_return(actor=person("李静怡"), item=pending(inst, person("李静怡")).get(), reason="补充", to_position=-1)
    back = pending(inst, clerk).get()
    assert back.origin == WorkItem.Origin.INITIATOR
    assert "approve" in WorkItemPolicy.allowed_actions(clerk, back)


# ---- 3. circulation widening need-to-know --------------------------------------------------------------------
def test_a_reader_cannot_widen_need_to_know_by_circulating(define, people, person, draft):
    define([{"name": "主任审核", "assignee_rule": "users", "users": [people.director]}])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    services.instance_circulate(actor=people.clerk, instance=inst, recipients=[people.deputy])  # the owner decides
    outsider = person("赵明轩")
    with pytest.raises(PermissionDenied, match="知悉范围"):
        services.instance_circulate(actor=people.deputy, instance=inst, recipients=[outsider])
    assert not WorkItem.objects.filter(instance=inst, assignee=outsider).exists()
    # the office may widen it
    services.instance_circulate(actor=people.director, instance=inst, recipients=[outsider])
    assert WorkItem.objects.filter(instance=inst, assignee=outsider, kind="read").exists()


def test_in_scope_circulation_passes_only_to_people_who_can_already_read(define, people, person, draft):
    zfb = Organization.objects.get(code="zfb")
    org_services_set_scope(zfb, "in_scope")
    define([{"name": "主任审核", "assignee_rule": "users", "users": [people.director]}])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    services.instance_circulate(actor=people.clerk, instance=inst, recipients=[people.deputy])
    with pytest.raises(PermissionDenied, match="知悉范围"):
        services.instance_circulate(actor=people.deputy, instance=inst, recipients=[person("赵明轩")])
    services.instance_circulate(actor=people.deputy, instance=inst, recipients=[people.director])  # already holds it


def org_services_set_scope(org, scope):
    org.circulation_scope = scope
    org.save(update_fields=["circulation_scope"])
