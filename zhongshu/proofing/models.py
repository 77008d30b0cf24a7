"""公文校对 settings of an organization: rules switched off and its sensitive/banned expressions.

The proofreading itself is the pure library `zhongshu.proofread`; this app stores only what each
organization configures, and never the documents proofread (they are processed in memory).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProofreadSettings(models.Model):
    """校对设置: one row per organization (none means the defaults: every rule on, no banned terms)."""

    organization = models.OneToOneField(
        "org.Organization", verbose_name=_("机关"), on_delete=models.CASCADE, related_name="proofread_settings"
    )
    disabled_rules = models.JSONField(_("关闭的规则"), default=list, blank=True)
    banned_terms = models.TextField(
        _("敏感或禁用表述"), blank=True, default="", help_text=_("每行一个，“词语”或“词语=>建议用语”")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        "org.User", verbose_name=_("修改人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("校对设置")
        verbose_name_plural = _("校对设置")

    def __str__(self) -> str:
        return f"{self.organization} 校对设置"
