"""Statistics against hand-computed figures, and access: departments see their own items only; classification
holds in lists, details, counts and rankings — on screens, exports and the API alike."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, User
from zhongshu.supervision import services
from zhongshu.supervision.models import Source
from zhongshu.supervision.selectors import items_for, my_tasks, statistics, tasks_for

from .conftest import at, liaison

pytestmark = pytest.mark.django_db
D = datetime.date
START, END, TODAY = D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 20)


def close(item, people, leader, day):
    task = item.tasks.get(role="lead")
    who = liaison(task.department.organization.code)
    with at(day):
        services.supervision_task_accept(actor=who, task=task)
        services.supervision_completion_request(actor=who, task=task, content="已办结。")
        services.supervision_item_verify(actor=people.clerk, item=item, accept=True)
        services.supervision_item_confirm(actor=leader, item=item)


@pytest.fixture
def march(assigned, make_item, people):
    """A–E assigned in March 2026; F a draft (not counted)."""
    with at("2026-03-02"):
        a = assigned(title="甲", lead="fgj", source=Source.INSTRUCTION, deadline=D(2026, 3, 20), workdays=None, leader=people.deputy)
        b = assigned(title="乙", lead="fgj", source=Source.MEETING, deadline=D(2026, 3, 10), workdays=None, leader=people.leader)
    with at("2026-03-05"):
        c = assigned(title="丙", lead="czj", source=Source.INSTRUCTION, deadline=D(2026, 4, 1), workdays=None, leader=people.deputy)
        d = assigned(title="丁", lead="czj", source=Source.LETTER, deadline=D(2026, 5, 1), workdays=None, leader=people.leader)
        e = assigned(title="戊（秘密）", lead="zjj", source=Source.KEY_TASK, deadline=D(2026, 4, 10), workdays=None, leader=people.leader,
                     classification=Classification.SECRET)
        make_item(title="己（待交办）", lead="zjj")
    close(a, people, people.deputy, "2026-03-18")  # on time
    close(b, people, people.leader, "2026-03-25")  # late: deadline 03-10
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def low_clearance_clerk() -> User:
    return User.objects.get(real_name="孙雨桐")  # 文秘, 非涉密人员


def test_statistics_hand_computed(march, people):
    s = statistics(people.director, START, END, today=TODAY)
    assert (s.total, s.closed, s.on_time, s.overdue) == (5, 2, 1, 2)  # overdue: 丙 (04-01) and 戊 (04-10)
    assert s.close_rate == 40.0 and s.on_time_rate == 50.0
    assert {r["key"]: r["total"] for r in s.by_source} == {"instruction": 2, "meeting": 1, "letter": 1, "key_task": 1}
    ranking = [(r["name"], r["total"], r["closed"], r["close_rate"], r["overdue"]) for r in s.by_department]
    assert ranking == [
        ("县发改局·办公室", 2, 2, 100.0, 0),
        ("县财政局·办公室", 2, 0, 0.0, 1),
        ("县住建局·办公室", 1, 0, 0.0, 1),
    ]
    assert s.trend == [{"month": "2026-03", "new": 5, "closed": 2}]
    assert [i.title for i in s.overdue_items] == ["丙", "戊（秘密）"]


def test_counts_and_rankings_respect_classification_and_need_to_know(march, people):
    low = statistics(low_clearance_clerk(), START, END, today=TODAY)
    assert (low.total, low.closed, low.overdue) == (4, 2, 1)
    assert "县住建局·办公室" not in [r["name"] for r in low.by_department]
    assert [i.title for i in low.overdue_items] == ["丙"]
    deputy = statistics(people.deputy, START, END, today=TODAY)  # a leader counts his own items
    assert (deputy.total, deputy.closed, deputy.on_time, deputy.overdue) == (2, 1, 1, 1)
    assert statistics(people.admin, START, END, today=TODAY).total == 0  # 三员 see no business


def test_department_sees_only_its_own(march, people, web, api):
    fgj = liaison("fgj")
    assert set(my_tasks(fgj).values_list("item__title", flat=True)) >= {"甲", "乙"}
    assert not my_tasks(fgj).filter(item__title__in=["丙", "丁", "戊（秘密）"]).exists()
    czj_task = march["c"].tasks.get()
    assert not tasks_for(fgj).filter(pk=czj_task.pk).exists()
    client = web(fgj)
    assert client.get(f"/supervision/tasks/{czj_task.pk}/").status_code == 404
    page = client.get("/supervision/tasks/?size=100").content.decode()
    assert "甲" in page and "丙" not in page
    # The county government's items are not the department's ledger (another organ): only through its tasks.
    assert client.get(f"/supervision/{march['a'].pk}/").status_code == 404
    r = api(fgj).get("/api/v1/supervision/tasks/?size=100")
    titles = {t["item_title"] for t in r.json()["results"]}
    assert "甲" in titles and "丙" not in titles
    r = api(fgj).get(f"/api/v1/supervision/tasks/{czj_task.pk}/")
    assert r.status_code == 404 and "error" in r.json()


def test_internal_department_member_sees_own_items(assigned, people, web):
    xzk = Department.objects.get(organization=people.clerk.organization, code="XZK")  # 行政科
    member = User.objects.get(real_name="曹丽娟")  # no business role
    mine = assigned(title="机关食堂改造", lead=xzk)
    other = assigned(title="别人的事项", lead="fgj")
    visible = set(items_for(member).values_list("pk", flat=True))
    assert mine.pk in visible and other.pk not in visible
    client = web(member)
    ledger = client.get("/supervision/ledger/?size=100").content.decode()
    assert "机关食堂改造" in ledger and "别人的事项" not in ledger
    assert client.get(f"/supervision/{other.pk}/").status_code == 404
    assert client.get(f"/supervision/{mine.pk}/").status_code == 200


def test_classified_item_hidden_from_low_clearance(march, people, web):
    low = low_clearance_clerk()
    secret = march["e"]
    client = web(low)
    assert client.get(f"/supervision/{secret.pk}/").status_code == 404
    assert "戊（秘密）" not in client.get("/supervision/ledger/?size=100").content.decode()
    export = client.get("/supervision/ledger/?export=xlsx&size=100")
    titles = [row[0] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True)]
    assert "丙" in titles and "戊（秘密）" not in titles
    board = web(people.director).get("/supervision/dashboard/?start=2026-03&end=2026-03").content.decode()
    assert "戊（秘密）" in board or "县住建局·办公室" in board
    board = web(low).get("/supervision/dashboard/?start=2026-03&end=2026-03").content.decode()  # same client, log back in
    assert "县住建局·办公室" not in board and "戊（秘密）" not in board


def test_leader_cannot_export(people, web):
    assert web(people.leader).get("/supervision/ledger/?export=xlsx").status_code == 403
