"""密级 (classification) and 涉密人员 clearance, with the mapping between them.

Spec: records-security-calendar.md — 绝密 > 机密 > 秘密, plus 内部/非密 for unclassified
material. 核心/重要/一般涉密人员 may read 绝密/机密/秘密; everyone else unclassified only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.IntegerChoices):
    """密级. Integer order lets access control compare levels in SQL."""

    PUBLIC = 0, _("公开")
    INTERNAL = 1, _("内部")
    SECRET = 2, _("秘密")
    CONFIDENTIAL = 3, _("机密")  # 机密 sits above 秘密 in Chinese practice
    TOP_SECRET = 4, _("绝密")

    @property
    def is_classified(self) -> bool:
        return self >= Classification.SECRET


# Maximum 保密期限 in years unless otherwise set (spec: 绝密 30, 机密 20, 秘密 10).
MAX_SECRECY_YEARS = {
    Classification.SECRET: 10,
    Classification.CONFIDENTIAL: 20,
    Classification.TOP_SECRET: 30,
}


class Clearance(models.IntegerChoices):
    """涉密人员类别; the value is the highest Classification the person may read."""

    NONE = 1, _("非涉密人员")
    GENERAL = 2, _("一般涉密人员")
    IMPORTANT = 3, _("重要涉密人员")
    CORE = 4, _("核心涉密人员")


def max_readable(clearance: int) -> Classification:
    """Highest 密级 a person of this clearance may read (非涉密 → 内部 … 核心 → 绝密)."""
    return Classification(int(clearance))
