"""Counting a request's queries in tests: pages cost a constant number of queries whatever
their size."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(
    client, url: str, params: dict | None = None, *, cold: bool = False
) -> tuple[int, list[str]]:
    """The queries of a GET that answers 200: how many, and their SQL. ``cold`` empties the
    cache first (the page cache and cached counts); otherwise what earlier requests cached
    (the session…) is used."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured), [query["sql"] for query in captured.captured_queries]


def report(small: list[str], large: list[str]) -> str:
    """The SQL of a small and a large page, for the message of a failed comparison."""
    return "\nsmall:\n  " + "\n  ".join(small) + "\nlarge:\n  " + "\n  ".join(large)


def assert_constant_queries(client, url: str, add_rows) -> None:
    """``url`` takes as many queries after ``add_rows`` ran three more times as after once."""
    add_rows()
    few, _ = measure(client, url)
    for _ in range(3):
        add_rows()
    count, _ = measure(client, url)
    assert count == few
