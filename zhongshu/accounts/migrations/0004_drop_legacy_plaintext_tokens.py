"""DRF's authtoken app (rest_framework.authtoken) is no longer installed: its table held every token in plain text,
with no expiry. Existing deployments drop it here (those tokens stop working — clients ask for a new, expiring
token at POST /api/v1/auth/token); fresh databases never had it."""

from django.db import migrations


def drop_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")
        schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_tokens_and_activations")]

    operations = [migrations.RunPython(drop_legacy_tokens, migrations.RunPython.noop)]
