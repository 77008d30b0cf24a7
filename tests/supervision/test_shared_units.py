"""督办 and 收文 承办 share one rule for who acts for a unit (zhongshu/org/units.py); the 改派 form has no misleading
default; the 申请办结 form says that it does not wait for the 协办 units."""

import re

import pytest

from zhongshu.org import units
from zhongshu.supervision import services
from zhongshu.supervision.policy import SupervisionTaskPolicy

from .conftest import liaison, office

pytestmark = pytest.mark.django_db


def test_supervision_signers_and_contacts_are_the_shared_unit_rule(assigned, people):
    item = assigned(lead="fgj", co=["czj"])
    task = item.tasks.get(department=office("fgj"))
    assert {p.pk for p in services.contacts(task)} == {p.pk for p in units.signers(department=office("fgj"))}
    assert SupervisionTaskPolicy.signs_for(liaison("fgj"), task) and units.signs_for(liaison("fgj"), department=office("fgj"))
    assert not SupervisionTaskPolicy.signs_for(liaison("czj"), task)
    services.supervision_task_hand_down(actor=liaison("fgj"), task=task, assignee=liaison("fgj"))
    task.refresh_from_db()
    assert services.contacts(task) == [liaison("fgj")]


def test_reassign_form_has_no_default_department(assigned, people, client):
    item = assigned(lead="fgj")
    client.force_login(people.clerk)
    page = client.get(item.get_absolute_url()).content.decode()
    select = re.search(r'<select name="department" required>(.*?)</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select.group(1))
    assert options[0] == ("", " selected")  # “请选择改派单位”, not the first department of the county
    assert all(not sel for _v, sel in options[1:])
    assert str(office("fgj").pk) not in [v for v, _s in options]  # not the department it already is


def test_completion_form_says_it_does_not_wait_for_co_units(assigned, people, client):
    item = assigned(lead="fgj", co=["czj"])
    task = item.tasks.get(department=office("fgj"))
    services.supervision_task_accept(actor=liaison("fgj"), task=task)
    client.force_login(liaison("fgj"))
    page = client.get(task.get_absolute_url()).content.decode()
    assert "申请办结不等待协办单位" in page
