import pytest

from zhongshu.flow.models import FlowInstance, WorkItem

pytestmark = pytest.mark.django_db


def test_demo_gives_everyone_something_to_do(people):
    for login in ("clerk", "director", "leader", "deputy"):
        u = people[login]
        assert WorkItem.objects.filter(assignee=u, status="pending").exists(), login
    assert FlowInstance.objects.filter(status="approved").exists()
