"""介绍信 serials under load: 50 people of one organization issue at the same instant → serials 1..50, each once.

Real threads, each with its own database connection; meaningful on PostgreSQL (the sequence row is locked with
SELECT … FOR UPDATE, and its first creation races too: the organization has no letter yet this year)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from zhongshu.org.models import User
from zhongshu.seals import services
from zhongshu.seals.models import IntroLetter

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
N = 50


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("竞争测试需要 PostgreSQL（行锁）：DATABASE_URL=postgres://… pytest -m race；SQLite 以 IMMEDIATE 事务串行化写入")


def test_fifty_concurrent_letters_get_one_to_fifty_once(county):
    clerk = User.objects.get(real_name="袁志刚")  # 县委办秘书科: no 介绍信 yet this year
    assert not IntroLetter.objects.filter(organization_id=clerk.organization_id).exists()
    until = timezone.localdate() + datetime.timedelta(days=3)
    barrier = threading.Barrier(N)
    results: list = [None] * N

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = services.letter_issue(actor=clerk, holder=f"持信人{i}", receiving_unit="某单位", matter="竞争测试", valid_until=until).serial
        except Exception as exc:  # noqa: BLE001 — reported below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == list(range(1, N + 1)), [r for r in results if not isinstance(r, int)]
    serials = IntroLetter.objects.filter(organization_id=clerk.organization_id).values_list("serial", flat=True)
    assert sorted(serials) == list(range(1, N + 1))
