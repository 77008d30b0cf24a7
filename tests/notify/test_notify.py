"""Notifications: in-app rows with the change; e-mail and webhooks strictly after commit; signed robots."""

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest
from django.core import mail
from django.db import transaction

from zhongshu.core.errors import ServiceError
from zhongshu.notify.models import Notification, WebhookEndpoint
from zhongshu.notify.services import notify, webhook_request, webhook_save

pytestmark = pytest.mark.django_db


def test_email_is_sent_only_after_commit(people, django_capture_on_commit_callbacks):
    clerk = people.clerk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify(recipients=[clerk], title="请于周五前报送材料", body="详见附件", url="/notices/")
    assert len(rows) == 1 and Notification.objects.filter(recipient=clerk, title="请于周五前报送材料").exists()
    assert mail.outbox == [] and len(callbacks) >= 1  # nothing leaves before the commit
    for cb in callbacks:
        cb()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [clerk.email] and "请于周五前报送材料" in mail.outbox[0].subject


def test_rolled_back_change_sends_nothing(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(recipients=[people.clerk], title="不会发出", level="urgent")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.filter(title="不会发出").exists()


def test_webhook_dingtalk_signature(people):
    ep = WebhookEndpoint(organization=people.clerk.organization, name="值班群", kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=abc", secret="SECxyz")
    req = webhook_request(ep, "【催办】请尽快办理", now_ms=1700000000000)
    qs = urllib.parse.parse_qs(urllib.parse.urlsplit(req.full_url).query)
    expected = base64.b64encode(hmac.new(b"SECxyz", b"1700000000000\nSECxyz", hashlib.sha256).digest()).decode()
    assert qs["timestamp"] == ["1700000000000"] and qs["sign"] == [expected]
    assert json.loads(req.data) == {"msgtype": "text", "text": {"content": "【催办】请尽快办理"}}


def test_webhook_generic_hmac_header(people):
    ep = WebhookEndpoint(organization=people.clerk.organization, name="接口", kind="generic", url="https://hooks.example/x", secret="k")
    req = webhook_request(ep, "消息", now_ms=1)
    mac = hmac.new(b"k", b"1." + req.data, hashlib.sha256).hexdigest()
    assert req.headers["X-zhongshu-signature"] == f"sha256={mac}"


def test_webhook_is_queued_after_commit_for_matching_levels(people, django_capture_on_commit_callbacks, monkeypatch):
    org = people.clerk.organization
    webhook_save(actor=people.admin, organization=org, name="办公室群", kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", levels="urgent")
    sent = []
    monkeypatch.setattr("zhongshu.notify.tasks.send_webhook", lambda pk, text: sent.append(text))
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[people.clerk], title="普通通知", level="info")
        notify(recipients=[people.clerk], title="紧急催办", level="urgent")
    assert sent == ["【催办】紧急催办"]


def test_webhook_validation(people):
    with pytest.raises(ServiceError, match="http"):
        webhook_save(actor=people.admin, organization=people.clerk.organization, name="x", kind="generic", url="ftp://x", levels="urgent")
    with pytest.raises(ServiceError, match="推送级别无效"):
        webhook_save(actor=people.admin, organization=people.clerk.organization, name="x", kind="generic", url="https://x.example", levels="loud")


def test_notification_list_and_mark_read(client, people):
    clerk = people.clerk
    notify(recipients=[clerk], title="测试提醒")
    client.force_login(clerk)
    page = client.get("/notifications/").content.decode()
    assert "测试提醒" in page and "未读" in page
    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=clerk, read_at__isnull=True).exists()


def test_notify_about_a_subject_asks_its_policy_for_each_recipient(people, settings, django_capture_on_commit_callbacks):
    """A person below the subject's classification (or one of the 三员) never receives its title; a classified
    subject never goes to e-mail or group robots."""
    from zhongshu.core.classification import Classification
    from zhongshu.notices import services as notices
    from zhongshu.notify.models import Notification
    from zhongshu.notify.services import notify

    secret = notices.notice_create(actor=people.director, title="机密测试通知标题", body="x", classification=Classification.CONFIDENTIAL,
                                   scope="selected", recipient_users=[people.leader])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[people.leader, people.clerk, people.admin], title=f"请阅：{secret.title}", subject=secret)
    got = dict(Notification.objects.filter(title__contains="机密测试通知标题").values_list("recipient__username", "title"))
    assert set(got) == {"leader"}  # clerk: 一般涉密 (秘密 at most); admin: 三员
    assert callbacks == []  # no e-mail, no webhook for a classified subject

    settings.NOTIFY_UNCLEARED = "redact"
    notify(recipients=[people.clerk], title=f"请阅：{secret.title}", subject=secret)
    line = Notification.objects.filter(recipient=people.clerk).latest("pk").title
    assert "机密通知（无权查看）" in line and "机密测试通知标题" not in line
