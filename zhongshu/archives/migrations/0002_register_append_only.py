"""The 销毁清册 is kept permanently: its lines and file-removal records can be appended, never changed or deleted."""

from django.db import migrations

from zhongshu.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("archives", "0001_initial")]

    operations = [
        migrations.RunPython(*append_only("archives_destructionline", "档案销毁清册")),
        migrations.RunPython(*append_only("archives_filedisposal", "档案销毁记录")),
    ]
