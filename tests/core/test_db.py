"""core.db: the hottest reads as statements PostgreSQL prepares once per connection, with
the same results as the ORM on every database."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.db import fetch_model, prepared_cursor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (the .ci/run second pass)"
)


USERS = get_user_model()._meta.db_table


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_fetch_model_reads_a_row_as_the_orm_does():
    ada = UserFactory(reputation=1234)
    model = get_user_model()
    found = fetch_model(model, "WHERE id = %s", [ada.pk])
    expected = model.objects.get(pk=ada.pk)
    assert found == expected
    for field in model._meta.concrete_fields:  # dates as datetimes on SQLite too
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert not found._state.adding
    assert fetch_model(model, "WHERE id = %s", [ada.pk + 1000]) is None


@on_postgresql
def test_a_statement_is_prepared_once_per_connection_and_reused():
    ada, bob = UserFactory(), UserFactory()
    sql = f"SELECT username FROM {USERS} WHERE id = %s"
    names = []
    for user in (ada, bob, ada):
        with prepared_cursor() as cursor:
            cursor.execute(sql, [user.pk])
            names.append(cursor.fetchone()[0])
    assert names == [ada.username, bob.username, ada.username]
    assert prepared_statements().count(f"SELECT username FROM {USERS} WHERE id = $1") == 1


@on_postgresql
def test_logged_queries_keep_their_values_and_are_not_prepared():
    ada = UserFactory()
    with CaptureQueriesContext(connection) as captured, prepared_cursor() as cursor:
        cursor.execute(f"SELECT username FROM {USERS} WHERE id = %s", [ada.pk])
    assert captured.captured_queries[0]["sql"].endswith(f"WHERE id = {ada.pk}")
    assert not any(USERS in statement for statement in prepared_statements())
