"""Errors raised by services. Views and the API turn them into Chinese messages, never a 500."""

from __future__ import annotations


class ServiceError(Exception):
    """A rule refused the change. `fields` maps field names to Chinese messages."""

    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str] | str] | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = {k: ([v] if isinstance(v, str) else list(v)) for k, v in (fields or {}).items()}


class PermissionDenied(ServiceError):
    """The actor's role does not allow the action."""

    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限。", **kw):
        super().__init__(message, code="permission_denied", **kw)


class NotFound(ServiceError):
    """The object does not exist or the actor may not know that it exists."""

    status = 404

    def __init__(self, message: str = "对象不存在或您无权查看。", **kw):
        super().__init__(message, code="not_found", **kw)


class Conflict(ServiceError):
    """The object changed under the actor (someone else acted first)."""

    status = 409

    def __init__(self, message: str, **kw):
        super().__init__(message, code="conflict", **kw)
