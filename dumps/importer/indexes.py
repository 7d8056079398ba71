"""PostgreSQL: an ``UPDATE`` that rewrites most of a table's rows, run with the table's
secondary indexes dropped and built again after it, in the same transaction
(docs/architecture.md, "The importer writes in bulk"). Each rewritten row otherwise adds
an entry to every index (the post table has about twenty); building an index from the
finished table is a sort. DDL is transactional: if the transaction does not commit, the
indexes are as they were. The table stays locked until it commits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model

# The secondary indexes: neither unique nor backing a constraint; with their definitions
# and the column they start with.
_SECONDARY_INDEXES = """
    SELECT index.relname, pg_get_indexdef(x.indexrelid), first.attname
    FROM pg_index x
    JOIN pg_class index ON index.oid = x.indexrelid
    LEFT JOIN pg_attribute first ON first.attrelid = x.indrelid AND first.attnum = x.indkey[0]
    WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    ORDER BY index.relname
"""


@contextmanager
def indexes_built_after(model: type[Model], *, keep: Sequence[str] = ()) -> Iterator[None]:
    """Inside a transaction: ``model``'s secondary indexes dropped for the block and
    built again after it, except those starting with a column in ``keep`` (ones the
    block's own statements look rows up by). Elsewhere than PostgreSQL, nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(_SECONDARY_INDEXES, [model._meta.db_table])
        dropped = [
            (name, definition) for name, definition, first in cursor.fetchall() if first not in keep
        ]
        for name, _ in dropped:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with checks_done(), connection.cursor() as cursor:
        for _, definition in dropped:
            cursor.execute(definition)


@contextmanager
def checks_done() -> Iterator[None]:
    """PostgreSQL, inside a transaction: its deferred foreign key checks run first, for
    DDL on a table with checks pending (an index built, a trigger disabled), which
    PostgreSQL refuses; statements after the block are deferred again, as Django's foreign
    keys are."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
