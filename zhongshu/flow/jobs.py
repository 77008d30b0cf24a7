"""Daily job (registered in apps.py): automatic reminders and escalation."""


def scan() -> str:
    from .services.reminders import reminders_scan

    counts = reminders_scan()
    return f"到期前提醒 {counts['before']} 条，到期提醒 {counts['due']} 条，超期督办 {counts['overdue']} 条"
