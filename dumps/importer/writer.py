"""The import's write path: new rows inserted in bulk without the ORM's per-value work
(docs/architecture.md, Decisions: "The importer writes in bulk").

``insert(objects)`` gives the unsaved model instances their primary keys first (allocated
from the table's sequence on PostgreSQL, after the largest id on SQLite, whose import
transaction holds the write lock from its start), then writes them in one statement per
batch: ``COPY … FROM STDIN`` on PostgreSQL, one ``executemany`` of a prepared ``INSERT``
on SQLite. Values are converted once per field kind (times, JSON), not through every
field's ``get_db_prep_save``. No signals are sent, as with ``bulk_create``.

Allocating ids first lets a caller insert rows that refer to the new rows before them
(foreign keys are checked at commit): the importer tags questions before inserting them, so
the search index triggers index each question once, with its tags.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from functools import partial
from operator import itemgetter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model
from django.db.models.fields import Field

from dumps.models import SourceKind, SourceRow

Converter = Callable[[object], object]
#: Ids per ``IN (…)`` list on SQLite (older builds allow 999 variables per statement).
IN_CHUNK = 500
#: Field kinds whose Python values the database drivers take as they are.
AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "FloatField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, never handed out again."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT max("{column}") FROM "{table}"')  # noqa: S608 - model names
        largest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(largest, found[0] if found else 0) + 1
        return list(range(start, start + count))


def _converter(field: Field) -> Converter | None:
    """How a Python value of ``field`` becomes a database value (None: as it is)."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind in AS_IS:
        return None
    if kind == "DateTimeField":
        if connection.vendor == "postgresql":
            return None
        if settings.USE_TZ:
            return partial(_naive_text, zone=connection.timezone)
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return None if connection.vendor == "postgresql" else ops.adapt_datefield_value
    if kind == "JSONField":
        encoder = field.encoder

        def dump(value: object) -> object:
            return None if value is None else json.dumps(value, cls=encoder)

        return dump
    return lambda value: field.get_db_prep_save(value, connection)


class NewRow:
    """A row for ``insert``: a model's field values by attribute name (``post_id``); fields
    not given take their defaults. Far cheaper to make than a model instance, whose
    ``__init__`` was the import's largest cost after rendering."""

    def __init__(self, model: type[Model], **values):
        self.__dict__.update(values)
        self.model = model
        self.pk = None


def _naive_text(value: datetime | None, *, zone: tzinfo) -> str | None:
    """What ``adapt_datetimefield_value`` stores on SQLite for an aware time (naive, in
    the database's zone, as text), without its checks per value."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(zone).replace(tzinfo=None)
    return str(value)


def insert(objects: Sequence[Model | NewRow]) -> None:
    """Insert unsaved rows of one model (``NewRow``s or model instances), giving those
    without a ``pk`` theirs."""
    if not objects:
        return
    new_rows = isinstance(objects[0], NewRow)
    model = objects[0].model if new_rows else type(objects[0])
    meta = model._meta
    unnumbered = [obj for obj in objects if obj.pk is None]
    for obj, pk in zip(unnumbered, allocate_ids(model, len(unnumbered)), strict=True):
        obj.pk = pk
    fields = [field for field in meta.concrete_fields if not field.generated]
    if new_rows:
        _fill_defaults(objects, meta.pk.attname, fields)
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                field.pre_save(obj, add=True)
    # Both kinds keep their values by attribute name in ``__dict__``.
    values_of = itemgetter(*(field.attname for field in fields))
    converters = [
        (index, convert)
        for index, convert in enumerate(_converter(field) for field in fields)
        if convert is not None
    ]
    rows = [values_of(obj.__dict__) for obj in objects]
    if converters:
        for number, raw in enumerate(rows):
            row = list(raw)
            for index, convert in converters:
                row[index] = convert(row[index])
            rows[number] = tuple(row)
    write_rows(meta.db_table, [field.column for field in fields], rows)
    if not new_rows:
        for obj in objects:
            obj._state.adding = False
            obj._state.db = connection.alias


def _fill_defaults(rows: Sequence[NewRow], pk_name: str, fields: list[Field]) -> None:
    """Give ``rows`` their primary key by attribute name and the fields' defaults for the
    values they were not given (a constant default computed once)."""
    defaults = []
    for field in fields:
        if field.has_default() and callable(field.default):
            defaults.append((field.attname, field.get_default, None))
        else:
            defaults.append((field.attname, None, field.get_default()))
    for row in rows:
        values = row.__dict__
        values[pk_name] = row.pk
        for attname, make, constant in defaults:
            if attname not in values:
                values[attname] = make() if make is not None else constant


def write_rows(table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Write database-ready tuples into ``table``: COPY on PostgreSQL, one prepared
    ``INSERT`` run over all rows elsewhere."""
    if not rows:
        return
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608 - model names
                rows,
            )


