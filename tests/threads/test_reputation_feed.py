"""The reputation changes feed (the profile's reputation tab: the ledger by UTC day, then by
post, then by cause) and the reputation summary (the change today and the latest change)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory
from tests.threads import user_with
from threads import selectors, services
from threads.models import ReputationCause
from threads.reputation import reputation_credit
from threads.reputation_feed import change_label, signed

pytestmark = pytest.mark.django_db

DAY_ONE = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
DAY_TWO = DAY_ONE + timedelta(days=1)
MINUS = "\u2212"


def amount(key: str) -> int:
    return qasite_setting("REPUTATION")[key]


def upvoters(count: int) -> list:
    return [user_with(Privilege.UPVOTE) for _ in range(count)]


def feed(user) -> list:
    return selectors.reputation_feed(user=user, days=selectors.reputation_days(user=user))


def lines(group) -> list[tuple[str, int, int]]:
    return [(line.label, line.amount, line.count) for line in group.lines]


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
    ada = user_with(Privilege.ASK)
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
