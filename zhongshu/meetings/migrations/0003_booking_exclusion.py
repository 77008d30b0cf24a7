"""On PostgreSQL the database itself refuses two active bookings of one room that overlap in time: an exclusion
constraint over (room =, tstzrange(start, end) &&) with btree_gist. SQLite has no such constraint; there the
application check runs under the IMMEDIATE transaction, which serialises writers (settings.DATABASES)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE meetings_booking ADD CONSTRAINT meeting_booking_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(start, "end", '[)') WITH &&) WHERE (status = 'active');
"""
DROP = "ALTER TABLE meetings_booking DROP CONSTRAINT IF EXISTS meeting_booking_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_default_categories")]
    operations = [migrations.RunPython(forwards, backwards)]
