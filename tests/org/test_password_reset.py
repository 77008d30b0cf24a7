"""三员 and password resets: no administrator ever knows or sets a usable secret of somebody else.

A reset (or a new account) kills the old password at once and issues a one-time, expiring activation: the system
administrator requests it, the security administrator approves it, the code goes to the person's e-mail — or, without
e-mail, into two sealed envelopes, half printed by each of the two administrators — and the person sets their own
password with it, once.
"""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from zhongshu.accounts import services as acc
from zhongshu.accounts.models import PasswordActivation
from zhongshu.audit.models import AuditEntry
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.demo.builder import DEMO_PASSWORD
from zhongshu.org import services
from zhongshu.org.models import User

pytestmark = pytest.mark.django_db

NEW = "Hongqi#2026x"


def enrolled(user):
    user.totp_confirmed = True
    user.save()
    return user


def mailed_code():
    assert len(mail.outbox) == 1
    found = re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}", mail.outbox[0].body)
    assert found, mail.outbox[0].body
    return found.group(0)


def redeem(client, username, code, password=NEW):
    return client.post("/accounts/activate/", {"username": username, "code": code, "new_password": password, "new_password2": password})


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_reset_kills_the_old_password_and_shows_the_admin_no_secret(client, people):
    admin = enrolled(people.admin)
    client.force_login(admin)
    resp = client.post(f"/org/people/{people.clerk.pk}/reset-password/", follow=True)
    text = resp.content.decode()
    assert "待安全保密管理员审批" in text and "邮箱" in text
    activation = PasswordActivation.objects.get(user=people.clerk)
    assert activation.status == "requested" and activation.requested_by == admin
    clerk = User.objects.get(username="clerk")
    assert not clerk.has_usable_password() and clerk.must_change_password
    client.logout()
    assert login(client, "clerk", DEMO_PASSWORD).status_code == 200  # the old password stopped working at once
    entry = AuditEntry.objects.filter(action="org.user_reset_password").latest("seq")
    assert entry.actor_id == admin.pk and entry.after == {"delivery": "email", "status": "requested"}


def test_email_activation_after_the_security_admin_approves(client, people, django_capture_on_commit_callbacks):
    admin, secadmin = enrolled(people.admin), enrolled(people.secadmin)
    activation = services.user_reset_password(actor=admin, user=people.clerk)
    assert mail.outbox == []
    with pytest.raises(PermissionDenied):
        acc.activation_approve(actor=admin, activation=activation)  # the requester cannot approve his own request
    client.force_login(secadmin)
    page = client.get("/org/resets/").content.decode()
    assert "王思远" in page and "clerk@moxian.example" in page  # the approver sees where the code will go
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/org/resets/{activation.pk}/approve/")
    code = mailed_code()
    assert mail.outbox[0].to == ["clerk@moxian.example"]
    # neither administrator's screens show the code
    for who in (admin, secadmin):
        client.force_login(who)
        assert code not in client.get("/org/resets/").content.decode()
        assert code not in client.get(f"/org/people/{people.clerk.pk}/").content.decode()
    assert not AuditEntry.objects.filter(note__contains=code).exists()
    client.logout()
    # the person sets their own password with it, once
    resp = redeem(client, "clerk", code)
    assert resp.status_code == 302 and resp["Location"] == "/accounts/login/"
    assert redeem(client, "clerk", code, "Another#2026y").status_code == 200
    assert login(client, "clerk", "Another#2026y").status_code == 200
    assert login(client, "clerk", NEW)["Location"] == "/"
    assert client.get("/").status_code == 200  # no further forced change: the password is their own
    activation.refresh_from_db()
    assert activation.status == "used" and activation.used_at is not None


def test_without_approval_the_code_goes_out_at_once(client, people, django_capture_on_commit_callbacks):
    with override_settings(PASSWORD_RESET_NEEDS_APPROVAL=False), django_capture_on_commit_callbacks(execute=True):
        activation = services.user_reset_password(actor=people.admin, user=people.clerk)
    assert activation.status == "issued"
    assert redeem(client, "clerk", mailed_code()).status_code == 302


