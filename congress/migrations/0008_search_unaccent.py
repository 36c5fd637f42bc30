"""PostgreSQL's full-text search without diacritics (congress/search.py): the `unaccent`
extension and the `congress_search` configuration (`simple`, whose words go through
`unaccent` first). Nothing on SQLite, which folds in Python."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'congress_search') THEN
        CREATE TEXT SEARCH CONFIGURATION congress_search (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION congress_search
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS congress_search;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0007_organization_office"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
