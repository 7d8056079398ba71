"""Imported threads on the site's pages: the question page (at most 8 queries, anonymous),
its close notice, its timeline and revisions."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.dumps import post, run_import

pytestmark = pytest.mark.django_db

QUESTION_PAGE_MAX = 8


def page(client, url: str, django_assert_max_num_queries=None) -> str:
    cache.clear()
    if django_assert_max_num_queries is None:
        response = client.get(url)
    else:
        with django_assert_max_num_queries(QUESTION_PAGE_MAX):
            response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_it_renders_an_imported_question_in_at_most_eight_queries(
    mini, django_assert_max_num_queries
):
    run_import(mini)
    question = post("mini", 10)

    html = page(Client(), question.get_absolute_url(), django_assert_max_num_queries)

    assert question.title in html
    assert "<em>subjonctif</em>" in html
    assert "Ghost Writer" in html  # the deleted owner's name
    assert "Use it after <code>que</code>." in html
    assert "Anon Commenter" in html


def test_it_shows_an_imported_duplicate_closure_with_its_target_and_voter(
    mini, django_assert_max_num_queries
):
    run_import(mini)

    html = page(Client(), post("mini", 30).get_absolute_url(), django_assert_max_num_queries)

    assert "This question already has an answer here:" in html
    assert "How do I use the subjunctive in French?" in html
    assert "Dave" in html
    assert "[duplicate]" in html


def test_it_shows_the_timeline_and_revisions_of_an_imported_question(mini):
    run_import(mini)
    question = post("mini", 40)

    timeline = page(Client(), f"/questions/{question.pk}/timeline/")
    revisions = page(Client(), f"/posts/{post('mini', 10).pk}/revisions/")

    assert "timeline-closed" in timeline and "timeline-reopened" in timeline
    assert "Rollback to [g-10-1]" in revisions


def test_it_shows_a_closure_whose_voter_was_deleted_on_the_source_site(mini):
    run_import(mini)

    html = page(Client(), post("mini", 20).get_absolute_url())

    assert "Former Voter" in html
    assert "Carol" in html
