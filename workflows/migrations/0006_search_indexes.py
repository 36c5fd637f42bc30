"""GIN indexes for the search (congress/search.py) on PostgreSQL, over the very expressions
the search computes: a task's title and description, a comment's section, source, text and
response, a version's text. Without them a search reads and parses every text it may see
(measured in docs/DECISIONS.md, Search). Nothing on SQLite."""

from django.db import migrations

from congress.search import vector_sql

INDEXES = {
    "search_task": ("workflows_task", [("title", "A"), ("description", "B")]),
    "search_comment": (
        "workflows_comment",
        [("section", "A"), ("source", "A"), ("text", "B"), ("response", "B")],
    ),
    "search_version": ("workflows_documentversion", [("text", None)]),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, columns) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({vector_sql(columns)}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0008_search_unaccent"),
        ("workflows", "0005_consultation_invitations"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
