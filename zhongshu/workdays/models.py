"""Admin-entered calendar data: years the package does not know (2027 onward) and local holidays."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official schedule an administrator has entered (国务院办公厅 notice, usually November).

    Once a year is marked published, its days not listed in CalendarDay follow Mon–Fri, and results for it
    are no longer provisional.
    """

    year = models.PositiveIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, help_text=_("如：国办发明电〔2026〕×号"))
    published = models.BooleanField(_("已发布"), default=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One exception to Mon–Fri: a holiday on a weekday, or a makeup working day (调休上班) on a weekend.

    `organization` empty = national; set = a local holiday of that organization only.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=40)
    organization = models.ForeignKey("org.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], condition=Q(organization__isnull=True), name="calendarday_unique_national"),
            models.UniqueConstraint(fields=["date", "organization"], name="calendarday_unique_local"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
