"""The refusal pages keep the application frame for a signed-in person (top bar, navigation, 工作台 link)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from zhongshu.web import errors

pytestmark = pytest.mark.django_db


def test_not_found_inside_the_frame(people, web):
    r = web(people.director).get("/outgoing/999999999/")
    assert r.status_code == 404
    html = r.content.decode()
    assert 'class="side"' in html and "待办事项" in html  # the navigation is there
    assert "页面不存在" in html and "返回工作台" in html
    assert "您访问的无权访问" not in html and 'name="viewport"' in html


def test_forbidden_inside_the_frame(people):
    request = RequestFactory().get("/somewhere/")
    request.user = people.clerk
    r = errors.permission_denied(request, PermissionDenied())
    assert r.status_code == 403
    html = r.content.decode()
    assert 'class="side"' in html and "无权访问" in html and "您没有执行此操作的权限。" in html


def test_anonymous_gets_a_bare_page(client, db):
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert 'class="side"' not in html and "页面不存在" in html


def test_server_error_needs_no_database():
    r = errors.server_error(RequestFactory().get("/x/"))
    assert r.status_code == 500 and "系统出现错误" in r.content.decode()
