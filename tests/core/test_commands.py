"""The console script and its production commands."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhongshu.org.models import Organization, User

pytestmark = pytest.mark.django_db


def test_console_script_lists_commands():
    out = subprocess.run([sys.executable, "-m", "zhongshu", "help"], capture_output=True, text=True, check=True).stdout
    for name in ("serve", "worker", "migrate", "demo", "init", "createadmin", "audit", "backup", "restore"):
        assert name in out


def test_init_creates_organization_without_any_account(people):
    before = User.objects.count()
    call_command("init", "--organization", "某县审计局", "--short-name", "县审计局", "--code", "sjj", "--skip-static", stdout=io.StringIO())
    assert Organization.objects.filter(code="sjj").exists()
    assert User.objects.count() == before  # no default account, no default password
    from django_q.models import Schedule

    assert Schedule.objects.filter(name="每日提醒扫描", func="zhongshu.core.jobs.run_daily").count() == 1
    with pytest.raises(CommandError, match="short-name"):
        call_command("init", "--organization", "某县", "--skip-static", stdout=io.StringIO())


def test_createadmin_reads_password_and_refuses_weak_ones(people, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("weak\n"))
    with pytest.raises(CommandError, match="密码"):
        call_command("createadmin", "sysop2", "--name", "张运维", "--role", "system", "--organization", "zfb", "--password-stdin", stdout=io.StringIO())
    assert not User.objects.filter(username="sysop2").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("Yunwei#2026-strong\n"))
    call_command("createadmin", "sysop2", "--name", "张运维", "--role", "system", "--organization", "zfb", "--password-stdin", stdout=io.StringIO())
    u = User.objects.get(username="sysop2")
    assert u.admin_role == "system" and u.check_password("Yunwei#2026-strong") and not u.role_assignments.exists()


def test_demo_is_idempotent(people):
    n = User.objects.count()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "演示数据已存在" in out.getvalue() and "Zhongshu@2026" in out.getvalue()
    assert User.objects.count() == n


def test_daily_scan_runs_registered_jobs(people):
    from zhongshu.core.jobs import DAILY_JOBS, run_daily

    assert "password_expiry" in DAILY_JOBS
    results = run_daily()
    assert set(results) == set(DAILY_JOBS) and not any(v.startswith("失败") for v in results.values())


def test_password_expiry_reminder(people, time_machine):
    import datetime as dt

    from django.utils import timezone

    from zhongshu.accounts.jobs import remind_password_expiry
    from zhongshu.notify.models import Notification

    time_machine.move_to(timezone.now() + dt.timedelta(days=85))  # demo passwords were set "now": 5 days left
    assert remind_password_expiry() == User.objects.filter(is_active=True, password_changed_at__isnull=False).count()
    assert Notification.objects.filter(recipient=people.clerk, title__contains="密码将于").exists()
