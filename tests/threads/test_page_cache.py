"""The anonymous page cache: hits, invalidation by any change, ETag/304, fresh pages for
logged-in users, pages that follow the clock; on the per-process cache and on Redis."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import F
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.privileges import Privilege
from core.templatetags.core_tags import se_datetime
from moderation import services as moderation_services
from moderation.models import CloseReason
from tests.conftest import redis_cache_settings
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads import services
from threads.models import Post, Tag
from threads.ranking import rank_questions

# Every test runs with the per-process cache and with Redis. Changes commit, as they do in
# production: with Redis, what validates the pages is renewed once a change commits
# (threads.page_state).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("cache_backend")]


@pytest.fixture
def question():
    question = QuestionFactory(title="How do I normalise a sparse matrix row-wise?")
    AnswerFactory(question=question, body="Use sklearn.preprocessing.normalize on the CSR matrix.")
    return question


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_it_serves_the_second_anonymous_visit_from_the_cache(client, question):
    first = get(client, question.get_absolute_url())
    second = get(client, question.get_absolute_url())
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Cache-Control"] == "no-cache"


def test_it_costs_at_most_two_queries_on_a_hit(client, question):
    get(client, question.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert get(client, question.get_absolute_url())["X-Cache"] == "hit"
    assert len(queries) <= 2  # the version check (+ the view count of a new visitor)


@pytest.mark.parametrize("change", ["vote", "edit", "comment", "answer", "close"])
def test_it_shows_any_change_to_the_next_anonymous_reader(client, question, change):
    get(client, question.get_absolute_url())
    actor = UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation)
    if change == "vote":
        services.vote_cast(user=actor, post=question, value=1)
        expected = '<output class="score" aria-label="Score" data-score>1</output>'
    elif change == "edit":
        services.post_edit(
            editor=question.author,
            post=question,
            title=question.title,
            body="Edited: the matrix is a scipy CSR matrix of shape (n, m).",
            tags=["python"],
        )
        expected = "Edited: the matrix is a scipy CSR matrix"
    elif change == "comment":
        CommentFactory(post=question, author=actor, body="Which scipy version do you use here?")
        expected = "Which scipy version do you use here?"
    elif change == "answer":
        AnswerFactory(question=question, body="Divide by the row norms computed with np.sqrt.")
        expected = "Divide by the row norms"
    else:
        moderator = UserFactory(is_moderator=True)
        moderation_services.close_vote_cast(
            voter=moderator, question=question, reason=CloseReason.objects.get(name="Opinion-based")
        )
        expected = "[closed]"
    response = get(client, question.get_absolute_url())
    assert response["X-Cache"] == "miss"
    assert expected in response.content.decode()


def test_it_answers_304_to_a_matching_etag_until_the_page_changes(client, question):
    etag = get(client, question.get_absolute_url())["ETag"]
    assert get(client, question.get_absolute_url(), if_none_match=etag).status_code == 304
    services.vote_cast(user=UserFactory(reputation=200), post=question, value=1)
    response = get(client, question.get_absolute_url(), if_none_match=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_it_counts_views_of_cached_pages(question):
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        Client(REMOTE_ADDR=address).get(question.get_absolute_url())
    question.refresh_from_db()
    assert question.view_count == 3


def test_a_hit_carries_every_header_a_rendered_page_does(client, question):
    rendered = get(client, question.get_absolute_url())
    hit = get(client, question.get_absolute_url())
    assert hit["X-Cache"] == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "Vary"):
        assert hit[header] == rendered[header]
    assert "Cookie" in hit["Vary"]
    assert int(hit["Content-Length"]) == len(hit.content)


def test_a_visitor_with_a_session_but_no_login_still_gets_the_cached_page(question):
    visitor = Client()
    visitor.cookies["sessionid"] = "no-such-session"
    assert get(visitor, question.get_absolute_url())["X-Cache"] == "miss"
    assert get(visitor, question.get_absolute_url())["X-Cache"] == "hit"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_https_redirect_comes_before_the_cache(question):
    visitor = Client()
    visitor.get(question.get_absolute_url(), secure=True)
    response = visitor.get(question.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_it_never_caches_pages_for_logged_in_users(client, question):
    voter = UserFactory(reputation=200)
    services.vote_cast(user=voter, post=question, value=1)
    client.force_login(voter)
    response = get(client, question.get_absolute_url())
    assert "X-Cache" not in response
    assert 'class="vote-up on"' in response.content.decode()


def test_it_invalidates_the_lists_on_new_questions_and_votes(client, question):
    assert get(client, "/questions/")["X-Cache"] == "miss"
    assert get(client, "/questions/")["X-Cache"] == "hit"
    newer = QuestionFactory(title="Why does my LSTM forget long sequences?")
    response = get(client, "/questions/")
    assert response["X-Cache"] == "miss"
    assert newer.title in response.content.decode()
    services.vote_cast(user=UserFactory(reputation=200), post=newer, value=1)
    assert get(client, "/questions/")["X-Cache"] == "miss"


def test_the_ranking_job_refreshes_the_cached_hot_list(client, question):
    assert get(client, "/questions/?sort=hot")["X-Cache"] == "miss"
    assert get(client, "/questions/?sort=hot")["X-Cache"] == "hit"
    assert rank_questions() > 0
    response = get(client, "/questions/?sort=hot")
    assert response["X-Cache"] == "miss"
    assert question.title in response.content.decode()


def test_it_keys_the_cache_by_the_full_url(client, question):
    get(client, "/questions/?sort=newest")
    assert get(client, "/questions/?sort=score")["X-Cache"] == "miss"
    assert get(client, "/questions/?sort=newest")["X-Cache"] == "hit"


def test_two_sites_sharing_one_redis_never_serve_each_others_pages(
    client, question, redis_prefixes
):
    url = question.get_absolute_url()
    with override_settings(CACHES=redis_cache_settings(redis_prefixes())):
        assert get(client, url)["X-Cache"] == "miss"
        assert get(client, url)["X-Cache"] == "hit"
    with override_settings(CACHES=redis_cache_settings(redis_prefixes())):
        assert get(client, url)["X-Cache"] == "miss"


def test_cached_pages_show_dates_that_the_browser_turns_into_relative_times(client, question):
    stamp = question.created_at.astimezone(UTC).replace(microsecond=0)
    shown = f'<time datetime="{stamp.isoformat()}" data-relative>{se_datetime(stamp)}</time>'
    with time_machine.travel(question.created_at + timedelta(minutes=3), tick=False) as clock:
        first = get(client, question.get_absolute_url())
        listed = get(client, "/questions/")
        clock.shift(timedelta(minutes=9))  # "3 minutes ago" would now be wrong
        for url, page in ((question.get_absolute_url(), first), ("/questions/", listed)):
            again = get(client, url)
            assert again["X-Cache"] == "hit"
            assert again.content == page.content
            html = page.content.decode()
            assert shown in html
            assert " ago<" not in html
            assert "js/relative-time.js" in html


@pytest.mark.parametrize("locked", ["question", "answer"])
@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_a_timed_lock_leaves_the_cached_page_when_it_ends(client, question, locked, reader):
    post = question if locked == "question" else question.answers.get()
    moderator = UserFactory(is_moderator=True)
    if reader == "member":
        client.force_login(UserFactory(reputation=200))
    url = question.get_absolute_url()
    notice = 'class="notice locked"'
    with time_machine.travel(timezone.now(), tick=False) as clock:
        moderation_services.post_lock(actor=moderator, post=post, kind="historical", duration="1h")
        assert notice in get(client, url).content.decode()
        clock.shift(timedelta(minutes=59))
        assert notice in get(client, url).content.decode()
        clock.shift(timedelta(minutes=2))  # the lock's hour is over; no edit bumped anything
        assert notice not in get(client, url).content.decode()


def test_with_redis_a_hit_asks_the_database_nothing(client, question, cache_backend):
    """With Redis, what validates a page is read from the cache beside it
    (threads.page_state); the per-process cache asks the database every time."""
    expected = 0 if cache_backend == "redis" else 1
    for url in (question.get_absolute_url(), "/questions/", "/search/?q=matrix"):
        get(client, url)
        with CaptureQueriesContext(connection) as queries:
            assert get(client, url)["X-Cache"] == "hit"
        assert len(queries) == expected, url


@pytest.mark.parametrize("change", ["suspension", "tag merge", "new question"])
def test_changes_to_many_pages_reach_both_the_question_page_and_the_lists(client, question, change):
    url = question.get_absolute_url()
    for address in (url, "/questions/"):
        get(client, address)
    if change == "suspension":
        services.author_pages_refresh(user=question.author)
    elif change == "tag merge":
        source = question.tags.first()
        target = Tag.objects.create(name="merged-target", slug="merged-target")
        services.tag_merge(
            actor=UserFactory(is_moderator=True), source_name=source.name, target=target
        )
    else:
        QuestionFactory(title="Why does my LSTM forget long sequences?")
        url = None  # only the lists show it
    if url is not None:
        assert get(client, url)["X-Cache"] == "miss"
    assert get(client, "/questions/")["X-Cache"] == "miss"


def test_a_change_made_behind_the_services_back_shows_within_a_minute(
    client, question, cache_backend
):
    """Only the services renew the states kept in Redis (say, a script's UPDATE did not);
    a state is kept a minute at most, so such a change shows then at the latest."""
    url = question.get_absolute_url()
    shown = '<output class="score" aria-label="Score" data-score>5</output>'
    with time_machine.travel(timezone.now(), tick=False) as clock:
        get(client, url)
        Post.objects.filter(pk=question.pk).update(version=F("version") + 1, score=5)
        assert (shown in get(client, url).content.decode()) is (cache_backend == "locmem")
        clock.shift(timedelta(seconds=61))
        assert shown in get(client, url).content.decode()


def test_a_change_rolled_back_leaves_the_cached_page_in_place(client, question):
    url = question.get_absolute_url()
    get(client, url)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.vote_cast(user=UserFactory(reputation=200), post=question, value=1)
        raise RuntimeError("rolled back")
    assert get(client, url)["X-Cache"] == "hit"
