"""TOTP (动态口令): guessing locks the account like wrong passwords do, a code is accepted once, failures are audited."""

import datetime

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from zhongshu.audit.models import AuditEntry
from zhongshu.demo.builder import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"


def enrol(user):
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed = True
    user.save()
    return pyotp.TOTP(user.totp_secret)


def wrong_code(totp):
    """A six-digit code valid at no step of the accepted window."""
    now = timezone.now()
    valid = {totp.at(now + datetime.timedelta(seconds=30 * i)) for i in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def test_guessing_the_code_on_the_page_locks_the_account(client, people):
    totp = enrol(people.deputy)
    assert client.post("/accounts/login/", {"username": "deputy", "password": DEMO_PASSWORD})["Location"] == "/accounts/login/totp/"
    bad = wrong_code(totp)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        resp = client.post("/accounts/login/totp/", {"code": bad})
        assert resp.status_code == 200 and "动态口令不正确" in resp.content.decode()
    resp = client.post("/accounts/login/totp/", {"code": bad})
    assert resp.status_code == 429 and "锁定" in resp.content.decode()
    # the right code no longer helps, nor does starting again with the password
    resp = client.post("/accounts/login/totp/", {"code": totp.now()})
    assert resp.status_code == 429
    assert client.get("/").status_code == 302
    assert client.post("/accounts/login/", {"username": "deputy", "password": DEMO_PASSWORD}).status_code == 429
    # each failure is audited against the account
    failures = AuditEntry.objects.filter(action="auth.totp_failed", target_id=str(people.deputy.pk))
    assert failures.count() == settings.AXES_FAILURE_LIMIT


def test_guessing_the_code_through_the_api_locks_the_account(client, people):
    totp = enrol(people.deputy)
    bad = wrong_code(totp)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        resp = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": bad}, content_type="application/json")
        assert resp.status_code == 400 and resp.json()["code"] == "otp_required"
    resp = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": bad}, content_type="application/json")
    assert resp.status_code == 429 and resp.json()["code"] == "locked_out"
    resp = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": totp.now()}, content_type="application/json")
    assert resp.status_code == 429
    # the page is locked as well: one policy, one counter per account
    assert client.post("/accounts/login/", {"username": "deputy", "password": DEMO_PASSWORD}).status_code == 429
    assert AuditEntry.objects.filter(action="auth.totp_failed", target_id=str(people.deputy.pk)).count() == settings.AXES_FAILURE_LIMIT


def test_lockout_ends_after_the_configured_minutes(client, people):
    totp = enrol(people.deputy)
    bad = wrong_code(totp)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": bad}, content_type="application/json")
    later = timezone.now() + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later, tick=False):
        resp = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": totp.now()}, content_type="application/json")
        assert resp.status_code == 200


def test_a_code_is_accepted_once_on_the_page(client, people):
    totp = enrol(people.deputy)
    with time_machine.travel(timezone.now(), tick=False):
        code = totp.now()
        client.post("/accounts/login/", {"username": "deputy", "password": DEMO_PASSWORD})
        assert client.post("/accounts/login/totp/", {"code": code}).status_code == 302
        client.post("/accounts/logout/")
        client.post("/accounts/login/", {"username": "deputy", "password": DEMO_PASSWORD})
        resp = client.post("/accounts/login/totp/", {"code": code})
        assert resp.status_code == 200 and "已使用" in resp.content.decode()
        assert client.get("/").status_code == 302


def test_an_earlier_code_is_refused_after_a_later_one(client, people):
    totp = enrol(people.deputy)
    now = timezone.now()
    earlier = totp.at(now - datetime.timedelta(seconds=30))
    current = totp.now()
    if earlier == current:  # pragma: no cover - one chance in a million
        pytest.skip("two steps share a code")
    with time_machine.travel(now, tick=False):
        ok = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": current}, content_type="application/json")
        assert ok.status_code == 200
        # the previous step is still inside the clock-drift window, but it is older than the one just used
        again = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": earlier}, content_type="application/json")
        assert again.status_code == 400 and again.json()["code"] == "otp_required"
        replay = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": current}, content_type="application/json")
        assert replay.status_code == 400 and "已使用" in replay.json()["fields"]["otp"][0]
    # the next step's code works
    with time_machine.travel(now + datetime.timedelta(seconds=30), tick=False):
        nxt = client.post(TOKEN_URL, {"username": "deputy", "password": DEMO_PASSWORD, "otp": totp.now()}, content_type="application/json")
        assert nxt.status_code == 200


def test_the_enrolment_code_cannot_be_replayed_at_login(client, people):
    clerk = people.clerk
    client.force_login(clerk)
    with time_machine.travel(timezone.now(), tick=False):
        client.get("/accounts/totp/")
        clerk.refresh_from_db()
        code = pyotp.TOTP(clerk.totp_secret).now()
        client.post("/accounts/totp/", {"code": code})
        clerk.refresh_from_db()
        assert clerk.totp_confirmed
        client.post("/accounts/logout/")
        client.post("/accounts/login/", {"username": "clerk", "password": DEMO_PASSWORD})
        assert client.post("/accounts/login/totp/", {"code": code}).status_code == 200
        assert client.get("/").status_code == 302
