import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from zhongshu.access.services import grant_create, grant_revoke
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.notices import services as notices
from zhongshu.notices.models import Notice
from zhongshu.notices.selectors import notices_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(people):
    n = notices.notice_create(actor=people.director, title="秘密事项", body="内容", classification=Classification.SECRET, scope="selected", recipient_users=[people.leader])
    return notices.notice_publish(actor=people.director, notice=n)


def test_security_admin_grants_and_revokes(people, secret):
    ct = ContentType.objects.get_for_model(Notice)
    clerk = people.clerk
    assert not notices_for(clerk).filter(pk=secret.pk).exists()
    g = grant_create(actor=people.secadmin, content_type=ct, object_id=secret.pk, user=clerk, reason="承办需要", expires_on=timezone.localdate() + dt.timedelta(days=3))
    assert notices_for(clerk).filter(pk=secret.pk).exists()
    grant_revoke(actor=people.secadmin, grant=g)
    assert not notices_for(clerk).filter(pk=secret.pk).exists()


def test_grant_rules(people, secret):
    ct = ContentType.objects.get_for_model(Notice)
    with pytest.raises(PermissionDenied):
        grant_create(actor=people.admin, content_type=ct, object_id=secret.pk, user=people.clerk, reason="x")
    with pytest.raises(ServiceError, match="涉密等级不足"):
        grant_create(actor=people.secadmin, content_type=ct, object_id=secret.pk, user=people["u013"], reason="x")  # 非涉密人员
    with pytest.raises(ServiceError, match="所属机关"):
        grant_create(actor=people.secadmin, content_type=ct, object_id=secret.pk, user=people.liaison, reason="x")
    with pytest.raises(ServiceError, match="二选一"):
        grant_create(actor=people.secadmin, content_type=ct, object_id=secret.pk, reason="x")
    with pytest.raises(ServiceError, match="不能授权"):
        grant_create(actor=people.secadmin, content_type=ContentType.objects.get_for_model(type(people.clerk)), object_id=1, user=people.clerk, reason="x")


def test_expired_grant_no_longer_opens(people, secret, time_machine):
    ct = ContentType.objects.get_for_model(Notice)
    grant_create(actor=people.secadmin, content_type=ct, object_id=secret.pk, user=people.clerk, reason="承办需要", expires_on=timezone.localdate())
    assert notices_for(people.clerk).filter(pk=secret.pk).exists()
    time_machine.move_to(timezone.now() + dt.timedelta(days=2))
    assert not notices_for(people.clerk).filter(pk=secret.pk).exists()


def test_grants_page(client, people, secret):
    sec = people.secadmin
    sec.totp_confirmed = True
    sec.save()
    client.force_login(sec)
    ct = ContentType.objects.get_for_model(Notice)
    resp = client.post("/access/grants/", {"content_type": ct.pk, "object_id": secret.pk, "user": people.clerk.pk, "reason": ""})
    assert "该字段是必填项" in resp.content.decode()
    resp = client.post("/access/grants/", {"content_type": ct.pk, "object_id": secret.pk, "user": people.clerk.pk, "reason": "承办"}, follow=True)
    page = resp.content.decode()
    # The security administrator (非涉密) manages need-to-know but never reads the title: the redacted line only.
    assert "已授权" in page and "秘密通知（无权查看）" in page
    assert secret.title not in page
    client.force_login(people.director)
    assert client.get("/access/grants/").status_code == 404


def test_grant_on_another_organizations_object_is_refused(people, secret):
    from zhongshu.access.services import grant_create
    from zhongshu.core.errors import NotFound
    from zhongshu.org.models import User

    other_sec = User.objects.filter(admin_role="security").exclude(organization=secret.organization).first()
    if other_sec is None:  # the demo has one security administrator per deployment: make one elsewhere
        other_sec = User.objects.create(username="sec2", real_name="外单位保密管理员", admin_role="security",
                                        organization=people.liaison.organization)
    ct = ContentType.objects.get_for_model(Notice)
    with pytest.raises(NotFound):
        grant_create(actor=other_sec, content_type=ct, object_id=secret.pk, user=people.clerk, reason="越权")
