"""Queue tasks for notification delivery (run by the worker, or inline when QUEUE_SYNC is on)."""

from .services import send_emails, send_webhook


def deliver_email(ids: list[int]) -> int:
    return send_emails(ids)


def deliver_webhook(endpoint_id: int, text: str) -> str:
    return send_webhook(endpoint_id, text)
