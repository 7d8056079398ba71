"""The search indexes, kept in step by the database itself (docs/architecture.md, Decisions:
"Search indexes are kept by the database"): triggers on ``threads_post`` (title, body),
``threads_taggedpost`` (a question's tags) and ``threads_tag`` (a renamed tag), so ``bulk_create``,
the importer, the admin and raw updates are all covered without Django signals.

Tags: the index holds a question's tag names as a third text column (SQLite) or
weight-C lexemes (PostgreSQL), refreshed by triggers on the tagging table — no model field.
Answers index their own title (empty) and body; a ``[tag]`` filter reaches answers through
their question (a join at query time, see ``engine.py``).

``install`` is idempotent and rebuilds the index from the posts; migration 0005 calls it.
On SQLite, a later migration that *remakes* ``threads_post`` (Django's way of adding most
fields there) drops its triggers: ``reinstall_if_dropped`` runs after every ``migrate``
(``ThreadsConfig.ready``) and puts them back, rebuilding the index.

A bulk load (the importer) runs its transactions in ``deferred_indexing``: the posts it
inserts are left pending, on PostgreSQL by the triggers (vectors NULL, migration 0015), on
SQLite by dropping the insert trigger for the transaction (no FTS row), and
``index_pending`` indexes them all in one statement once their text is final.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

_TAGS_OF = (
    "(SELECT coalesce(group_concat(t.name, ' '), '') FROM threads_taggedpost tp "
    "JOIN threads_tag t ON t.id = tp.tag_id WHERE tp.content_object_id = {post})"
)

SQLITE_TRIGGERS = {
    "threads_post_fts_insert": f"""
        CREATE TRIGGER threads_post_fts_insert AFTER INSERT ON threads_post BEGIN
            DELETE FROM threads_post_fts WHERE rowid = new.id;
            INSERT INTO threads_post_fts(rowid, title, body, tags)
            VALUES (new.id, new.title, new.body, {_TAGS_OF.format(post="new.id")});
        END""",
    "threads_post_fts_update": f"""
        CREATE TRIGGER threads_post_fts_update AFTER UPDATE OF title, body ON threads_post
        BEGIN
            DELETE FROM threads_post_fts WHERE rowid = old.id;
            INSERT INTO threads_post_fts(rowid, title, body, tags)
            VALUES (new.id, new.title, new.body, {_TAGS_OF.format(post="new.id")});
        END""",
    "threads_post_fts_delete": """
        CREATE TRIGGER threads_post_fts_delete AFTER DELETE ON threads_post BEGIN
            DELETE FROM threads_post_fts WHERE rowid = old.id;
        END""",
    "threads_taggedpost_fts_insert": f"""
        CREATE TRIGGER threads_taggedpost_fts_insert AFTER INSERT ON threads_taggedpost
        BEGIN
            UPDATE threads_post_fts SET tags = {_TAGS_OF.format(post="new.content_object_id")}
            WHERE rowid = new.content_object_id;
        END""",
    "threads_taggedpost_fts_update": f"""
        CREATE TRIGGER threads_taggedpost_fts_update AFTER UPDATE ON threads_taggedpost
        BEGIN
            UPDATE threads_post_fts SET tags = {_TAGS_OF.format(post="old.content_object_id")}
            WHERE rowid = old.content_object_id;
            UPDATE threads_post_fts SET tags = {_TAGS_OF.format(post="new.content_object_id")}
            WHERE rowid = new.content_object_id;
        END""",
    "threads_taggedpost_fts_delete": f"""
        CREATE TRIGGER threads_taggedpost_fts_delete AFTER DELETE ON threads_taggedpost
        BEGIN
            UPDATE threads_post_fts SET tags = {_TAGS_OF.format(post="old.content_object_id")}
            WHERE rowid = old.content_object_id;
        END""",
    "threads_tag_fts_rename": f"""
        CREATE TRIGGER threads_tag_fts_rename AFTER UPDATE OF name ON threads_tag
        WHEN old.name IS NOT new.name BEGIN
            UPDATE threads_post_fts SET tags = {_TAGS_OF.format(post="threads_post_fts.rowid")}
            WHERE rowid IN (
                SELECT content_object_id FROM threads_taggedpost WHERE tag_id = new.id
            );
        END""",
}

#: The trigger ``deferred_indexing`` leaves out on SQLite, and what indexes the posts it
#: left without an FTS row.
_SQLITE_INSERT_TRIGGER = "threads_post_fts_insert"
_SQLITE_INDEX_PENDING = (
    "INSERT INTO threads_post_fts(rowid, title, body, tags) SELECT p.id, p.title, p.body, "
    + _TAGS_OF.format(post="p.id")
    + " FROM threads_post p WHERE NOT EXISTS "
    "(SELECT 1 FROM threads_post_fts f WHERE f.rowid = p.id)"
)

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS threads_post_fts USING fts5("
    "title, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')",
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    *SQLITE_TRIGGERS.values(),
    # (Re)build from the posts: the triggers keep it in step from here on.
    "DELETE FROM threads_post_fts",
    "INSERT INTO threads_post_fts(rowid, title, body, tags) SELECT p.id, p.title, p.body, "
    + _TAGS_OF.format(post="p.id")
    + " FROM threads_post p",
]

SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS threads_post_fts",
]

#: The setting that makes the triggers leave posts pending during a bulk load
#: (``deferred_indexing``): transaction-local, off unless set.
BULK_LOAD_SETTING = "qasite.bulk_load"

# The row trigger's function: a post's vectors from its title, body and tags, or NULL
# (pending) during a bulk load.
PG_POST_ROW_FUNCTION = """
    CREATE OR REPLACE FUNCTION threads_post_search_row() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        tags text;
    BEGIN
        IF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title
                OR NEW.body IS DISTINCT FROM OLD.body THEN
            IF current_setting('qasite.bulk_load', true) = 'on' THEN
                NEW.search_vector := NULL;  -- pending: index_pending() fills it
                NEW.search_title_vector := NULL;
            ELSE
                tags := threads_post_tags_text(NEW.id);
                NEW.search_vector := threads_post_search_vector(NEW.title, NEW.body, tags);
                NEW.search_title_vector := threads_post_search_title_vector(NEW.title, tags);
            END IF;
        END IF;
        RETURN NEW;
    END $$"""

# The tagging statement triggers' function: the tagged posts' vectors refreshed, or marked
# pending during a bulk load.
PG_TAGGEDPOST_REFRESH_FUNCTION = """
    CREATE OR REPLACE FUNCTION threads_taggedpost_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('qasite.bulk_load', true) = 'on' THEN
            -- Mark the posts pending (a new post already is): index_pending() fills them.
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                UPDATE threads_post SET search_vector = NULL, search_title_vector = NULL
                WHERE id IN (SELECT content_object_id FROM new_rows)
                AND search_vector IS NOT NULL;
            END IF;
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE threads_post SET search_vector = NULL, search_title_vector = NULL
                WHERE id IN (SELECT content_object_id FROM old_rows)
                AND search_vector IS NOT NULL;
            END IF;
            RETURN NULL;
        END IF;
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
    END $$"""

#: PostgreSQL: the row trigger that indexes a post as it is written, and what it computes
#: (a post's tags as text; its two vectors, by column), for a set-based writer that sets the
#: vectors itself with the trigger disabled (the importer's final update). The functions
#: are PARALLEL SAFE (migration 0020), so such a writer's query may use parallel workers.
PG_ROW_TRIGGER = "threads_post_search"
PG_TAGS_TEXT = "threads_post_tags_text({post})"
PG_VECTORS = {
    "search_vector": "threads_post_search_vector({title}, {body}, {tags})",
    "search_title_vector": "threads_post_search_title_vector({title}, {tags})",
}

# PostgreSQL: two vectors — ``search_vector`` (title A, body B, tags C) for searches and
# ``search_title_vector`` (title A, tags C) for similar/related questions — recomputed by a
# BEFORE trigger when title or body change (the comparison lives in the function, not in an
# UPDATE OF list, so later ALTER COLUMNs stay possible), and by statement triggers
# (transition tables: one UPDATE per statement, so bulk tagging stays cheap) when a post's
# tags or a tag's name change.
PG_INSTALL = [
    "ALTER TABLE threads_post ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "ALTER TABLE threads_post ADD COLUMN IF NOT EXISTS search_title_vector tsvector",
    """
    CREATE OR REPLACE FUNCTION threads_post_tags_text(post_id bigint) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT coalesce(string_agg(t.name, ' '), '') FROM threads_taggedpost tp
        JOIN threads_tag t ON t.id = tp.tag_id WHERE tp.content_object_id = post_id
    $$""",
    """
    CREATE OR REPLACE FUNCTION threads_post_search_vector(title text, body text, tags text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce(tags, '')), 'C')
    $$""",
    """
    CREATE OR REPLACE FUNCTION threads_post_search_title_vector(title text, tags text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(tags, '')), 'C')
    $$""",
    PG_POST_ROW_FUNCTION,
    """
    CREATE OR REPLACE FUNCTION threads_post_search_refresh(post_ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        UPDATE threads_post p
        SET search_vector = threads_post_search_vector(p.title, p.body, t.tags),
            search_title_vector = threads_post_search_title_vector(p.title, t.tags)
        FROM (SELECT id, threads_post_tags_text(id) AS tags FROM unnest(post_ids) AS id) t
        WHERE p.id = t.id
    $$""",
    PG_TAGGEDPOST_REFRESH_FUNCTION,
    """
    CREATE OR REPLACE FUNCTION threads_tag_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM threads_post_search_refresh(ARRAY(
            SELECT DISTINCT tp.content_object_id FROM threads_taggedpost tp
            JOIN new_rows n ON n.id = tp.tag_id
            JOIN old_rows o ON o.id = n.id
            WHERE o.name IS DISTINCT FROM n.name
        ));
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS threads_post_search ON threads_post",
    "CREATE TRIGGER threads_post_search BEFORE INSERT OR UPDATE ON threads_post "
    "FOR EACH ROW EXECUTE FUNCTION threads_post_search_row()",
    "DROP TRIGGER IF EXISTS threads_taggedpost_search_insert ON threads_taggedpost",
    "CREATE TRIGGER threads_taggedpost_search_insert AFTER INSERT ON threads_taggedpost "
    "REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION threads_taggedpost_search_refresh()",
    "DROP TRIGGER IF EXISTS threads_taggedpost_search_update ON threads_taggedpost",
    "CREATE TRIGGER threads_taggedpost_search_update AFTER UPDATE ON threads_taggedpost "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION threads_taggedpost_search_refresh()",
    "DROP TRIGGER IF EXISTS threads_taggedpost_search_delete ON threads_taggedpost",
    "CREATE TRIGGER threads_taggedpost_search_delete AFTER DELETE ON threads_taggedpost "
    "REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION threads_taggedpost_search_refresh()",
    "DROP TRIGGER IF EXISTS threads_tag_search_rename ON threads_tag",
    "CREATE TRIGGER threads_tag_search_rename AFTER UPDATE ON threads_tag "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION threads_tag_search_refresh()",
    # (Re)build from the posts: the triggers keep both vectors in step from here on.
    "SELECT threads_post_search_refresh(ARRAY(SELECT id FROM threads_post))",
    # Without GIN's fast-update list (migration 0018): every search read that whole list.
    "CREATE INDEX IF NOT EXISTS threads_post_search_idx ON threads_post "
    "USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS threads_post_search_title_idx ON threads_post "
    "USING gin (search_title_vector) WITH (fastupdate = off)",
]

PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS threads_tag_search_rename ON threads_tag",
    "DROP TRIGGER IF EXISTS threads_taggedpost_search_delete ON threads_taggedpost",
    "DROP TRIGGER IF EXISTS threads_taggedpost_search_update ON threads_taggedpost",
    "DROP TRIGGER IF EXISTS threads_taggedpost_search_insert ON threads_taggedpost",
    "DROP TRIGGER IF EXISTS threads_post_search ON threads_post",
    "DROP FUNCTION IF EXISTS threads_tag_search_refresh()",
    "DROP FUNCTION IF EXISTS threads_taggedpost_search_refresh()",
    "DROP FUNCTION IF EXISTS threads_post_search_row()",
    "DROP FUNCTION IF EXISTS threads_post_search_refresh(bigint[])",
    "DROP FUNCTION IF EXISTS threads_post_search_title_vector(text, text)",
    "DROP FUNCTION IF EXISTS threads_post_search_vector(text, text, text)",
    "DROP FUNCTION IF EXISTS threads_post_tags_text(bigint)",
    "DROP INDEX IF EXISTS threads_post_search_title_idx",
    "DROP INDEX IF EXISTS threads_post_search_idx",
    "ALTER TABLE threads_post DROP COLUMN IF EXISTS search_title_vector",
    "ALTER TABLE threads_post DROP COLUMN IF EXISTS search_vector",
]

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
    "postgresql": (PG_INSTALL, PG_UNINSTALL),
}