def test_envelope_in_two_halves_printed_by_two_administrators(client, people):
    admin, secadmin = enrolled(people.admin), enrolled(people.secadmin)
    services.user_update(actor=admin, user=people.clerk, email="")
    activation = services.user_reset_password(actor=admin, user=people.clerk)
    assert activation.delivery == "envelope"
    with pytest.raises(ServiceError, match="审批"):
        acc.activation_envelope(actor=admin, activation=activation)
    acc.activation_approve(actor=secadmin, activation=activation)
    assert mail.outbox == []
    # each administrator prints his own half, once, on the printable page
    client.force_login(admin)
    page = client.post(f"/org/resets/{activation.pk}/envelope/").content.decode()
    first = re.search(r'class="envelope-code">([A-Z2-9-]+)<', page).group(1)
    assert "密码信封" in page and "第一联" in page
    again = client.post(f"/org/resets/{activation.pk}/envelope/", follow=True).content.decode()
    assert first not in again and "已打印" in again
    client.force_login(secadmin)
    page = client.post(f"/org/resets/{activation.pk}/envelope/").content.decode()
    second = re.search(r'class="envelope-code">([A-Z2-9-]+)<', page).group(1)
    assert "第二联" in page and second != first
    # handing over is recorded with the person who hands it over
    client.post(f"/org/resets/{activation.pk}/handover/", {"handed_over_by": "机要保密室 谢宏伟"})
    activation.refresh_from_db()
    assert activation.handed_over_by == "机要保密室 谢宏伟" and activation.handed_over_at is not None
    assert AuditEntry.objects.filter(action="auth.activation_handover", target_id=str(people.clerk.pk)).exists()
    # one half alone is useless
    client.logout()
    assert redeem(client, "clerk", first).status_code == 200
    assert redeem(client, "clerk", second).status_code == 200
    assert redeem(client, "clerk", f"{first}-{second}").status_code == 302


def test_each_administrator_prints_only_his_half(people):
    admin, secadmin = people.admin, people.secadmin
    services.user_update(actor=admin, user=people.clerk, email="")
    activation = services.user_reset_password(actor=admin, user=people.clerk)
    acc.activation_approve(actor=secadmin, activation=activation)
    part_a = acc.activation_envelope(actor=admin, activation=activation)
    with pytest.raises(ServiceError, match="已打印"):
        acc.activation_envelope(actor=admin, activation=activation)
    part_b = acc.activation_envelope(actor=secadmin, activation=activation)
    assert part_a != part_b
    with pytest.raises(PermissionDenied):
        acc.activation_envelope(actor=people.auditor, activation=activation)
    with pytest.raises(PermissionDenied):
        acc.activation_envelope(actor=people.director, activation=activation)


def test_activation_expires(client, people, django_capture_on_commit_callbacks):
    with override_settings(PASSWORD_RESET_NEEDS_APPROVAL=False, PASSWORD_RESET_ACTIVATION_HOURS=2), django_capture_on_commit_callbacks(execute=True):
        services.user_reset_password(actor=people.admin, user=people.clerk)
    code = mailed_code()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2, minutes=1), tick=False):
        resp = redeem(client, "clerk", code)
        assert resp.status_code == 200 and "过期" in resp.content.decode()
    assert not User.objects.get(username="clerk").has_usable_password()


def test_activation_sets_only_a_valid_password_of_the_persons_own(client, people, django_capture_on_commit_callbacks):
    with override_settings(PASSWORD_RESET_NEEDS_APPROVAL=False), django_capture_on_commit_callbacks(execute=True):
        services.user_reset_password(actor=people.admin, user=people.clerk)
    code = mailed_code()
    resp = redeem(client, "clerk", code, "short")
    assert resp.status_code == 200 and "太短" in resp.content.decode()
    assert redeem(client, "clerk", code).status_code == 302  # still usable after a refused attempt
    assert User.objects.get(username="clerk").check_password(NEW)


