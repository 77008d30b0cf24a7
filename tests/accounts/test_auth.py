"""等级保护 level 3 at the application: argon2, password rules, lockout, TOTP, idle timeout."""

import datetime

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.utils import timezone

from zhongshu.accounts import services
from zhongshu.core.errors import ServiceError
from zhongshu.demo.builder import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_production_hasher_is_argon2():
    from zhongshu import settings as prod

    assert prod.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=prod.PASSWORD_HASHERS):
        assert make_password("Abcdef12!x").startswith("argon2$argon2id$")


@pytest.mark.parametrize(
    "password,message",
    [("short1!A", "太短"), ("alllowercaseletters", "三类"), ("abcdefghij12", "三类"), ("Password123", "太常见")],
)
def test_password_rules(people, password, message):
    with pytest.raises(ServiceError) as exc:
        services.password_change(user=people.clerk, old_password=DEMO_PASSWORD, new_password=password, new_password2=password)
    assert any(message in m for m in exc.value.fields["new_password"]), exc.value.fields


def test_password_history(people):
    clerk = people.clerk
    services.password_change(user=clerk, old_password=DEMO_PASSWORD, new_password="Qingshan#2026a", new_password2="Qingshan#2026a")
    services.password_change(user=clerk, old_password="Qingshan#2026a", new_password="Lvshui#2026b", new_password2="Lvshui#2026b")
    with pytest.raises(ServiceError) as exc:
        services.password_change(user=clerk, old_password="Lvshui#2026b", new_password="Qingshan#2026a", new_password2="Qingshan#2026a")
    assert "最近 5 次" in exc.value.fields["new_password"][0]


def test_lockout_after_five_failures(client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        resp = client.post("/accounts/login/", {"username": "clerk", "password": "bad"})
        assert resp.status_code == 200 and "不正确" in resp.content.decode()
    resp = client.post("/accounts/login/", {"username": "clerk", "password": "bad"})
    assert resp.status_code == 429 and "锁定" in resp.content.decode()
    # even the right password is refused while locked, and the API says so in JSON
    resp = client.post("/accounts/login/", {"username": "clerk", "password": DEMO_PASSWORD})
    assert resp.status_code == 429
    api = client.post("/api/v1/auth/token", {"username": "clerk", "password": DEMO_PASSWORD}, content_type="application/json")
    assert api.status_code == 429 and "锁定" in api.json()["error"]
    # another account is unaffected
    assert client.post("/accounts/login/", {"username": "deputy", "password": DEMO_PASSWORD}).status_code == 302


def test_login_and_logout(client, people):
    resp = client.post("/accounts/login/", {"username": "clerk", "password": DEMO_PASSWORD})
    assert resp.status_code == 302 and resp["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_open_redirect_is_refused(client, people):
    resp = client.post("/accounts/login/?next=https://evil.example/", {"username": "clerk", "password": DEMO_PASSWORD, "next": "https://evil.example/"})
    assert resp["Location"] == "/"


def test_idle_timeout_settings():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_admins_must_enrol_totp_then_use_it(client, people):
    admin = people.admin
    resp = client.post("/accounts/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert resp.status_code == 302
    assert client.get("/org/people/")["Location"] == "/accounts/totp/"
    page = client.get("/accounts/totp/")
    assert "三员账号必须启用动态口令" in page.content.decode()
    admin.refresh_from_db()
    bad = client.post("/accounts/totp/", {"code": "000000"})
    assert "动态口令不正确" in bad.content.decode()
    client.post("/accounts/totp/", {"code": pyotp.TOTP(admin.totp_secret).now()})
    admin.refresh_from_db()
    assert admin.totp_confirmed
    assert client.get("/org/people/").status_code == 200
    # next login needs the code
    client.post("/accounts/logout/")
    resp = client.post("/accounts/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert resp["Location"] == "/accounts/login/totp/"
    assert client.get("/").status_code == 302  # not signed in yet
    assert "不正确" in client.post("/accounts/login/totp/", {"code": "123456"}).content.decode()
    # the enrolment code is used up; the phone's next code opens the session
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30), tick=False):
        resp = client.post("/accounts/login/totp/", {"code": pyotp.TOTP(admin.totp_secret).now()})
        assert resp.status_code == 302 and client.get("/org/people/").status_code == 200


def test_api_token_needs_otp_when_enrolled(client, people):
    deputy = people.deputy
    deputy.totp_secret = pyotp.random_base32()
    deputy.totp_confirmed = True
    deputy.save()
    resp = client.post("/api/v1/auth/token", {"username": "deputy", "password": DEMO_PASSWORD}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "otp_required"
    resp = client.post("/api/v1/auth/token", {"username": "deputy", "password": DEMO_PASSWORD, "otp": pyotp.TOTP(deputy.totp_secret).now()}, content_type="application/json")
    assert resp.status_code == 200
    token = resp.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["real_name"] == "林卫东"


def test_expired_password_forces_change(client, people):
    clerk = people.clerk
    clerk.must_change_password = True
    clerk.save()
    client.post("/accounts/login/", {"username": "clerk", "password": DEMO_PASSWORD})
    assert client.get("/")["Location"] == "/accounts/password/"
    client.post("/accounts/password/", {"old_password": DEMO_PASSWORD, "new_password": "Hongqi#2026x", "new_password2": "Hongqi#2026x"})
    assert client.get("/").status_code == 200


def test_session_api_obeys_the_same_policy(client, people):
    """A 三员 session without TOTP, or a session with an expired password, gets nothing from the API either."""
    client.force_login(people.admin)
    resp = client.get("/api/v1/people/")
    assert resp.status_code == 403 and resp.json()["code"] == "totp_setup_required"
    clerk = people.clerk
    clerk.must_change_password = True
    clerk.save()
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "clerk", "password": DEMO_PASSWORD})
    resp = client.get("/api/v1/notices/")
    assert resp.status_code == 403 and resp.json()["code"] == "password_expired"
