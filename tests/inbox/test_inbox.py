"""The one inbox: every task source's rows appear in the person's 待办/待阅 and leave it when done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhongshu.flow import services as flow
from zhongshu.flow.models import WorkItem
from zhongshu.inbox import selectors
from zhongshu.inbox.models import Task
from zhongshu.inbox.registry import rebuild

pytestmark = pytest.mark.django_db


def open_tasks(user, kind=None):
    qs = selectors.tasks_for(user)
    return qs.filter(kind=kind) if kind else qs


def test_signals_keep_tasks_exact_after_the_demo(county):
    """The demo county was built through the services: rebuilding from the sources changes nothing."""
    assert Task.objects.filter(status="open").exists()
    assert sum(rebuild().values()) == 0


def test_flow_items_are_tasks_until_acted(county, people):
    item = WorkItem.objects.filter(status="pending", kind="todo", instance__status="running").select_related("assignee").first()
    assert item is not None
    user = item.assignee
    t = open_tasks(user, "flow.todo").get(object_id=item.pk)
    assert t.url == item.get_absolute_url() and t.title == item.instance.title and t.box == "todo"
