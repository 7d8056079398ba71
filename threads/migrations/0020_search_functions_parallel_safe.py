"""PostgreSQL: the search index's functions marked PARALLEL SAFE (they are: they write
nothing), so a set-based writer that computes posts' vectors itself (the importer's final
update, threads/search/schema.py: ``PG_VECTORS``) may use parallel workers. No model state
changes; on other databases this migration does nothing."""

from django.db import migrations

FUNCTIONS = (
    "threads_post_tags_text(bigint)",
    "threads_post_search_vector(text, text, text)",
    "threads_post_search_title_vector(text, text)",
)


def _mark(schema_editor, safety: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for function in FUNCTIONS:
        schema_editor.execute(f"ALTER FUNCTION {function} PARALLEL {safety}", params=None)


def forwards(apps, schema_editor):
    _mark(schema_editor, "SAFE")


def backwards(apps, schema_editor):
    _mark(schema_editor, "UNSAFE")


class Migration(migrations.Migration):
    dependencies = [("threads", "0019_question_count_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
