"""Filter tokens (decision 0006): every index row also carries its kind, year, department, 密级 and status as
tokens, so that a filter the user chose narrows the token lookup itself.  Rows indexed before get them here,
from their own columns (the FTS5 update trigger / the generated tsvector column follow)."""

import re

from django.db import migrations

FILTER = "\ue002"
_NOT_WORD = re.compile(r"[^0-9a-z]")


def _token(field, value):  # frozen copy of tokens.filter_token
    return FILTER + field + _NOT_WORD.sub("\ue003", str(value).casefold())


def add_filter_tokens(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    rows = SearchEntry.objects.order_by("pk").values_list("pk", "kind", "year", "department_id", "classification", "status", "tokens")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:500])
        if not batch:
            return
        changed = []
        for pk, kind, year, department_id, classification, status, tokens in batch:
            found = set(tokens.split())
            found.update({_token("k", kind), _token("c", classification)})
            if year is not None:
                found.add(_token("y", year))
            if department_id is not None:
                found.add(_token("d", department_id))
            if status:
                found.add(_token("s", status))
            changed.append(SearchEntry(pk=pk, tokens=" ".join(sorted(found))))
        SearchEntry.objects.bulk_update(changed, ["tokens"])  # the FTS5 update trigger / generated tsvector follow
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_walk_index")]

    operations = [migrations.RunPython(add_filter_tokens, migrations.RunPython.noop)]
