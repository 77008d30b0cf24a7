"""Issue 15: every persona finds all of their work in the one 待办 — whatever module it comes from — with the
workbench card counting the same, and every task opens on a page that offers a way forward (a button)."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# persona → task kinds the demo county gives them (at least these; the rest must appear as well)
PERSONAS = {
    "clerk": set(),
    "director": {"flow.todo"},
    "liaison": {"incoming.undertaking"},
    "bureau": {"incoming.undertaking"},
    "leader": set(),
    "archivist": set(),
}


def _open_todo(username):
    from zhongshu.inbox import selectors
    from zhongshu.org.models import User

    user = User.objects.get(username=username)
    return list(selectors.todo_for(user).order_by("-since", "-id"))


def test_every_persona_finds_all_work_in_the_one_inbox(county, browser, login, live_server, shot):
    """One demo county (built once: a transactional test rebuilds it per test), each persona in its own browser."""
    for username in PERSONAS:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
        try:
            _journey(context.new_page(), login, live_server, shot, username)
        finally:
            context.close()


def _journey(page, login, live_server, shot, username):
    tasks = _open_todo(username)
    kinds = {t.kind for t in tasks}
    assert PERSONAS[username] <= kinds, (username, kinds)
    login(page, username)
    # the workbench's 待办 card counts exactly the open tasks of every module
    card = page.locator("#card-flow_todo")
    assert int(card.locator(".count").first.inner_text()) == len(tasks), username
    page.goto(f"{live_server.url}/inbox/?size=200")
    html = page.content()
    shot(page, f"journey-inbox-{username}")
    for t in tasks[:20]:   # the first page of the list holds them newest first
        assert f'href="{t.url}"' in html, (username, t.kind, t.url)
    # one task of each kind opens on a page that offers a way forward
    seen = set()
    for t in tasks:
        if t.kind in seen:
            continue
        seen.add(t.kind)
        resp = page.goto(live_server.url + t.url)
        assert resp is not None and resp.status == 200, (username, t.kind, t.url)
        buttons = page.locator("main form button[type=submit], main form button:not([type])")
        labels = [b.inner_text().strip() for b in buttons.all()]
        assert any(re.search(r"[\u4e00-\u9fff]", x) and x not in ("搜索", "筛选", "查询", "导出") for x in labels), (username, t.kind, t.url, labels)
