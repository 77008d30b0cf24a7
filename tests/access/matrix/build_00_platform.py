"""The platform's own objects in the access matrix (built first, hence the name): an API token, a group robot, a
password activation awaiting approval, a local holiday, a draft flow version. They carry no classified content;
they are here so that every route that acts on them — revoke, edit, approve, print the envelope, delete, publish —
is reached, and posted by the personas who were never offered it (which must change nothing).

The group robot is built first on purpose: every notification the other builders cause is pushed to it, and the
matrix checks each payload for classified markers.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from zhongshu.accounts.services import (
    activation_approve,
    activation_envelope,
    activation_request,
    token_create,
)
from zhongshu.flow.models import FlowDefinition
from zhongshu.flow.services.definitions import definition_new_version
from zhongshu.notify.services import webhook_save
from zhongshu.org.models import User
from zhongshu.workdays.models import CalendarDay
from zhongshu.workdays.services import calendar_day_set

from .world import PERSONAS


def build(w) -> None:
    p = w.people
    admin = p.admin
    org = admin.organization
    webhook_save(actor=admin, organization=org, name="县政府办公室值班群", kind="generic", url="https://robot.example.invalid/hook",
                 secret="matrix-secret", levels="info,reminder,urgent,warning", is_active=True)
    token_create(user=p.clerk, name="矩阵测试手机")
    # Password activations for people who are not walking personas (a reset ends that person's sessions): one
    # awaiting the security administrator, one approved with envelopes to print, one printed and awaiting handover.
    others = list(User.objects.filter(organization=org, is_active=True, admin_role="").exclude(username__in=PERSONAS).order_by("pk")[:3])
    activation_request(actor=admin, user=others[0], reason="忘记密码")
    for n, person in enumerate(others[1:]):
        User.objects.filter(pk=person.pk).update(email="")  # no e-mail: the code goes out in two sealed envelopes
        person.refresh_from_db()
        activation = activation_approve(actor=p.secadmin, activation=activation_request(actor=admin, user=person, reason="账号锁定后重置"))
        if n:
            activation_envelope(actor=admin, activation=activation)
            activation_envelope(actor=p.secadmin, activation=activation)
    # A local holiday next year (a Monday), so the calendar's delete form exists.
    day = datetime.date(timezone.localdate().year + 1, 3, 1)
    day += datetime.timedelta(days=(7 - day.weekday()) % 7)
    if not CalendarDay.objects.filter(date=day, organization=org).exists():
        calendar_day_set(actor=admin, date=day, kind=CalendarDay.Kind.HOLIDAY, name="县庆放假", organization=org)
    active = FlowDefinition.objects.filter(organization=org, status=FlowDefinition.Status.ACTIVE).order_by("pk").first()
    if active and not FlowDefinition.objects.filter(organization=org, business_type=active.business_type, status=FlowDefinition.Status.DRAFT).exists():
        definition_new_version(actor=admin, definition=active)
