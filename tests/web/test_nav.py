"""Navigation highlights exactly one item: the longest matching prefix; the 工作台 (`/`) only on itself."""

import pytest

from zhongshu.web.registry import nav_for

pytestmark = pytest.mark.django_db


def _active(user, path):
    return [i["label"] for s in nav_for(user, path) for i in s["items"] if i["active"]]


@pytest.mark.parametrize(
    "path, label",
    [
        ("/inbox/", "待办事项"),
        ("/inbox/toread/", "待阅事项"),  # not 待办事项 (/inbox/) as well
        ("/inbox/done/?page=2", "已办事项"),
        ("/outgoing/register/", "发文登记簿"),  # not 发文 (/outgoing/) as well
        ("/outgoing/12/", "发文"),
        ("/incoming/mine/", "收文承办与传阅"),
        ("/incoming/5/", "收文"),
    ],
)
def test_one_item_is_active(people, path, label):
    assert _active(people.director, path) == [label]


def test_every_nav_item_alone_on_its_own_page(people):
    for login in ("director", "clerk", "archivist", "deputy", "admin"):
        try:
            user = people[login]
        except Exception:  # noqa: BLE001 - a persona the demo may not have
            continue
        for section in nav_for(user, ""):
            for item in section["items"]:
                active = _active(user, item["url"])
                assert len(active) == 1, (login, item["url"], active)


def test_workbench_only_on_itself(people):
    assert _active(people.director, "/notify/") in ([], ["消息提醒"])
    assert "工作台" not in _active(people.director, "/outgoing/")
