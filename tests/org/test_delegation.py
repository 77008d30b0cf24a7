import datetime as dt

import pytest
from django.utils import timezone

from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.org import services
from zhongshu.org.selectors import acting_label, principals_of

pytestmark = pytest.mark.django_db


def test_delegation_in_force_and_label(people, settings):
    settings.NOTIFY_UNCLEARED = "redact"  # 县长 (核心) → 副县长 (重要): allowed only where uncleared titles are redacted
    leader, deputy, clerk = people.leader, people.deputy, people.clerk
    today = timezone.localdate()
    services.delegation_create(actor=leader, delegator=leader, delegate=deputy, start_date=today, end_date=today + dt.timedelta(days=2), reason="休假")
    assert leader in principals_of(deputy)
    assert leader not in principals_of(clerk)
    assert principals_of(deputy, today + dt.timedelta(days=30)) == []
    assert acting_label(deputy, leader) == "林卫东 代 周国梁"
    assert acting_label(deputy, None) == "林卫东"


def test_delegation_rules(people):
    leader, deputy, clerk = people.leader, people.deputy, people.clerk
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.delegation_create(actor=clerk, delegator=leader, delegate=clerk, start_date=today, end_date=today, reason="x")
    with pytest.raises(ServiceError, match="不能委托给自己"):
        services.delegation_create(actor=leader, delegator=leader, delegate=leader, start_date=today, end_date=today, reason="x")
    with pytest.raises(ServiceError, match="同属一个机关"):
        services.delegation_create(actor=leader, delegator=leader, delegate=people.liaison, start_date=today, end_date=today, reason="x")
    with pytest.raises(ServiceError, match="不能早于"):
        services.delegation_create(actor=deputy, delegator=deputy, delegate=people.director, start_date=today, end_date=today - dt.timedelta(days=1), reason="x")
    # the demo already has deputy → 许建平 next week: an overlapping one is refused
    with pytest.raises(ServiceError, match="已有生效的委托"):
        services.delegation_create(actor=deputy, delegator=deputy, delegate=people.director, start_date=today + dt.timedelta(days=8), end_date=today + dt.timedelta(days=9), reason="x")
    # the office director may record one for someone else
    d = services.delegation_create(actor=people.director, delegator=clerk, delegate=deputy, start_date=today, end_date=today, reason="外出")
    services.delegation_revoke(actor=clerk, delegation=d)
    assert principals_of(deputy) == []
    with pytest.raises(ServiceError, match="已经撤销"):
        services.delegation_revoke(actor=clerk, delegation=d)


def test_delegation_page(client, people, settings):
    settings.NOTIFY_UNCLEARED = "redact"  # 县长 (核心) → 副县长 (重要): allowed only where uncleared titles are redacted
    client.force_login(people.leader)
    today = timezone.localdate()
    resp = client.post("/org/delegations/", {"delegator": people.leader.pk, "delegate": people.deputy.pk, "start_date": today, "end_date": today, "reason": ""})
    assert "该字段是必填项" in resp.content.decode()
    resp = client.post("/org/delegations/", {"delegator": people.leader.pk, "delegate": people.deputy.pk, "start_date": today, "end_date": today, "reason": "开会"}, follow=True)
    assert "委托已设置" in resp.content.decode()
    client.force_login(people.deputy)
    assert "周国梁" in client.get("/org/delegations/").content.decode()


def test_delegation_page_names_the_clearance_refusal(client, people):
    client.force_login(people.leader)
    today = timezone.localdate()
    resp = client.post("/org/delegations/", {"delegator": people.leader.pk, "delegate": people.clerk.pk, "start_date": today,
                                             "end_date": today, "reason": "开会"})
    page = resp.content.decode()
    assert "受托人王思远为一般涉密人员，低于委托人周国梁" in page
    from zhongshu.org.models import Delegation

    assert not Delegation.objects.filter(delegator=people.leader, delegate=people.clerk).exists()