def update_rows(model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Set ``fields`` (attribute names of fields whose values need no conversion, see
    ``AS_IS``) on existing rows of ``model``: ``rows`` are ``(pk, *values)`` tuples. One
    prepared ``UPDATE`` run over all rows, where ``bulk_update``'s ``CASE`` over a whole
    batch cost seconds per batch on SQLite."""
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    assignments = ", ".join(f'"{column}" = %s' for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f'UPDATE "{meta.db_table}" SET {assignments} WHERE "{meta.pk.column}" = %s',  # noqa: S608
            [(*values, pk) for pk, *values in rows],
        )


_SOURCE_ROWS = SourceRow._meta.db_table


def lookup_source_rows(site: str, kind: str, source_ids: Sequence[str]) -> dict[str, int]:
    """Source id → target id of ``site``'s ``SourceRow``s of ``kind`` among ``source_ids``."""
    select = f"SELECT source_id, target_id FROM {_SOURCE_ROWS} WHERE site = %s AND kind = %s"  # noqa: S608
    return dict(_select_among(select, [site, kind], "source_id", source_ids))


def lookup_users(site: str, source_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Source user id → (local id, display name, else username) of ``site``'s imported users
    among ``source_ids``: the mapping and the names in one query, where the ORM's query of
    the names by ``pk__in`` cost more than the lookup."""
    users = get_user_model()._meta.db_table
    select = (
        "SELECT s.source_id, s.target_id, COALESCE(NULLIF(u.display_name, ''), u.username, '') "  # noqa: S608
        f'FROM {_SOURCE_ROWS} s LEFT JOIN "{users}" u ON u.id = s.target_id '
        "WHERE s.site = %s AND s.kind = %s"
    )
    rows = _select_among(select, [site, SourceKind.USER], "s.source_id", source_ids)
    return {source: (pk, name) for source, pk, name in rows}


def _select_among(select: str, params: list, column: str, values: Sequence[str]) -> list[tuple]:
    """The rows of ``select`` (a query ending in its ``WHERE`` conditions) whose ``column`` is
    among ``values``: one query with an array on PostgreSQL, one per ``IN_CHUNK`` values on
    SQLite. On PostgreSQL dense ids are also given as a range (``_dense_range``)."""
    if not values:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            bounds = _dense_range(values)
            within = f" AND {column} BETWEEN %s AND %s" if bounds else ""
            cursor.execute(
                f"{select} AND {column} = ANY(%s){within}", [*params, list(values), *bounds]
            )
            return cursor.fetchall()
        found = []
        for start in range(0, len(values), IN_CHUNK):
            chunk = values[start : start + IN_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{select} AND {column} IN ({marks})", [*params, *chunk])
            found.extend(cursor.fetchall())
    return found


def _dense_range(values: Sequence[str]) -> tuple[str, ...]:
    """(least, greatest) of ``values`` when they are dense digit ids (a batch's own rows,
    read in Id order), else (). The range bounds the index scan whatever the planner's
    statistics: without any (a table filled since its last ``ANALYZE``; autovacuum may be
    off) it read every mapped row of the kind and filtered them against the array, a cost
    growing with the table (35–60 ms a batch at 150,000 posts, 3 ms bounded). Scattered
    ids are left to the planner: a wide range only slowed their scan. Text bounds hold
    where the database orders digit strings as Python does (not, e.g., ICU's numeric
    ordering), checked once."""
    if not all(value.isascii() and value.isdigit() for value in values):
        return ()
    numbers = [int(value) for value in values]
    if max(numbers) - min(numbers) > 4 * len(values) or not _digits_sort_as_text():
        return ()
    return min(values), max(values)


@functools.cache
def _digits_sort_as_text() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT '10' < '9' AND '0' < '1' AND '123' < '13' AND '099' < '1'")
        return bool(cursor.fetchone()[0])


def remember_source_rows(site: str, kind: str, pairs: Iterable[tuple]) -> None:
    """``SourceRow``s for (source id, target id) pairs, written as tuples."""
    rows = [(site, kind, str(source), target) for source, target in pairs]
    if not rows:
        return
    ids = allocate_ids(SourceRow, len(rows))
    write_rows(
        _SOURCE_ROWS,
        ["id", "site", "kind", "source_id", "target_id"],
        [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
    )
