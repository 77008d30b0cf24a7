"""The one inbox: every task source's rows appear in the person's 待办/待阅 and leave it when done; counts agree
with the 工作台; 委托 and clearance; 已办 of a clerk; query count independent of the number of sources; API."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhongshu.archives.models import Loan
from zhongshu.flow import services as flow
from zhongshu.flow.models import WorkItem
from zhongshu.inbox import selectors
from zhongshu.inbox.models import Task
from zhongshu.inbox.registry import KINDS, TaskKind, acting, rebuild, register_kind
from zhongshu.incoming import services as incoming
from zhongshu.incoming.models import IncomingDocument
from zhongshu.org.models import Department, User
from zhongshu.workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db

DEMO_TITLE = "某市人民政府办公室关于开展安全生产大检查的通知"


def mine(user, kind=None, box=None):
    qs = selectors.tasks_for(user, box)
    return qs.filter(kind=kind) if kind else qs


def person(name):
    return User.objects.get(real_name=name)


def test_signals_keep_tasks_exact_after_the_demo(county):
    """The demo county was built through the services: rebuilding from the sources changes nothing."""
    assert Task.objects.filter(status="open").exists()
    assert rebuild() == {k: 0 for k in rebuild()}


def test_flow_item_is_a_task_until_acted_and_then_in_done(county, web):
    item = WorkItem.objects.filter(status="pending", kind="todo", instance__status="running").select_related("assignee", "instance").first()
    user = item.assignee
    t = mine(user, "flow.todo").get(object_id=item.pk)
    assert (t.url, t.title, t.box) == (item.get_absolute_url(), item.instance.title, "todo")
    page = web(user).get("/inbox/").content.decode()
    assert f'href="{item.get_absolute_url()}"' in page and "流程审批" in page
    flow.work_item_approve(actor=user, item=item, opinion="同意")
    assert not mine(user).filter(pk=t.pk).exists()
    t.refresh_from_db()
    assert t.status == "done" and t.done_by == user
    assert selectors.done_for(user).filter(pk=t.pk).exists()
    assert f'href="{item.get_absolute_url()}"' in web(user).get("/inbox/done/").content.decode()


def _assigned(people):
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    org = doc.organization
    incoming.incoming_plan(actor=people.director, document=doc, lead_department=Department.objects.get(organization=org, name="行政科"),
                           co_departments=[], deadline=add_workdays(datetime.date.today(), 5, organization_id=org.pk))

    def pending_item():
        return WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending", kind="todo")

    assert mine(people.director, "flow.todo").filter(object_id=pending_item().pk).exists()
    flow.work_item_approve(actor=people.director, item=pending_item(), opinion="拟请林副县长阅示。")
    flow.work_item_approve(actor=people.deputy, item=pending_item(), opinion="同意。")
    doc.refresh_from_db()
    return doc


def test_incoming_undertaking_hand_over_reply_and_office_close(people, web):
    doc = _assigned(people)
    lead = doc.undertakings.get(role="lead")
    head, member = person("曹丽娟"), person("彭浩然")
    t = mine(head, "incoming.undertaking").get()
    assert t.url == doc.get_absolute_url() and t.deadline == lead.deadline and "签收交办" in t.action
    assert not mine(member, "incoming.undertaking").exists()
    with acting(head):
        incoming.undertaking_hand_to(actor=head, undertaking=lead, assignee=member)
    assert not mine(head, "incoming.undertaking").exists()
    t.refresh_from_db()
    assert t.status == "done" and t.done_by == head  # 签收/交办 is the head's 已办
    assert mine(member, "incoming.undertaking").get().action == "主办 · 答复"
    incoming.undertaking_reply(actor=member, undertaking=lead, reply="已组织检查。")
    assert not mine(member, "incoming.undertaking").exists()
    assert selectors.done_for(member).filter(kind="incoming.undertaking").exists()
    # the office reviews the answer: 审核办结 in the clerk's and the director's 待办
    for office in (people.clerk, people.director):
        assert mine(office, "incoming.office").filter(url=doc.get_absolute_url(), action="审核办结").exists()
    incoming.incoming_close(actor=people.clerk, document=doc)
    assert not Task.objects.filter(status="open", url=doc.get_absolute_url()).exists()
    assert selectors.done_for(people.clerk).filter(kind="incoming.office", url=doc.get_absolute_url()).exists()
    assert not selectors.done_for(people.director).filter(url=doc.get_absolute_url(), kind="incoming.office").exists()


def test_notifications_say_what_happened(people):
    from zhongshu.notify.models import Notification

    doc = _assigned(people)
    told = list(Notification.objects.filter(title__endswith=doc.title).values_list("title", flat=True))
    assert f"批示完成，已转承办：{doc.title}" in told
    assert f"已办结：{doc.title}" not in told  # moving to 承办 is not 办结


def test_extension_request_is_the_directors_task(people):
    doc = _assigned(people)
    lead = doc.undertakings.get(role="lead")
    head = person("曹丽娟")
    incoming.extension_request(actor=head, undertaking=lead, reason="需要实地核查",
                               requested_deadline=lead.deadline + datetime.timedelta(days=10))
    t = mine(people.director, "incoming.extension").get()
    assert t.origin == head.display_name and "延期至" in t.action
    assert not mine(people.clerk, "incoming.extension").exists()  # 延期 is the office director's decision
    req = lead.extensions.get()
    incoming.extension_decide(actor=people.director, request_=req, approve=True, note="同意")
    assert not mine(people.director, "incoming.extension").exists()
    # the 主办's own task follows the new deadline
    assert mine(head, "incoming.undertaking").get().deadline == lead.deadline + datetime.timedelta(days=10)


def test_sign_in_review_and_circulation(people):
    clerk = people.clerk
    doc = incoming.incoming_register(actor=clerk, source="paper", sender_name="某市财政局", title="关于统计数据的通报")
    assert mine(clerk, "incoming.office").get(url=doc.get_absolute_url()).action == "初审"
    doc = incoming.incoming_review(actor=clerk, document=doc, passed={k: True for k, _ in incoming.REVIEW_CHECKS}, kind="read")
    reader = people.deputy
    incoming.circulation_start(actor=clerk, document=doc, readers=[reader], mode="parallel")
    t = mine(reader, "incoming.circulation", box="read").get()
    assert t.box == "read" and t.url == doc.get_absolute_url()
    assert not mine(reader, box="todo").filter(pk=t.pk).exists()
    slot = doc.circulations.get().slots.get(reader=reader)
    incoming.circulation_read(actor=reader, slot=slot, comment="已阅")
    assert not mine(reader, "incoming.circulation").exists()
    t.refresh_from_db()
    assert t.status == "done" and t.done_by == reader


def test_loan_approval_is_a_task_of_who_may_decide(people, county):
    loan = Loan.objects.filter(status="pending").select_related("item").first()
    assert loan is not None
    approvers = set(Task.objects.filter(kind="archives.loan", status="open", object_id=loan.pk).values_list("assignee_id", flat=True))
    from zhongshu.archives.selectors import pending_decisions

    expected = {u.pk for u in User.objects.filter(organization_id=loan.organization_id) if pending_decisions(u).filter(pk=loan.pk).exists()}
    assert approvers == expected and approvers
    from zhongshu.archives import services as archives

    decider = User.objects.get(pk=sorted(approvers)[0])
    archives.loan_decide(actor=decider, loan=loan, approve=True, note="同意")
    assert not Task.objects.filter(kind="archives.loan", status="open", object_id=loan.pk).exists()
    assert selectors.done_for(decider).filter(kind="archives.loan", object_id=loan.pk).exists()


def test_supervision_task_sign_complete_verify_and_confirm(people, county):
    from zhongshu.supervision import services as sup
    from zhongshu.supervision.models import Cycle, Source

    bureau_office = Department.objects.get(organization__code="fgj", code="BGS")
    item = sup.supervision_item_create(actor=people.clerk, title="收件箱督办测试", content="请抓紧办理。", source=Source.INSTRUCTION,
                                       workdays=20, cycle=Cycle.NONE, responsible_leader=people.deputy, lead_department=bureau_office)
    sup.supervision_item_assign(actor=people.clerk, item=item)
    task = item.tasks.get()
    liaison = User.objects.filter(memberships__department=bureau_office, role_assignments__role="liaison").get()
    t = mine(liaison, "supervision.task").get(object_id=task.pk)
    assert "签收" in t.action and t.url == task.get_absolute_url()
    sup.supervision_task_accept(actor=liaison, task=task)
    t.refresh_from_db()
    assert t.status == "done" and t.done_by == liaison
    working = mine(liaison, "supervision.task").get(object_id=task.pk)
    assert "申请办结" in working.action
    sup.supervision_completion_request(actor=liaison, task=task, content="已全部完成。")
    assert not mine(liaison, "supervision.task").filter(object_id=task.pk).exists()
    assert mine(people.clerk, "supervision.office").get(object_id=item.pk).action == "核实办结"
    sup.supervision_item_verify(actor=people.clerk, item=item, accept=True, comment="属实")
    assert not mine(people.clerk, "supervision.office").filter(object_id=item.pk).exists()
    confirm = mine(people.deputy, "supervision.confirm").get(object_id=item.pk)
    with acting(people.deputy):
        sup.supervision_item_confirm(actor=people.deputy, item=item)
    confirm.refresh_from_db()
    assert confirm.status == "done" and confirm.done_by == people.deputy
    assert not Task.objects.filter(status="open", kind__startswith="supervision.", object_id__in=[item.pk, task.pk]).exists()


def test_delegate_sees_flow_items_not_department_work_and_never_above_clearance(people):
    from zhongshu.org import services as org_services

    item = WorkItem.objects.filter(status="pending", kind="todo", instance__status="running", assignee=people.director).first()
    assert item is not None
    delegate = person("李静怡")
    today = timezone.localdate()
    org_services.delegation_create(actor=people.director, delegator=people.director, delegate=delegate, start_date=today, end_date=today + datetime.timedelta(days=3),
                                   reason="出差")
    delegate = User.objects.get(pk=delegate.pk)  # fresh: acting_ids is cached per user object
    t = Task.objects.get(kind="flow.todo", status="open", object_id=item.pk)
    if t.classification <= int(delegate.max_classification):
        assert mine(delegate).filter(pk=t.pk).exists()
    # a non-delegable task of the principal stays his
    other = Task.objects.create(kind="incoming.office", assignee=people.director, title="只属本人", url="/x/", since=timezone.now(),
                                content_type=ContentType.objects.get_for_model(User), object_id=1)
    assert not mine(delegate).filter(pk=other.pk).exists()
    # clearance: the principal's classified flow item is not shown to a delegate below it
    Task.objects.filter(pk=t.pk).update(classification=int(delegate.max_classification) + 1)
    assert not mine(delegate).filter(pk=t.pk).exists()
    assert t.url not in delegate_page(delegate)


def delegate_page(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c.get("/inbox/").content.decode()


def test_task_above_clearance_is_never_listed(people, web):
    clerk = people.clerk
    t = mine(clerk).first()
    assert t is not None
    Task.objects.filter(pk=t.pk).update(classification=int(clerk.max_classification) + 1, title="不应出现的密件标题")
    assert not mine(clerk).filter(pk=t.pk).exists()
    page = web(clerk).get("/inbox/").content.decode()
    assert "不应出现的密件标题" not in page
    assert "不应出现的密件标题" not in web(clerk).get("/").content.decode()
    api = web(clerk).get("/api/v1/inbox/todo/?size=200").json()
    assert all(r["id"] != t.pk for r in api["results"])


def _card_count(html, key):
    block = html.split(f'id="card-{key}"')[1].split("</section>")[0]
    return int(re.search(r'<span class="count"[^>]*>(\d+)</span>', block).group(1))


@pytest.mark.parametrize("login", ["clerk", "director", "leader", "deputy", "archivist", "liaison"])
def test_counts_agree_with_cards_pages_and_api(people, web, login):
    user = people[login]
    client = web(user)
    home = client.get("/").content.decode()
    s = selectors.summary(user)
    assert _card_count(home, "flow_todo") == s.todo == selectors.todo_for(user).count()
    assert _card_count(home, "flow_toread") == s.toread == selectors.toread_for(user).count()
    assert f"共 {s.todo} 条" in client.get("/inbox/").content.decode()
    api = client.get("/api/v1/inbox/summary/").json()
    assert (api["todo"], api["toread"]) == (s.todo, s.toread)
    assert client.get("/api/v1/inbox/todo/").json()["count"] == s.todo


def test_workbench_query_count_does_not_grow_with_sources(people, web):
    user = people.clerk
    client = web(user)
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    ct = ContentType.objects.get_for_model(User)
    for i in range(6):
        register_kind(TaskKind(f"test.kind{i}", f"测试来源{i}"))
        Task.objects.create(kind=f"test.kind{i}", assignee=user, title=f"测试事项{i}", url=f"/t/{i}/", since=timezone.now(),
                            content_type=ct, object_id=i + 1)
    try:
        with CaptureQueriesContext(connection) as after:
            page = client.get("/").content.decode()
        assert "测试来源5" in page
        assert len(after) == len(before)
    finally:
        for i in range(6):
            KINDS.pop(f"test.kind{i}", None)


def test_clerks_done_shows_office_actions(people, web):
    clerk = people.clerk
    doc = incoming.incoming_register(actor=clerk, source="paper", sender_name="某市财政局", title="已办测试来文")
    page = web(clerk).get("/inbox/done/").content.decode()
    records = page.split('id="records-list"')[1]
    assert "已办测试来文" in records
    # the trail's titles are read through restrict(): someone else's records are not on the page
    other = web(people.liaison).get("/inbox/done/").content.decode()
    assert "已办测试来文" not in other
    assert doc.pk


def test_nav_todo_is_the_one_inbox(people, web):
    nav = web(people.clerk).get("/").content.decode().split('<nav class="side"')[1].split("</nav>")[0]
    assert 'href="/inbox/"' in nav and 'href="/flow/"' not in nav
    assert web(people.clerk).get("/flow/")["Location"] == "/inbox/"  # the flow's old address leads there


def test_search_does_not_list_work_items(people, web):
    item = WorkItem.objects.filter(status="done").select_related("instance").first()
    page = web(item.done_by).get("/search/", {"q": item.instance.title[:6]}).content.decode()
    assert f'href="{item.get_absolute_url()}"' not in page


def test_admins_and_anonymous_have_no_inbox(people, web, client):
    assert client.get("/inbox/").status_code == 302
    for login in ("admin", "secadmin", "auditor"):
        user = people[login]
        user.totp_confirmed = True  # else every page sends a 三员 to TOTP set-up
        user.save(update_fields=["totp_confirmed"])
        c = web(user)
        assert c.get("/inbox/").status_code == 404, login
        assert c.get("/inbox/done/").status_code == 404, login
