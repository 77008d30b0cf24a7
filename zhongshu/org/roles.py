"""Roles (角色). Business roles can be combined; the three administrator roles (三员) cannot."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """业务角色: a person may hold several."""

    CLERK = "clerk", _("文秘")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")
    LEADER = "leader", _("领导")
    LIAISON = "liaison", _("部门联络员")
    ARCHIVIST = "archivist", _("档案员")
    SECRECY_OFFICER = "secrecy_officer", _("保密员")
    RECEPTIONIST = "receptionist", _("接待员")


class AdminRole(models.TextChoices):
    """三员: system, security and audit administration. One column, so one account holds at most one."""

    SYSTEM = "system", _("系统管理员")
    SECURITY = "security", _("安全保密管理员")
    AUDIT = "audit", _("安全审计员")
