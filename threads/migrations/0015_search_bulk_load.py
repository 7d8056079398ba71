"""PostgreSQL search triggers that leave posts pending during a bulk load (the setting
``qasite.bulk_load``, see threads/search/schema.py: ``deferred_indexing``,
``index_pending``). No model state changes; on other databases this migration does nothing."""

from django.db import migrations

# The functions as migration 0005 made them, for migrating back.
PREVIOUS_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION threads_post_search_row() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        tags text;
    BEGIN
        IF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title
                OR NEW.body IS DISTINCT FROM OLD.body THEN
            tags := threads_post_tags_text(NEW.id);
            NEW.search_vector := threads_post_search_vector(NEW.title, NEW.body, tags);
            NEW.search_title_vector := threads_post_search_title_vector(NEW.title, tags);
        END IF;
        RETURN NEW;
    END $$""",
    """
    CREATE OR REPLACE FUNCTION threads_taggedpost_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM threads_post_search_refresh(
                ARRAY(SELECT DISTINCT content_object_id FROM new_rows)
            );
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            PERFORM threads_post_search_refresh(
                ARRAY(SELECT DISTINCT content_object_id FROM old_rows)
            );
        END IF;
        RETURN NULL;
    END $$""",
]


def _run(schema_editor, statements) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    from threads.search import schema

    _run(schema_editor, [schema.PG_POST_ROW_FUNCTION, schema.PG_TAGGEDPOST_REFRESH_FUNCTION])


def backwards(apps, schema_editor):
    _run(schema_editor, PREVIOUS_FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0014_post_created_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
