"""Working days on the official calendar: holiday blocks, makeup days, admin-entered years, fallback."""

import datetime as dt

import pytest

from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.workdays import services
from zhongshu.workdays.calendar import add_workdays, day_info, deadline, is_workday, workdays_between

D = dt.date
pytestmark = pytest.mark.django_db


def test_spec_example_national_day_2025():
    # spec: 5 working days after 2025-09-26 is 2025-10-10 (09-28 is a makeup Sunday, 10-01..08 off)
    assert add_workdays(D(2025, 9, 26), 5) == D(2025, 10, 10)


@pytest.mark.parametrize(
    "day,expected",
    [
        (D(2025, 1, 26), True),   # Sunday makeup for Spring Festival 2025
        (D(2025, 1, 28), False),  # 除夕 2025
        (D(2025, 2, 4), False),   # last day of 2025 Spring Festival block
        (D(2025, 2, 8), True),    # Saturday makeup
        (D(2025, 10, 8), False),  # National Day + Mid-Autumn 2025
        (D(2025, 10, 11), True),  # Saturday makeup
        (D(2026, 1, 4), True),    # 2026 New Year makeup Sunday
        (D(2026, 2, 14), True),   # Spring Festival makeup Saturday
        (D(2026, 2, 16), False),
        (D(2026, 2, 23), False),
        (D(2026, 2, 28), True),
        (D(2026, 5, 5), False),
        (D(2026, 5, 9), True),
        (D(2026, 6, 19), False),  # Dragon Boat (Friday)
        (D(2026, 9, 20), True),   # National Day makeup Sunday
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),  # makeup Saturday
        (D(2026, 11, 25), True),  # ordinary Wednesday
        (D(2026, 11, 28), False), # ordinary Saturday
    ],
)
def test_official_calendar_2025_2026(day, expected):
    assert is_workday(day) is expected
    assert day_info(day).provisional is False


def test_2026_national_day_block():
    # Wednesday 2026-09-30 + 1 working day skips 10-01..07 and lands on Thursday 10-08
    assert add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # 10-10 (Saturday) is a makeup working day
    assert add_workdays(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 12)) == 4  # 10-08, 10-09, 10-10, 10-12


def test_negative_and_zero():
    assert add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert add_workdays(D(2026, 11, 25), 0) == D(2026, 11, 25)
    assert workdays_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert workdays_between(D(2026, 3, 3), D(2026, 3, 3)) == 0


def test_roundtrip_property():
    start = D(2026, 1, 1)
    for n in range(1, 60):
        end = add_workdays(start, n)
        assert workdays_between(start, end) == n


def test_fallback_beyond_known_data_is_provisional():
    # 2027 is not in chinesecalendar 1.11.0: Mon–Fri, flagged provisional
    info = day_info(D(2027, 1, 1))  # a Friday; New Year's Day will surely be a holiday, but nobody entered it yet
    assert info.is_workday is True and info.provisional is True
    dl = deadline(D(2026, 12, 30), 3)
    assert dl.date == D(2027, 1, 4) and dl.provisional is True
    assert deadline(D(2026, 12, 1), 3).provisional is False


@pytest.mark.django_db
def test_admin_enters_next_year(people):
    admin = people.admin
    services.calendar_day_set(actor=admin, date=D(2027, 1, 1), kind="holiday", name="元旦")
    assert is_workday(D(2027, 1, 1)) is False
    assert day_info(D(2027, 1, 1)).name == "元旦"
    assert day_info(D(2027, 1, 4)).provisional is True  # year not yet published
    services.calendar_year_publish(actor=admin, year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    assert day_info(D(2027, 1, 4)).provisional is False
    assert deadline(D(2026, 12, 31), 1) == deadline(D(2026, 12, 31), 1)
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


@pytest.mark.django_db
def test_local_holiday_applies_to_one_organization_only(people):
    clerk = people.clerk
    liaison = people.liaison
    services.calendar_day_set(actor=people.admin, date=D(2026, 12, 2), kind="holiday", name="县庆", organization=clerk.organization)
    assert is_workday(D(2026, 12, 2), organization_id=clerk.organization_id) is False
    assert is_workday(D(2026, 12, 2), organization_id=liaison.organization_id) is True
    assert is_workday(D(2026, 12, 2)) is True


@pytest.mark.django_db
def test_calendar_rules_and_permissions(people):
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(actor=people.clerk, date=D(2027, 2, 1), kind="holiday", name="春节")
    with pytest.raises(ServiceError) as exc:
        services.calendar_day_set(actor=people.admin, date=D(2027, 2, 3), kind="workday", name="调休")
    assert "周末" in exc.value.message
    with pytest.raises(ServiceError):
        services.calendar_year_publish(actor=people.admin, year=2027, source="")
