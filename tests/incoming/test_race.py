"""Readers finishing a 同时传阅 at the same instant, and 办结 racing 退回重办: every lock is taken document →
round/undertaking → slot, so concurrent requests wait for each other — no deadlock, nothing done twice.
Real threads on PostgreSQL (SQLite serialises writers with IMMEDIATE transactions, so it is skipped there)."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.flow.test_race import _race
from zhongshu.core.errors import Conflict
from zhongshu.incoming import services
from zhongshu.incoming.models import Circulation, CirculationSlot, IncomingDocument
from zhongshu.org.models import User

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
ALL_PASS = {key: True for key, _label in services.REVIEW_CHECKS}


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("竞争测试需要 PostgreSQL（行锁）；SQLite 以 IMMEDIATE 事务串行化写入")


def test_parallel_readers_finish_together(county):
    clerk = User.objects.get(username="clerk")
    readers = list(User.objects.filter(organization=clerk.organization, role_assignments__role="leader").order_by("id")[:4])
    for n in range(5):
        doc = services.incoming_register(actor=clerk, source="paper", sender_name="某市统计局", title=f"传阅竞争{n}")
        doc = services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="read")
        services.circulation_start(actor=clerk, document=doc, readers=readers, mode="parallel")
        slots = {s.reader_id: s for s in CirculationSlot.objects.filter(circulation__document=doc)}
        results = _race([lambda r=r: services.circulation_read(actor=r, slot=slots[r.pk], comment="已阅") for r in readers])
        assert all(isinstance(x, CirculationSlot) for x in results), results  # no deadlock, no 500
        assert Circulation.objects.get(document=doc).status == "finished"
        assert IncomingDocument.objects.get(pk=doc.pk).status == "closed"


def test_close_and_return_of_the_reply_at_once(county):
    from tests.incoming.test_handling import assigned
    from zhongshu.incoming.models import Undertaking

    class People:
        def __getattr__(self, login):
            return User.objects.get(username=login)

    people = People()
    doc = assigned(people)
    lead = doc.undertakings.get(role="lead")
    services.undertaking_reply(actor=lead.department.head, undertaking=lead, reply="已办理。")
    results = _race([
        lambda: services.incoming_close(actor=people.clerk, document=doc),
        lambda: services.undertaking_return(actor=people.director, undertaking=lead, reason="请补充。"),
    ])
    assert sum(isinstance(x, Conflict) for x in results) == 1, results  # one wins; the other is told why
    lead = Undertaking.objects.get(pk=lead.pk)
    doc.refresh_from_db()
    assert (doc.status, lead.status) in {("closed", "closed"), ("assigned", "open")}
