"""Imported posts are found by search: the import leaves its posts pending
(``threads.search.schema.deferred_indexing``: vectors NULL on PostgreSQL, no FTS row on
SQLite) and indexes them once at the end, with their final text and tags; posts changed
after the import are indexed as they change."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.dumps import post, run_import
from tests.pages import text_of
from threads.search.schema import missing_triggers

pytestmark = pytest.mark.django_db


def search(words: str) -> str:
    cache.clear()
    response = Client().get(f"/search/?q={quote(words)}")
    assert response.status_code == 200
    return text_of(response.content.decode())


def test_imported_questions_and_answers_are_found_by_their_words_and_tags(mini):
    run_import(mini)

    assert "How do I use the subjunctive in French?" in search("subjonctif")
    assert "How do I use the subjunctive in French?" in search("[grammar] subjunctive")
    assert "What is the best French word of all time?" in search("best word")
    assert "Nobody knows" in search("nobody")
    assert not missing_triggers(connection)  # SQLite's insert trigger made again
    pending = rows(
        postgresql="SELECT count(*) FROM threads_post WHERE search_vector IS NULL",
        sqlite="SELECT count(*) FROM threads_post p WHERE NOT EXISTS "
        "(SELECT 1 FROM threads_post_fts f WHERE f.rowid = p.id)",
    )
    assert pending == [(0,)]  # nothing left pending


def test_the_import_indexes_each_post_as_its_triggers_would_and_leaves_them_on(mini):
    """On PostgreSQL the final update of a bulk import computes the vectors itself, with
    the row trigger disabled until it commits."""
    run_import(mini)

    differing = rows(
        postgresql="SELECT count(*) FROM threads_post WHERE search_vector IS DISTINCT FROM "
        "threads_post_search_vector(title, body, threads_post_tags_text(id)) "
        "OR search_title_vector IS DISTINCT FROM "
        "threads_post_search_title_vector(title, threads_post_tags_text(id))",
        sqlite="SELECT count(*) FROM threads_post p JOIN threads_post_fts f ON f.rowid = p.id "
        "WHERE f.body IS NOT p.body OR f.title IS NOT p.title",
    )
    assert differing == [(0,)]
    disabled = rows(
        postgresql="SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'",
        sqlite="SELECT 1 WHERE 0",
    )
    assert disabled == []


def test_a_post_edited_after_the_import_is_indexed_with_its_new_text(mini):
    run_import(mini)
    question = post("mini", 20)
    question.body = "Which word is the most beautiful: *chuchoter*?"
    question.save(update_fields=["body"])

    assert "What is the best French word of all time?" in search("chuchoter")


def post_table_indexes() -> set[str]:
    """The post table's index definitions (PostgreSQL), or its index names (SQLite)."""
    found = rows(
        postgresql="SELECT indexdef FROM pg_indexes WHERE tablename = 'threads_post'",
        sqlite="SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'threads_post'",
    )
    return {row[0] for row in found}


def rows(*, postgresql: str, sqlite: str) -> list[tuple]:
    """The rows of the query written for this database."""
    with connection.cursor() as cursor:
        cursor.execute(postgresql if connection.vendor == "postgresql" else sqlite)
        return cursor.fetchall()


def test_the_post_table_has_the_same_indexes_after_an_import(mini):
    """On PostgreSQL the final update of an import that is most of the site's posts runs
    with the post table's secondary indexes dropped, then builds them again."""
    before = post_table_indexes()

    run_import(mini)

    assert post_table_indexes() == before
    assert "Nobody knows" in search("nobody")
