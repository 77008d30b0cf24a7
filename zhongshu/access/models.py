"""Explicit grants (授权): the security administrator widens need-to-know for one object."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Grant(models.Model):
    """知悉范围授权: a person or a whole department may see one object until `expires_at`.

    A grant never lifts classification: a reader still needs the clearance for the object's 密级.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    user = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.CASCADE, related_name="grants")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, default="view")
    reason = models.CharField(_("授权事由"), max_length=200)
    granted_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["user", "content_type"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(department__isnull=True))
                | (Q(user__isnull=True) & Q(department__isnull=False)),
                name="grant_one_grantee",
            )
        ]

    def __str__(self) -> str:
        return f"授权 {self.content_type_id}:{self.object_id}"
