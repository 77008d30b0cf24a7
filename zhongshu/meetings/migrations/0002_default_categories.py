"""The platform's default 会议分类 with the 厉行节约 caps (affairs.md §Meetings, marked (sec) there: central
categories 2–4, at most 2 days, 300 / 150 / 50 attendees, 760 / 650 / 550 元 per person per day all-in).
UNCONFIRMED for local organs: local standards differ — every organization overrides them on 会议分类与定额."""

from django.db import migrations

DEFAULTS = [
    ("class2", "二类会议", 2, 300, 760, "（待确认）中央标准；地方标准不同时请在本机关覆盖", 20),
    ("class3", "三类会议", 2, 150, 650, "（待确认）中央标准；地方标准不同时请在本机关覆盖", 30),
    ("class4", "四类会议", 2, 50, 550, "（待确认）中央标准；地方标准不同时请在本机关覆盖", 40),
    ("internal", "机关内部工作会议", 1, None, None, "（待确认）在本机关会议室召开、不列会议费的工作会议", 50),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("meetings", "Category")
    for code, name, days, people, cap, note, order in DEFAULTS:
        Category.objects.get_or_create(organization=None, code=code, defaults={
            "name": name, "max_days": days, "max_attendees": people, "daily_cost_cap": cap, "note": note, "order": order})


def backwards(apps, schema_editor):
    apps.get_model("meetings", "Category").objects.filter(organization=None, code__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