#: What ``installed`` looks for: the triggers a table remake would drop.
EXPECTED_TRIGGERS = {
    "sqlite": set(SQLITE_TRIGGERS),
    "postgresql": {
        "threads_post_search",
        "threads_taggedpost_search_insert",
        "threads_taggedpost_search_update",
        "threads_taggedpost_search_delete",
        "threads_tag_search_rename",
    },
}


def install(schema_editor) -> None:
    """Create (or re-create) the index and its triggers, then fill it from the posts.
    A no-op on databases without a search backend."""
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[0]:
        schema_editor.execute(statement, params=None)


def uninstall(schema_editor) -> None:
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[1]:
        schema_editor.execute(statement, params=None)


def missing_triggers(connection) -> set[str]:
    """Index triggers absent from the database (empty when all is well)."""
    expected = EXPECTED_TRIGGERS.get(connection.vendor, set())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            return set()
        present = {row[0] for row in cursor.fetchall()}
    return expected - present


MIGRATION = ("threads", "0005_search_index")


def reinstall_if_dropped(sender=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> bool:
    """After ``migrate`` (and ``flush``): if the index's migration is applied but triggers
    are gone — on SQLite, every later migration that remakes ``threads_post`` or the tagging
    tables drops them — install again, rebuilding the index. True when it did."""
    connection = connections[using]
    if connection.vendor not in STATEMENTS or not missing_triggers(connection):
        return False
    if MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return False  # migrated back before the index: nothing to restore
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in STATEMENTS[connection.vendor][0]:
            cursor.execute(statement)
    return True


@contextmanager
def deferred_indexing(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction (``atomic``) for a bulk load: on PostgreSQL the posts it inserts,
    re-texts or re-tags are left pending (vectors NULL) rather than indexed row by row; on
    SQLite the posts it inserts are (no FTS row: the insert trigger is dropped for the
    transaction and made again before it commits, so no other connection sees it missing;
    SQLite's one writer holds the lock meanwhile). ``index_pending`` then indexes them in
    one statement. Elsewhere a plain ``atomic``."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TRIGGER IF EXISTS {_SQLITE_INSERT_TRIGGER}")
            yield
            with connection.cursor() as cursor:
                cursor.execute(SQLITE_TRIGGERS[_SQLITE_INSERT_TRIGGER])
            return
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [BULK_LOAD_SETTING])
        yield
        # Off again for the rest of an enclosing transaction (a rollback undoes it anyway).
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [BULK_LOAD_SETTING])


def index_pending(using: str = DEFAULT_DB_ALIAS) -> None:
    """Index the posts left pending by ``deferred_indexing``, set-based."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(_SQLITE_INDEX_PENDING)
        return
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT threads_post_search_refresh("
            "ARRAY(SELECT id FROM threads_post WHERE search_vector IS NULL))"
        )
