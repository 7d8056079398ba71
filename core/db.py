"""Plain SQL for the reads every page makes, planned once per database connection.

On PostgreSQL, planning a short query can cost more than running it: the question page's
viewer state (a union of six lookups) was planned in 0.9 ms and ran in 0.4 ms. Django binds
parameters on the client, so every query is new to the server and planned again. The
cursor below binds them on the server, as a prepared statement the pooled connection keeps
(psycopg prepares it on its first run: ``prepare_threshold`` 0 in the settings; Django's
own cursors bind on the client and never prepare). Only fixed-shape queries belong here:
PostgreSQL may reuse a generic plan for every parameter, which suits a lookup by key, not
a search whose best plan depends on what is searched (docs/architecture.md, "Prepared
statements"). Other databases get Django's cursor.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import NamedTuple

from django.db import connection


@contextmanager
def prepared_cursor() -> Iterator:
    """Django's cursor (its checks and execute wrappers), executing on a server-binding
    cursor on PostgreSQL. Not while queries are logged (DEBUG, tests counting them): the log
    shows each query with its values, which only Django's client-side binding gives."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.queries_logged:
            from django.db.backends.postgresql.base import ServerBindingCursor

            cursor.cursor = ServerBindingCursor(connection.connection)
        yield cursor


def fetch_model(model, sql_after_from: str, params: list):
    """The one ``model`` row that ``SELECT <its columns> FROM <its table> <sql_after_from>``
    finds, or None; its columns are named, so a column added by a later release does not
    change a prepared statement's result."""
    reader = _row_reader(model, connection.vendor)
    with prepared_cursor() as cursor:
        cursor.execute(f"{reader.select} {sql_after_from}", params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, convert, column in reader.converters:
        values[index] = convert(values[index], column, connection)
    return model.from_db(connection.alias, reader.attnames, values)


class _RowReader(NamedTuple):
    select: str
    attnames: list[str]
    # (column index, converter, column): what the database returns, as the ORM reads it
    # (SQLite's text dates, …).
    converters: list[tuple]


@cache
def _row_reader(model, vendor: str) -> _RowReader:
    fields = model._meta.concrete_fields
    columns = [field.get_col(model._meta.db_table) for field in fields]
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    return _RowReader(
        select=f"SELECT {names} FROM {model._meta.db_table}",
        attnames=[field.attname for field in fields],
        converters=[
            (index, convert, column)
            for index, column in enumerate(columns)
            for convert in connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        ],
    )
