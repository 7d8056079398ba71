"""Full-text search indexes, maintained by the database (see threads/search/schema.py):
an FTS5 table with triggers on SQLite, a trigger-maintained tsvector column with a GIN index
on PostgreSQL. No model state changes; on other databases this migration does nothing."""

from django.db import migrations


def install(apps, schema_editor):
    from threads.search import schema

    schema.install(schema_editor)


def uninstall(apps, schema_editor):
    from threads.search import schema

    schema.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0004_post_changed_at"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
