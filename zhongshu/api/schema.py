"""OpenAPI schema generation (drf-spectacular) without name clashes or guesswork.

- Component names carry their module when the serializer's own name does not say it: the 督办 ``ItemSerializer``
  becomes ``SupervisionItem``, the 档案 one ``ArchivesItem``, the inbox ``TaskSerializer`` ``InboxTask`` — so two
  modules can never produce one component with two meanings.
- Generated from the command line (``zhongshu spectacular``) there is no request; the views' ``get_queryset()`` run
  through ``restrict()`` and need a person. The mock request then carries an unsaved nobody (id 0, no organization,
  no role): the querysets are built only to read their model, never shown.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as _AutoSchema
from drf_spectacular.plumbing import build_mock_request


def _module_prefix(cls: type) -> str:
    parts = cls.__module__.split(".")
    if len(parts) < 2 or parts[0] != "zhongshu":
        return ""
    return parts[1]


class AutoSchema(_AutoSchema):
    def get_serializer_name(self, serializer, direction) -> str:
        name = super().get_serializer_name(serializer, direction)
        app = _module_prefix(serializer.__class__)
        if not app or app == "api":
            return name
        stem = app.rstrip("s")[:4].lower()
        if name.lower().startswith(stem):
            return name
        return app.capitalize() + name


def mock_request(method, path, view, original_request, **kwargs):
    request = build_mock_request(method, path, view, original_request, **kwargs)
    if original_request is None:
        from zhongshu.org.models import User

        nobody = User(pk=0, username="schema")
        request.user = nobody
        request._request.user = nobody
    return request
