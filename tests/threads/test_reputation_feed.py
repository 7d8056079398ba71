"""The reputation changes feed (the profile's reputation tab: the ledger by UTC day, then by
post, then by cause) and the reputation summary (the change today and the latest change)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory
from tests.pages import text_of
from tests.queries import measure, report
from tests.threads import user_with
from threads import selectors, services
from threads.models import ReputationCause
from threads.reputation import reputation_credit
from threads.reputation_feed import change_label, signed

pytestmark = pytest.mark.django_db

DAY_ONE = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
DAY_TWO = DAY_ONE + timedelta(days=1)
# tests/threads/test_query_counts.py: a profile tab, session lookups aside
PROFILE_PAGE_MAX = 8
MINUS = "\u2212"


def amount(key: str) -> int:
    return qasite_setting("REPUTATION")[key]


def upvoters(count: int) -> list:
    return [user_with(Privilege.UPVOTE) for _ in range(count)]


def feed(user) -> list:
    return selectors.reputation_feed(user=user, days=selectors.reputation_days(user=user))


def lines(group) -> list[tuple[str, int, int]]:
    return [(line.label, line.amount, line.count) for line in group.lines]


def tab(client, user, **params):
    response = client.get(f"/users/{user.pk}/reputation/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def history():
    """Ada's question is upvoted three times on day one; on day two her answer is upvoted,
    downvoted and accepted, and the question upvoted once more."""
    ada = user_with(Privilege.ASK)
    question = QuestionFactory(author=ada, title="How do I enumerate Bernoulli numbers")
    other = QuestionFactory(title="What is the analytical engine instruction set")
    answer = AnswerFactory(author=ada, question=other)
    with time_machine.travel(DAY_ONE, tick=False):
        for voter in upvoters(3):
            services.vote_cast(user=voter, post=question, value=1)
    with time_machine.travel(DAY_TWO, tick=False):
        services.vote_cast(user=user_with(Privilege.UPVOTE), post=answer, value=1)
        services.vote_cast(user=user_with(Privilege.DOWNVOTE), post=answer, value=-1)
        services.answer_accept(user=other.author, answer=answer)
    with time_machine.travel(DAY_TWO + timedelta(hours=1), tick=False):
        services.vote_cast(user=user_with(Privilege.UPVOTE), post=question, value=1)
    return ada, question, answer


def test_it_groups_changes_by_day_then_by_post_then_by_cause(history):
    ada, question, answer = history
    upvote, downvote = amount("QUESTION_UPVOTED"), amount("POST_DOWNVOTED")
    accepted, answer_upvote = amount("ANSWER_ACCEPTED"), amount("ANSWER_UPVOTED")
    day_two, day_one = feed(ada)

    assert (day_one.day, day_two.day) == (DAY_ONE.date(), DAY_TWO.date())
    assert [group.post_id for group in day_one.posts] == [question.pk]
    assert lines(day_one.posts[0]) == [("upvote", upvote, 3)]
    assert day_one.total == day_one.posts[0].total == 3 * upvote

    # Latest first: the question's upvote came an hour after the answer's changes.
    assert [group.post_id for group in day_two.posts] == [question.pk, answer.pk]
    on_question, on_answer = day_two.posts
    assert lines(on_question) == [("upvote", upvote, 1)]
    assert lines(on_answer) == [
        ("upvote", answer_upvote, 1),
        ("downvote", downvote, 1),
        ("accepted", accepted, 1),
    ]
    assert on_answer.total == answer_upvote + downvote + accepted
    assert day_two.total == upvote + on_answer.total
    ada.refresh_from_db()
    assert ada.reputation == ada.imported_reputation + 1 + day_one.total + day_two.total


def test_the_tab_shows_days_posts_and_lines_with_their_signs(client, history):
    ada, question, answer = history
    upvote, downvote = amount("QUESTION_UPVOTED"), amount("POST_DOWNVOTED")
    page = tab(client, ada)
    seen = text_of(page)
    day_two_total = 2 * upvote + downvote + amount("ANSWER_ACCEPTED")
    assert f"Dec 6, 2026 {signed(day_two_total)}" in seen
    assert f"Dec 5, 2026 +{3 * upvote}" in seen
    assert f"+{3 * upvote} How do I enumerate Bernoulli numbers +{upvote} upvote ×3" in seen
    assert f"{MINUS}{-downvote} downvote ×1" in seen
    assert f"+{amount('ANSWER_ACCEPTED')} accepted ×1" in seen
    assert seen.index("Dec 6, 2026") < seen.index("Dec 5, 2026")
    assert f'href="{question.get_absolute_url()}"' in page
    assert f'href="/a/{answer.pk}"' in page
    assert '<time datetime="2026-12-05">' in page
    assert "<script" not in page.split('<nav class="tabs"')[1]
    assert "style=" not in page


def test_a_retracted_vote_leaves_the_feed_and_its_totals(history):
    ada, question, _ = history
    before = feed(ada)[1].total
    voter = user_with(Privilege.UPVOTE)
    with time_machine.travel(DAY_ONE + timedelta(hours=2), tick=False):
        services.vote_cast(user=voter, post=question, value=1)
        assert feed(ada)[1].total == before + amount("QUESTION_UPVOTED")
        services.vote_retract(user=voter, post=question)
    day_one = feed(ada)[1]
    assert day_one.total == before
    assert lines(day_one.posts[0]) == [("upvote", amount("QUESTION_UPVOTED"), 3)]


def test_a_changed_vote_shows_as_its_new_cause(history):
    ada, question, _ = history
    voter = user_with(Privilege.DOWNVOTE)
    with time_machine.travel(DAY_ONE + timedelta(hours=2), tick=False):
        services.vote_cast(user=voter, post=question, value=1)
        services.vote_cast(user=voter, post=question, value=-1)
    assert lines(feed(ada)[1].posts[0]) == [
        ("upvote", amount("QUESTION_UPVOTED"), 3),
        ("downvote", amount("POST_DOWNVOTED"), 1),
    ]


def test_a_change_against_its_cause_shows_as_a_reversal():
    ada = user_with(Privilege.UPVOTE)  # above the floor: the -10 applies
    question = QuestionFactory(author=ada)
    reputation_credit(user_id=ada.pk, amount=-10, cause=ReputationCause.UPVOTED, post=question)
    reputation_credit(user_id=ada.pk, amount=100, cause=ReputationCause.SPAM_PENALTY, post=question)
    (day,) = feed(ada)
    assert lines(day.posts[0]) == [
        ("upvote reversed", -10, 1),
        ("deleted as spam or rude reversed", 100, 1),
    ]
    assert change_label(ReputationCause.UPVOTED, 0) == "upvote (daily cap reached)"
    assert [signed(value) for value in (10, -2, 0)] == ["+10", f"{MINUS}2", "0"]


def test_a_vote_over_the_daily_cap_shows_as_a_zero_line(settings):
    settings.QASITE = {
        **settings.QASITE,
        "REPUTATION": {**settings.QASITE["REPUTATION"], "DAILY_VOTE_CAP": 15},
    }
    ada = user_with(Privilege.ASK)
    question = QuestionFactory(author=ada)
    for voter in upvoters(3):
        services.vote_cast(user=voter, post=question, value=1)
    (day,) = feed(ada)
    assert lines(day.posts[0]) == [
        ("upvote", 10, 1),
        ("upvote", 5, 1),
        ("upvote (daily cap reached)", 0, 1),
    ]
    assert day.total == 15


def test_changes_without_a_post_and_on_a_deleted_post_form_their_own_groups(client):
    ada = user_with(Privilege.ASK)
    question = QuestionFactory(author=ada, title="A question deleted later on")
    edited = QuestionFactory(title="A question Ada improved")
    gain = amount("SUGGESTED_EDIT_APPROVED")
    reputation_credit(user_id=ada.pk, amount=gain, cause=ReputationCause.EDIT_APPROVED)
    reputation_credit(user_id=ada.pk, amount=gain, cause=ReputationCause.EDIT_APPROVED, post=edited)
    reputation_credit(
        user_id=ada.pk, amount=gain, cause=ReputationCause.EDIT_APPROVED, post=question
    )
    services.post_delete(actor=ada, post=question)
    (day,) = feed(ada)
    by_post = {group.post_id: group for group in day.posts}
    assert set(by_post) == {None, edited.pk, question.pk}
    assert (by_post[None].title, by_post[None].url) == ("", None)
    assert by_post[question.pk].deleted and by_post[question.pk].url is None
    assert by_post[edited.pk].url == edited.get_absolute_url()
    assert day.total == 3 * gain
    page = tab(client, ada)
    seen = text_of(page)
    assert "Not tied to a post" in seen
    assert "A question deleted later on (deleted)" in seen
    assert f'href="{question.get_absolute_url()}"' not in page


def test_the_tab_is_paginated_by_day(client, settings):
    settings.QASITE = {**settings.QASITE, "REPUTATION_DAYS_PER_PAGE": 2}
    ada = user_with(Privilege.ASK)
    question = QuestionFactory(author=ada)
    for offset in range(3):
        with time_machine.travel(DAY_ONE + timedelta(days=offset), tick=False):
            for voter in upvoters(offset + 1):
                services.vote_cast(user=voter, post=question, value=1)
    first = text_of(tab(client, ada))
    assert "Page 1 of 2" in first
    assert "Dec 7, 2026" in first and "Dec 6, 2026" in first
    assert "Dec 5, 2026" not in first
    second = text_of(tab(client, ada, page="2"))
    assert "Dec 5, 2026" in second and "Dec 6, 2026" not in second
    assert f"upvote ×{1}" in second


def test_the_tab_costs_the_same_queries_whatever_the_number_of_changes(
    django_assert_max_num_queries,
):
    ada = user_with(Privilege.ASK)
    voters = upvoters(4)
    downvoter = user_with(Privilege.DOWNVOTE)

    def grow(days: int, posts: int):
        for offset in range(days):
            with time_machine.travel(DAY_ONE - timedelta(days=offset), tick=False):
                for _ in range(posts):
                    question = QuestionFactory(author=ada)
                    answer = AnswerFactory(author=ada)
                    for voter in voters:
                        services.vote_cast(user=voter, post=question, value=1, rate_limited=False)
                    services.vote_cast(user=downvoter, post=answer, value=-1, rate_limited=False)
                    services.answer_accept(user=answer.parent.author, answer=answer)
        reputation_credit(user_id=ada.pk, amount=2, cause=ReputationCause.EDIT_APPROVED)

    grow(days=1, posts=1)
    url = f"/users/{ada.pk}/reputation/"
    small_count, small_sql = measure(Client(), url, cold=True)
    grow(days=qasite_setting("REPUTATION_DAYS_PER_PAGE") + 3, posts=2)
    with django_assert_max_num_queries(PROFILE_PAGE_MAX):
        large_count, large_sql = measure(Client(), url, cold=True)
    assert small_count == large_count, report(small_sql, large_sql)
    assert "Page 1 of 2" in text_of(Client().get(url).content.decode())


def test_the_summary_of_a_user_without_changes():
    summary = selectors.reputation_summary(user=user_with(Privilege.ASK))
    assert (summary.today, summary.latest, summary.signed_today) == (0, None, "0")


def test_the_summary_gives_today_and_the_latest_change_in_one_query(
    history, django_assert_num_queries
):
    ada, question, answer = history
    with (
        time_machine.travel(DAY_TWO + timedelta(hours=3), tick=False),
        django_assert_num_queries(1),
    ):
        summary = selectors.reputation_summary(user=ada)
    day_two = 2 * amount("QUESTION_UPVOTED") + amount("POST_DOWNVOTED") + amount("ANSWER_ACCEPTED")
    assert summary.today == day_two
    assert summary.signed_today == signed(day_two)
    latest = summary.latest
    assert (latest.amount, latest.label, latest.signed_amount) == (
        amount("QUESTION_UPVOTED"),
        "upvote",
        f"+{amount('QUESTION_UPVOTED')}",
    )
    assert (latest.title, latest.url) == (question.title, question.get_absolute_url())
    assert latest.created_at == DAY_TWO + timedelta(hours=1)

    # The next day nothing has changed yet; the latest change is still yesterday's.
    with time_machine.travel(DAY_TWO + timedelta(days=1), tick=False):
        later = selectors.reputation_summary(user=ada)
    assert (later.today, later.latest) == (0, latest)


def test_the_summary_links_an_answer_by_its_short_url(history):
    ada, _, answer = history
    with time_machine.travel(DAY_TWO + timedelta(hours=2), tick=False):
        services.vote_cast(user=user_with(Privilege.UPVOTE), post=answer, value=1)
        summary = selectors.reputation_summary(user=ada)
    assert summary.latest.url == f"/a/{answer.pk}"
    assert summary.latest.title == answer.parent.title
