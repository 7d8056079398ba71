"""Imported posts are found by search: on PostgreSQL the import leaves its posts pending
(``threads.search.schema.deferred_indexing``) and indexes them once at the end, with their
final text and tags; posts changed after the import are indexed as they change."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.dumps import post, run_import
from tests.pages import text_of
from threads.models import Post

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
    if connection.vendor == "postgresql":
        assert not Post.objects.extra(where=["search_vector IS NULL"]).exists()


def test_a_post_edited_after_the_import_is_indexed_with_its_new_text(mini):
    run_import(mini)
    question = post("mini", 20)
    question.body = "Which word is the most beautiful: *chuchoter*?"
    question.save(update_fields=["body"])

    assert "What is the best French word of all time?" in search("chuchoter")
