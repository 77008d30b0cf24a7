"""Two people acting on the same work item at once: exactly one succeeds, nothing advances twice.

Real threads, each with its own database connection; meaningful on PostgreSQL (row locks + conditional
UPDATE). On SQLite, IMMEDIATE transactions serialise writers anyway, so the test is skipped there.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from zhongshu.core.errors import Conflict
from zhongshu.flow import services
from zhongshu.flow.models import FlowAction, WorkItem
from zhongshu.org import services as org_services
from zhongshu.org.models import Department

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
ROUNDS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("竞争测试需要 PostgreSQL（行锁）：DATABASE_URL=postgres://… pytest -m race；SQLite 以 IMMEDIATE 事务串行化写入")


def _race(calls):
    """Run the callables at the same instant in threads; return their results (value or exception)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # the loser's Conflict is the expected outcome
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_principal_and_delegate_on_the_same_item(define, people, draft, settings):
    settings.NOTIFY_UNCLEARED = "redact"  # 县长 (核心) → 副县长 (重要): allowed only where uncleared titles are redacted
    define([{"name": "县长签发", "assignee_rule": "principal"}, {"name": "主任办结", "assignee_rule": "users", "users": [people.director]}])
    today = timezone.localdate()
    org_services.delegation_create(actor=people.leader, delegator=people.leader, delegate=people.deputy, start_date=today,
                                   end_date=today + datetime.timedelta(days=1), reason="竞争测试")
    leader, deputy = people.leader, people.deputy
    for n in range(ROUNDS):
        inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk, f"竞争{n}"))
        item = WorkItem.objects.get(instance=inst, status="pending")
        results = _race([
            lambda: services.work_item_approve(actor=leader, item=item.pk, opinion="县长同意"),
            lambda: services.work_item_approve(actor=deputy, item=item.pk, opinion="代签同意"),
        ])
        wins = [r for r in results if isinstance(r, WorkItem)]
        losses = [r for r in results if isinstance(r, Conflict)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert losses[0].message == "该事项已由他人办理，请刷新。"
        assert FlowAction.objects.filter(instance=inst, action="approve").count() == 1
        assert WorkItem.objects.filter(instance=inst, step_name="主任办结").count() == 1


def test_three_holders_grab_a_single_step(define, people, draft):
    office = Department.objects.get(organization=people.clerk.organization, code="BGS")
    define([{"name": "主任室", "assignee_rule": "role_dept", "role": "office_director", "department": office},
            {"name": "县长签发", "assignee_rule": "principal"}])
    for n in range(ROUNDS):
        inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk, f"抢办{n}"))
        items = list(WorkItem.objects.select_related("assignee").filter(instance=inst, status="pending"))
        assert len(items) == 3
        results = _race([lambda i=i: services.work_item_approve(actor=i.assignee, item=i.pk) for i in items])
        assert sum(isinstance(r, WorkItem) for r in results) == 1, results
        assert all(isinstance(r, WorkItem | Conflict) for r in results), results
        assert WorkItem.objects.filter(instance=inst, step_name="县长签发").count() == 1
        assert FlowAction.objects.filter(instance=inst, action="approve").count() == 1


def test_parallel_all_signers_at_once_advance_exactly_once(define, people, person, draft):
    signers = [person("李静怡"), person("赵明轩"), person("吴俊杰")]
    define([{"name": "会签", "kind": "parallel", "completion": "all", "assignee_rule": "users", "users": signers},
            {"name": "主任审定", "assignee_rule": "users", "users": [people.director]}])
    for n in range(ROUNDS):
        inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk, f"会签{n}"))
        items = list(WorkItem.objects.select_related("assignee").filter(instance=inst, status="pending"))
        results = _race([lambda i=i: services.work_item_approve(actor=i.assignee, item=i.pk) for i in items])
        assert all(isinstance(r, WorkItem) for r in results), results
        assert WorkItem.objects.filter(instance=inst, step_name="主任审定").count() == 1
        inst.refresh_from_db()
        assert inst.current_step_name == "主任审定"
