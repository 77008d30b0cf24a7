"""The 用印登记簿 and the seals' history are append-only on PostgreSQL (core/append_only.py)."""

from django.db import migrations

from zhongshu.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("seals", "0001_initial")]

    operations = [
        migrations.RunPython(*append_only("seals_userecord", "用印登记")),
        migrations.RunPython(*append_only("seals_sealevent", "印章记录")),
    ]
