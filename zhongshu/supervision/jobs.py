"""Daily job (registered in apps.py)."""


def scan() -> str:
    from .reminders import reminders_scan

    c = reminders_scan()
    return (f"开放报送 {c['opened']} 份，报送提醒 {c['report_due']} 条，报送逾期 {c['report_overdue']} 条，"
            f"到期前提醒 {c['before']} 条，到期提醒 {c['due']} 条，超期催办 {c['overdue']} 条，阶段目标提醒 {c['milestones']} 条")
