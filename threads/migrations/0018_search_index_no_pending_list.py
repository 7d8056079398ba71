"""PostgreSQL: the search indexes without GIN's fast-update list. With it, new index
entries wait in a pending list (up to 4 MB) that every search reads in full until a
vacuum merges it, and every vote adds to it (a vote changes indexed columns of its post,
so its row gets new entries in every index). On the benchmark site a cold question page's
database time halved once the list was merged; writing the entries directly cost a vote
about 0.5 ms of the database's time (docs/architecture.md, "Decisions the code relies on"). No model state
changes; on other databases this migration does nothing."""

from django.db import migrations

INDEXES = ("threads_post_search_idx", "threads_post_search_title_idx")


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = off)")
        # Entries already pending are merged now (turning the list off does not).
        schema_editor.execute(
            f"SELECT gin_clean_pending_list(to_regclass('{index}')) "
            f"WHERE to_regclass('{index}') IS NOT NULL"
        )


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("threads", "0017_post_thread_index")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
