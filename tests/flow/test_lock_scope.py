"""The flow engine's row lock takes the instance's row only (issue 19 §3: found by bench/scaleout.py — locking the
joined content-type row serialised every flow action of a kind and deadlocked with the audit chain head)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zhongshu.flow.models import FlowInstance
from zhongshu.flow.services.engine import lock_instance


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only (SQLite serialises writers)")
def test_lock_instance_locks_only_the_instance_row(people, db):
    pk = FlowInstance.objects.values_list("pk", flat=True).first()
    assert pk is not None
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        inst = lock_instance(pk)
    sql = ctx.captured_queries[-1]["sql"]
    assert 'FOR UPDATE OF "flow_flowinstance"' in sql
    assert inst.content_type_id and inst.definition_id  # still fetched in the same query
