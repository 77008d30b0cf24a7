import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhongshu.org.models import Department, User
from zhongshu.supervision import services
from zhongshu.supervision.models import Cycle, Source

SH = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 9):
    return time_machine.travel(datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SH), tick=False)


def office(code: str) -> Department:
    return Department.objects.get(organization__code=code, code="BGS")


def liaison(code: str) -> User:
    return User.objects.filter(memberships__department=office(code), role_assignments__role="liaison").get()


@pytest.fixture
def make_item(people):
    def make(*, actor=None, lead="fgj", co=(), leader=None, **kw):
        values = {
            "title": "测试督办事项", "content": "请抓紧办理。", "source": Source.INSTRUCTION, "workdays": 20, "cycle": Cycle.NONE,
            "responsible_leader": leader or people.deputy,
            "lead_department": office(lead) if isinstance(lead, str) else lead,
            "co_departments": [office(c) if isinstance(c, str) else c for c in co],
        }
        values.update(kw)
        return services.supervision_item_create(actor=actor or people.clerk, **values)

    return make


@pytest.fixture
def assigned(make_item, people):
    def make(**kw):
        item = make_item(**kw)
        return services.supervision_item_assign(actor=people.clerk, item=item)

    return make
