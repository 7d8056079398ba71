"""Full-text search (docs/architecture.md, Decisions: "Search indexes are kept by the database"):
one interface — ``parse`` a query string into a ``SearchQuery``, then ``search(query, sort=…,
page=…)`` — over one backend per database (``backends.py``), with indexes the database maintains
itself (``schema.py``)."""

from threads.search.engine import (
    RELATED_LIMIT,
    RESULTS_PER_PAGE,
    SIMILAR_LIMIT,
    SORTS,
    Section,
    posts_by_section,
    related_questions,
    search,
    similar_questions,
)
from threads.search.query import MAX_QUERY_LENGTH, SearchQuery, describe, parse

__all__ = [
    "MAX_QUERY_LENGTH",
    "RELATED_LIMIT",
    "RESULTS_PER_PAGE",
    "SIMILAR_LIMIT",
    "SORTS",
    "SearchQuery",
    "Section",
    "describe",
    "parse",
    "posts_by_section",
    "related_questions",
    "search",
    "similar_questions",
]
