"""PostgreSQL: keep statistics for the 10,000 most common index tokens instead of 1,000 (decision 0006).

search() estimates a query's share of the rows from them to choose its plan without asking the index; with the
default target (100 → 1,000 tokens) only tokens in more than about 18% of the rows were listed, and a topic word in
11% of a million documents cost a GIN probe of 100 ms; with 1,000 (→ 10,000 tokens) everything above about 0.1%
is listed.  ANALYZE samples 300,000 rows for it (34 s at 1M documents; autovacuum repeats it as the table changes).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_entry ALTER COLUMN tsv SET STATISTICS 1000")
        schema_editor.execute("ANALYZE search_entry")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_entry ALTER COLUMN tsv SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_walk_year_index")]

    operations = [migrations.RunPython(forwards, backwards)]