def test_a_new_reset_replaces_the_previous_activation(client, people, django_capture_on_commit_callbacks):
    with override_settings(PASSWORD_RESET_NEEDS_APPROVAL=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.user_reset_password(actor=people.admin, user=people.clerk)
        old = mailed_code()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.user_reset_password(actor=people.admin, user=people.clerk)
    new = mailed_code()
    assert redeem(client, "clerk", old).status_code == 200
    assert redeem(client, "clerk", new).status_code == 302


def test_guessing_activation_codes_locks_the_account(client, people, django_capture_on_commit_callbacks):
    with override_settings(PASSWORD_RESET_NEEDS_APPROVAL=False), django_capture_on_commit_callbacks(execute=True):
        services.user_reset_password(actor=people.admin, user=people.clerk)
    code = mailed_code()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert redeem(client, "clerk", "AAAAA-AAAAA-AAAAA-AAAAA").status_code == 200
    assert redeem(client, "clerk", "AAAAA-AAAAA-AAAAA-AAAAA").status_code == 429
    assert redeem(client, "clerk", code).status_code == 429


def test_rejected_request_is_closed(people):
    activation = services.user_reset_password(actor=people.admin, user=people.clerk)
    with pytest.raises(ServiceError):
        acc.activation_reject(actor=people.secadmin, activation=activation, reason="")
    acc.activation_reject(actor=people.secadmin, activation=activation, reason="本人未提出申请")
    activation.refresh_from_db()
    assert activation.status == "rejected"
    with pytest.raises(ServiceError):
        acc.activation_approve(actor=people.secadmin, activation=activation)


def test_new_accounts_get_an_activation_not_a_password(client, people, api):
    admin = enrolled(people.admin)
    client.force_login(admin)
    org = admin.organization or people.clerk.organization
    resp = client.post(
        f"/org/people/new/?org={people.clerk.organization_id}",
        {"username": "newbie", "real_name": "新同事", "email": "newbie@moxian.example", "is_active": "on"},
        follow=True,
    )
    text = resp.content.decode()
    assert "初始密码" not in text and "激活" in text, text[:2000]
    newbie = User.objects.get(username="newbie")
    assert not newbie.has_usable_password()
    assert PasswordActivation.objects.get(user=newbie).status == "requested"
    body = api(admin).post(
        "/api/v1/people/", {"organization": people.clerk.organization_id, "username": "newbie2", "real_name": "新同事二", "password": "Chosen#2026a"}, format="json"
    ).json()
    assert "initial_password" not in body and body["activation"]["delivery"] == "envelope"
    assert not User.objects.get(username="newbie2").has_usable_password()
    assert org is not None


def test_an_administrator_cannot_set_or_learn_a_password(client, people):
    admin = people.admin
    # no service lets an administrator choose someone's password
    with pytest.raises(ServiceError):
        services.user_create(actor=admin, organization=people.clerk.organization, username="chosen", real_name="指定", password="Chosen#2026a")
    with pytest.raises(TypeError):
        services.user_reset_password(actor=admin, user=people.clerk, password="Chosen#2026a")  # type: ignore[call-arg]
    # no admin site, no impersonation view
    enrolled(admin)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 404
    # after a reset nothing the administrator holds opens the account: the code went to the person
    services.user_reset_password(actor=admin, user=people.clerk)
    client.logout()
    for guess in (DEMO_PASSWORD, "", "Zhongshu@2026"):
        assert login(client, "clerk", guess).status_code in (200, 429)
        assert client.get("/").status_code == 302
    resp = client.post("/api/v1/auth/token", {"username": "clerk", "password": DEMO_PASSWORD}, content_type="application/json")
    assert resp.status_code in (400, 429)
