"""Leak: classified 督办 titles must not reach uncleared people through 分派/改派/转交, and every notification about
an item goes through notify(subject=item); the daily scan acts as SYSTEM, not actor=None."""

import pytest

from zhongshu.access.policy import SYSTEM
from zhongshu.core.classification import Classification
from zhongshu.core.errors import ServiceError
from zhongshu.notify.models import Notification
from zhongshu.org.models import Department, User
from zhongshu.supervision import services
from zhongshu.supervision.models import SupervisionItem

from .conftest import at, liaison, office

pytestmark = pytest.mark.django_db


def dept(code: str, name: str) -> Department:
    return Department.objects.get(organization__code=code, name=name)


def test_confidential_item_to_other_organ_liaison_is_refused_naming_him(make_item, people):
    item = make_item(actor=people.director, lead="fgj", classification=Classification.CONFIDENTIAL, leader=people.deputy,
                     title="机密督办甲")
    fgj = liaison("fgj")  # 一般涉密: 秘密 at most
    with pytest.raises(ServiceError) as exc:
        services.supervision_item_assign(actor=people.director, item=item)
    assert fgj.display_name in exc.value.message and "机密" in exc.value.message
    item.refresh_from_db()
    assert item.status == "draft" and not item.tasks.exists()
    assert not Notification.objects.filter(title__contains="机密督办甲").exists()


def test_secret_item_to_department_with_uncleared_head_is_refused(make_item, people):
    admin_office = dept("zfb", "行政科")  # head 曹丽娟 is 非涉密
    item = make_item(actor=people.director, lead=admin_office, classification=Classification.SECRET, title="秘密督办乙")
    with pytest.raises(ServiceError, match=admin_office.head.display_name):
        services.supervision_item_assign(actor=people.director, item=item)
    assert not Notification.objects.filter(title__contains="秘密督办乙").exists()


def test_task_add_and_reassign_ask_the_policy(make_item, people):
    leaders = dept("fgj", "领导班子")  # only the 局长 (重要涉密) is in it
    item = make_item(actor=people.director, lead=leaders, classification=Classification.CONFIDENTIAL, title="机密督办丙")
    services.supervision_item_assign(actor=people.director, item=item)
    with pytest.raises(ServiceError, match=liaison("czj").display_name):
        services.supervision_task_add(actor=people.director, item=item, department=office("czj"))
    task = item.tasks.get()
    with pytest.raises(ServiceError, match=liaison("fgj").display_name):
        services.supervision_task_reassign(actor=people.director, task=task, department=office("fgj"))
    task.refresh_from_db()
    assert task.status == "pending" and item.tasks.count() == 1
    assert not Notification.objects.filter(recipient=liaison("fgj"), title__contains="机密督办丙").exists()


def test_hand_down_names_the_uncleared_person(make_item, people):
    second = dept("zfb", "秘书二科")  # head 赵明轩 一般涉密; 孙雨桐 非涉密
    item = make_item(actor=people.director, lead=second, classification=Classification.SECRET, title="秘密督办丁")
    services.supervision_item_assign(actor=people.director, item=item)
    task = item.tasks.get()
    head = second.head
    low = User.objects.get(real_name="孙雨桐")
    with pytest.raises(ServiceError) as exc:
        services.supervision_task_hand_down(actor=head, task=task, assignee=low)
    assert "孙雨桐" in exc.value.message and "非涉密" in exc.value.message
    assert exc.value.fields and "assignee" in exc.value.fields


def test_every_item_notification_names_its_subject(assigned, people, monkeypatch):
    seen = []
    real = services.notify

    def spy(**kw):
        seen.append(kw)
        return real(**kw)

    monkeypatch.setattr(services, "notify", spy)
    item = assigned(co=["czj"])
    lead = item.tasks.get(role="lead")
    services.supervision_task_accept(actor=liaison("fgj"), task=lead)
    services.supervision_report_submit(actor=liaison("fgj"), task=lead, content="进展")
    services.supervision_reminder_issue(actor=people.clerk, item=item)
    assert seen and all(isinstance(kw.get("subject"), SupervisionItem) and kw["subject"].pk == item.pk for kw in seen)


def test_daily_scan_acts_as_system(assigned, people, monkeypatch):
    from zhongshu.audit.models import AuditEntry
    from zhongshu.supervision import reminders

    with at("2026-03-02"):
        item = assigned(workdays=2)
    actors = []
    real = services.supervision_reminder_issue

    def spy(**kw):
        actors.append(kw["actor"])
        return real(**kw)

    monkeypatch.setattr(services, "supervision_reminder_issue", spy)
    with at("2026-03-20"):
        reminders.reminders_scan()
    assert actors == [SYSTEM]
    entries = AuditEntry.objects.filter(target_id=str(item.pk), action__startswith="supervision.").exclude(action__in=["supervision.create", "supervision.assign"])
    assert entries.exists() and set(entries.values_list("actor_name", flat=True)) == {"系统"}


def test_system_may_not_do_office_work(assigned):
    item = assigned()
    from zhongshu.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.supervision_task_add(actor=SYSTEM, item=item, department=office("czj"))
    with pytest.raises(PermissionDenied):
        services.supervision_reminder_issue(actor=None, item=item)  # “no actor” is no longer a free pass
