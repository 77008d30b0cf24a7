"""API tokens (API 令牌): hashed, expiring, one per named device, listed and revoked by the owner and by the system
administrator, ended by password change/reset, deactivation and logout-all, subject to the page policy."""

import datetime

import pyotp
import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from zhongshu.accounts import services
from zhongshu.accounts.models import ApiToken
from zhongshu.audit.models import AuditEntry
from zhongshu.core.errors import PermissionDenied
from zhongshu.demo.builder import DEMO_PASSWORD
from zhongshu.org import services as org_services

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"


def issue(client, username="clerk", name="", **extra):
    data = {"username": username, "password": DEMO_PASSWORD, **extra}
    if name:
        data["name"] = name
    resp = client.post(TOKEN_URL, data, content_type="application/json")
    assert resp.status_code == 200, resp.content
    return resp.json()


def me(client, token):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {token}")


def test_only_a_hash_is_stored_and_nothing_of_it_in_the_audit(client, people):
    body = issue(client, name="办公电脑")
    token = body["token"]
    assert body["name"] == "办公电脑" and body["expires_at"]
    row = ApiToken.objects.get(user=people.clerk)
    stored = [str(v) for v in ApiToken.objects.filter(pk=row.pk).values().first().values()]
    assert not any(token in v or v == token for v in stored)
    assert row.digest != token and len(row.digest) == 64
    entry = AuditEntry.objects.filter(action="auth.token_create").latest("seq")
    assert token not in str(entry.before) + str(entry.after) + entry.note + entry.target_repr
    assert me(client, token).status_code == 200


def test_tokens_expire_after_the_configured_days(client, people):
    with override_settings(API_TOKEN_TTL_DAYS=2):
        token = issue(client)["token"]
    assert me(client, token).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, minutes=1), tick=False):
        resp = me(client, token)
        assert resp.status_code == 401 and resp.json()["error"] == "令牌无效或已过期。"


def test_default_lifetime_is_thirty_days(client, people):
    token = issue(client)["token"]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29), tick=False):
        assert me(client, token).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, minutes=1), tick=False):
        assert me(client, token).status_code == 401


def test_one_token_per_named_device_listed_and_revoked_by_the_owner(client, people):
    phone = issue(client, name="手机")["token"]
    laptop = issue(client, name="笔记本")
    # the same device asking again replaces its token
    phone2 = issue(client, name="手机")["token"]
    assert me(client, phone).status_code == 401 and me(client, phone2).status_code == 200
    listed = client.get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Token {phone2}").json()
    assert sorted(t["name"] for t in listed) == ["手机", "笔记本"]
    assert all("token" not in t and phone2 not in str(t) for t in listed)
    assert [t["current"] for t in listed if t["name"] == "手机"] == [True]
    # revoke the laptop's from the phone
    resp = client.delete(f"/api/v1/auth/tokens/{laptop['id']}", HTTP_AUTHORIZATION=f"Token {phone2}")
    assert resp.status_code == 204
    assert me(client, laptop["token"]).status_code == 401 and me(client, phone2).status_code == 200
    assert AuditEntry.objects.filter(action="auth.token_revoke", actor_id=people.clerk.pk).exists()
    # nobody revokes somebody else's token through the API
    other = issue(client, username="deputy")["token"]
    resp = client.delete(f"/api/v1/auth/tokens/{ApiToken.objects.get(user=people.clerk).pk}", HTTP_AUTHORIZATION=f"Token {other}")
    assert resp.status_code == 404 and me(client, phone2).status_code == 200


def test_logout_and_logout_all(client, people):
    a = issue(client, name="甲")["token"]
    b = issue(client, name="乙")["token"]
    c = issue(client, name="丙")["token"]
    assert client.post("/api/v1/auth/logout", HTTP_AUTHORIZATION=f"Token {a}").status_code == 204
    assert me(client, a).status_code == 401 and me(client, b).status_code == 200
    assert client.post("/api/v1/auth/logout-all", HTTP_AUTHORIZATION=f"Token {b}").status_code == 204
    assert me(client, b).status_code == 401 and me(client, c).status_code == 401
    assert not ApiToken.objects.filter(user=people.clerk).exists()


def test_tokens_die_on_password_change(client, people):
    token = issue(client)["token"]
    services.password_change(user=people.clerk, old_password=DEMO_PASSWORD, new_password="Qingshan#2026a", new_password2="Qingshan#2026a")
    assert me(client, token).status_code == 401


def test_tokens_die_on_password_reset(client, people):
    token = issue(client)["token"]
    org_services.user_reset_password(actor=people.admin, user=people.clerk)
    assert me(client, token).status_code == 401


