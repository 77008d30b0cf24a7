"""通知公告 API: edit / publish / withdraw go through NoticePolicy (via the services), like the pages; every
notice carries the caller's allowed actions."""

import pytest

from zhongshu.notices import services
from zhongshu.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_api_edit_publish_withdraw_follow_the_policy(people, api):
    director, clerk = people.director, people.clerk
    own = services.notice_create(actor=clerk, title="秘书一科值班安排", body="正文")
    other = services.notice_create(actor=director, title="主任草稿", body="正文")
    # the author edits and sees exactly the actions the page would show
    resp = api(clerk).get(f"/api/v1/notices/{own.pk}/")
    assert resp.status_code == 200 and set(resp.json()["actions"]) == {"edit", "attach", "publish", "submit_review"}
    resp = api(clerk).patch(f"/api/v1/notices/{own.pk}/", {"title": "秘书一科元旦值班安排"}, format="json")
    assert resp.status_code == 200 and resp.json()["title"] == "秘书一科元旦值班安排"
    # nobody else reaches a draft: the office director gets 404, and nothing changes
    assert api(director).patch(f"/api/v1/notices/{own.pk}/", {"title": "改标题"}, format="json").status_code == 404
    assert api(director).post(f"/api/v1/notices/{own.pk}/publish/").status_code == 404
    assert Notice.objects.get(pk=own.pk).title == "秘书一科元旦值班安排"
    resp = api(clerk).post(f"/api/v1/notices/{own.pk}/publish/")
    assert resp.status_code == 200 and resp.json()["status"] == "published" and resp.json()["actions"] == ["withdraw"]
    # the office director (notices.manage) may withdraw it, though not its author
    assert api(director).get(f"/api/v1/notices/{own.pk}/").json()["actions"] == ["withdraw"]
    # a clerk may not withdraw a notice he did not write, even though he reads it
    services.notice_publish(actor=director, notice=other)
    resp = api(clerk).get(f"/api/v1/notices/{other.pk}/")
    assert resp.status_code == 200 and resp.json()["actions"] == []
    resp = api(clerk).post(f"/api/v1/notices/{other.pk}/withdraw/", {"reason": "试试"}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]
    assert Notice.objects.get(pk=other.pk).status == "published"
    # editing a published notice is a conflict, answered in Chinese
    resp = api(clerk).patch(f"/api/v1/notices/{own.pk}/", {"title": "再改"}, format="json")
    assert resp.status_code == 409 and "不能再修改" in resp.json()["error"]
