from django.db.models import QuerySet

from zhongshu.access.permissions import has_perm

from .models import AuditEntry


def entries_for(user) -> QuerySet[AuditEntry]:
    """Only the security auditor (安全审计员) reads the trail."""
    if not has_perm(user, "audit.view"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.all()
