"""Flow test helpers: define a flow for 县政府办 notices, draft notices, find people by name, act quickly."""

from __future__ import annotations

import pytest

from zhongshu.flow.models import FlowDefinition, StepAction, WorkItem
from zhongshu.flow.services.definitions import definition_create, definition_publish, definition_save_steps
from zhongshu.notices import services as notice_services
from zhongshu.org.models import Organization, User

ALL_ACTIONS = [a.value for a in StepAction]


@pytest.fixture
def zfb(county):
    return Organization.objects.get(code="zfb")


@pytest.fixture
def person(county):
    def get(name: str) -> User:
        return User.objects.get(real_name=name)

    return get


@pytest.fixture
def define(zfb, people):
    """Publish a new version of the 县政府办 notice flow with the given steps; returns the definition."""

    def make(steps: list[dict], *, name: str = "测试流程") -> FlowDefinition:
        admin = people.admin
        d = definition_create(actor=admin, organization=zfb, business_type="notice", name=name)
        rows = []
        for s in steps:
            row = {"kind": "single", "actions": ALL_ACTIONS, **s}
            rows.append(row)
        definition_save_steps(actor=admin, definition=d, steps=rows)
        return definition_publish(actor=admin, definition=d)

    return make


@pytest.fixture
def draft(county):
    def make(author: User, title: str = "测试通知", **kw):
        return notice_services.notice_create(actor=author, title=title, body="正文", **kw)

    return make


def pending(instance, user=None, kind="todo"):
    qs = WorkItem.objects.filter(instance=instance, status="pending", kind=kind)
    if user is not None:
        qs = qs.filter(assignee=user)
    return qs.order_by("id")


def names(qs):
    return sorted(i.assignee.real_name for i in qs)


@pytest.fixture
def as_user(web):
    """Signed-in client; 三员 accounts count as enrolled in TOTP (else every page sends them to set-up)."""

    def make(user):
        if user.admin_role and not user.totp_confirmed:
            user.totp_confirmed = True
            user.save(update_fields=["totp_confirmed"])
        return web(user)

    return make
