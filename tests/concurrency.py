"""Running test actions in real parallel threads (PostgreSQL tests; docs/architecture.md,
Decisions: "Counted under a row lock")."""

import threading

import pytest
from django.db import connection, connections

#: Marks a module whose tests need PostgreSQL's row locks and concurrent connections:
#: they run in the PostgreSQL pass of .ci/run (SQLite serialises writers anyway).
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (the .ci/run second pass)"
)


def run_in_parallel(count: int, action) -> list[BaseException]:
    """Start ``count`` threads at one barrier; each runs ``action(index)`` and closes its
    connection at its end. Each thread connects before the barrier, so none gets a head
    start while the others connect. Returns the exceptions raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            action(index)
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