def test_tokens_die_on_deactivation(client, people):
    token = issue(client)["token"]
    org_services.user_update(actor=people.admin, user=people.clerk, is_active=False)
    assert me(client, token).status_code == 401
    assert not ApiToken.objects.filter(user=people.clerk).exists()


def test_expired_password_gets_json_403_with_a_token(client, people):
    token = issue(client)["token"]
    clerk = people.clerk
    clerk.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    clerk.save()
    resp = me(client, token)
    assert resp.status_code == 403 and resp.json()["code"] == "password_expired" and "修改密码" in resp.json()["error"]
    # and no new token for it either
    resp = client.post(TOKEN_URL, {"username": "clerk", "password": DEMO_PASSWORD}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "password_expired"


def test_token_request_needs_totp_when_enrolled(client, people):
    deputy = people.deputy
    deputy.totp_secret = pyotp.random_base32()
    deputy.totp_confirmed = True
    deputy.save()
    resp = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "otp_required"
    assert not ApiToken.objects.filter(user=deputy).exists()
    token = issue(client, username="deputy", otp=pyotp.TOTP(deputy.totp_secret).now())["token"]
    assert me(client, token).json()["real_name"] == "林卫东"


def test_admins_without_totp_get_no_token(client, people):
    resp = client.post(TOKEN_URL, {"username": "admin", "password": DEMO_PASSWORD}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "totp_setup_required"


def test_bad_names_and_too_many_tokens(client, people):
    resp = client.post(TOKEN_URL, {"username": "clerk", "password": DEMO_PASSWORD, "name": "x" * 61}, content_type="application/json")
    assert resp.status_code == 400 and "name" in resp.json()["fields"]
    with override_settings(API_TOKEN_MAX_PER_USER=2):
        issue(client, name="一")
        issue(client, name="二")
        resp = client.post(TOKEN_URL, {"username": "clerk", "password": DEMO_PASSWORD, "name": "三"}, content_type="application/json")
        assert resp.status_code == 400 and "上限" in resp.json()["error"]
        assert ApiToken.objects.filter(user=people.clerk).count() == 2


def test_owner_page_lists_creates_and_revokes(client, people):
    issue(client, name="手机")
    client.force_login(people.clerk)
    page = client.get("/accounts/tokens/").content.decode()
    assert "手机" in page and "API 令牌" in page
    resp = client.post("/accounts/tokens/", {"name": "脚本"})
    text = resp.content.decode()
    made = ApiToken.objects.get(user=people.clerk, name="脚本")
    assert resp.status_code == 200 and "仅显示这一次" in text
    assert me(client, text.split('id="new-token">')[1].split("<")[0]).status_code == 200
    # shown once: the list does not show it again
    assert 'id="new-token"' not in client.get("/accounts/tokens/").content.decode()
    resp = client.post(f"/accounts/tokens/{made.pk}/revoke/")
    assert resp.status_code == 302 and not ApiToken.objects.filter(pk=made.pk).exists()
    # someone else's token cannot be revoked from one's own page
    other = ApiToken.objects.get(user=people.clerk, name="手机")
    client.force_login(people.deputy)
    assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()
    # logout-all from the page ends every token and the session
    client.force_login(people.clerk)
    client.post("/accounts/tokens/revoke-all/")
    assert not ApiToken.objects.filter(user=people.clerk).exists()
    assert client.get("/").status_code == 302


def test_system_administrator_lists_and_revokes_tokens(client, people):
    issue(client, name="手机")
    tok = ApiToken.objects.get(user=people.clerk)
    admin = people.admin
    admin.totp_confirmed = True
    admin.save()
    client.force_login(admin)
    page = client.get(f"/org/people/{people.clerk.pk}/").content.decode()
    assert "API 令牌" in page and "手机" in page
    assert client.post(f"/org/people/{people.clerk.pk}/tokens/{tok.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(pk=tok.pk).exists()
    entry = AuditEntry.objects.filter(action="auth.token_revoke").latest("seq")
    assert entry.actor_id == admin.pk and entry.target_id == str(people.clerk.pk)
    # the other administrators and ordinary people cannot
    issue(client, name="电脑")
    tok = ApiToken.objects.get(user=people.clerk)
    for who in ("secadmin", "director"):
        user = people[who]
        user.totp_confirmed = True
        user.save()
        client.force_login(user)
        assert client.post(f"/org/people/{people.clerk.pk}/tokens/{tok.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=tok.pk).exists()
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=people.secadmin, token=tok)
