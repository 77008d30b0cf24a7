"""Daily job (registered in apps.py): 承办 deadline reminders and overdue escalation."""


def scan() -> str:
    from .services import undertaking_reminders_scan

    counts = undertaking_reminders_scan()
    return f"收文到期前提醒 {counts['before']} 条，到期提醒 {counts['due']} 条，逾期提醒 {counts['overdue']} 条"
