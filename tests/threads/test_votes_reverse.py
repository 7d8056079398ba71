"""Reversing votes (serial voting, docs/rules.md): scores and up/down counts go back, what the
votes moved in reputation is taken back by "voting corrected" rows while their own rows stay
as history, the floor holds, and the ledger and ``recount_reputation`` agree."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from accounts.privileges import Privilege
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from tests.threads import amount, assert_ledger_agrees, rep, user_with
from threads import selectors, services
from threads.models import Post, ReputationCause, ReputationChange, Vote

pytestmark = pytest.mark.django_db

DAY_ONE = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
MINUS = "\u2212"


def answers_by(author, count: int) -> list[Post]:
    return [AnswerFactory(author=author) for _ in range(count)]


def vote_on(voter, posts, value: int) -> None:
    for post in posts:
        services.vote_cast(user=voter, post=post, value=value)


def feed_lines(user) -> list[tuple[str, int, int]]:
    days = selectors.reputation_feed(user=user, days=selectors.reputation_days(user=user))
    return [
        (line.label, line.amount, line.count)
        for day in days
        for group in day.posts
        for line in group.lines
    ]


def test_upvotes_reversed_take_back_scores_counts_and_reputation():
    receiver, voter = UserFactory(), user_with(Privilege.UPVOTE)
    posts = answers_by(receiver, 3)
    other = answers_by(receiver, 1)
    with time_machine.travel(DAY_ONE, tick=False):
        vote_on(voter, posts + other, 1)
    assert rep(receiver) == 1 + 4 * amount("ANSWER_UPVOTED")

    with time_machine.travel(DAY_ONE + timedelta(days=1), tick=False):
        done = services.votes_reverse(votes=Vote.objects.filter(post__in=posts))

    assert done.count == 3
    assert done.reputation == {receiver.pk: -3 * amount("ANSWER_UPVOTED")}
    assert rep(receiver) == 1 + amount("ANSWER_UPVOTED")
    assert not Vote.objects.filter(post__in=posts).exists()
    for post in posts:
        post.refresh_from_db()
        assert (post.score, post.up_votes, post.down_votes) == (0, 0, 0)
    other[0].refresh_from_db()
    assert (other[0].score, other[0].up_votes) == (1, 1)
    assert_ledger_agrees(receiver, voter)


def test_the_feed_keeps_the_votes_and_shows_voting_corrected():
    receiver, voter = UserFactory(), user_with(Privilege.UPVOTE)
    posts = answers_by(receiver, 2)
    with time_machine.travel(DAY_ONE, tick=False):
        vote_on(voter, posts, 1)
    with time_machine.travel(DAY_ONE + timedelta(days=1), tick=False):
        services.votes_reverse(votes=Vote.objects.filter(user=voter))

    up = amount("ANSWER_UPVOTED")
    assert sorted(feed_lines(receiver)) == sorted(
        [("upvote", up, 1)] * 2 + [("voting corrected", -up, 1)] * 2
    )
    corrected = ReputationChange.objects.filter(cause=ReputationCause.VOTING_CORRECTED)
    assert {row.day for row in corrected} == {(DAY_ONE + timedelta(days=1)).date()}
    assert ReputationChange.objects.filter(cause=ReputationCause.UPVOTED, vote=None).count() == 2


def test_the_reputation_tab_says_voting_corrected(client):
    receiver, voter = UserFactory(), user_with(Privilege.UPVOTE)
    vote_on(voter, answers_by(receiver, 2), 1)
    services.votes_reverse(votes=Vote.objects.filter(user=voter))

    response = client.get(f"/users/{receiver.pk}/reputation/")

    assert response.status_code == 200
    assert f"{MINUS}{amount('ANSWER_UPVOTED')} voting corrected" in text_of(response)


def test_downvotes_reversed_give_back_the_receiver_and_refund_the_voter():
    receiver = UserFactory(reputation=101, imported_reputation=100)
    voter = user_with(Privilege.DOWNVOTE)
    question = QuestionFactory(author=receiver)
    answers = answers_by(receiver, 2)
    vote_on(voter, [question, *answers], -1)
    cost = 3 * amount("POST_DOWNVOTED")
    refund = 2 * amount("DOWNVOTER_ON_ANSWER")
    assert rep(receiver) == 101 + cost
    voter_before = rep(voter)

    done = services.votes_reverse(votes=Vote.objects.filter(user=voter))

    assert done.reputation == {receiver.pk: -cost, voter.pk: -refund}
    assert rep(receiver) == 101
    assert rep(voter) == voter_before - refund
    question.refresh_from_db()
    assert (question.score, question.down_votes) == (0, 0)
    corrected = [line for line in feed_lines(voter) if line[0] == "voting corrected"]
    assert corrected == [("voting corrected", -amount("DOWNVOTER_ON_ANSWER"), 1)] * 2
    assert_ledger_agrees(receiver, voter)


def test_taking_back_upvotes_stops_at_the_floor():
    receiver, voter = UserFactory(), user_with(Privilege.UPVOTE)
    downvoter = user_with(Privilege.DOWNVOTE)
    posts = answers_by(receiver, 2)
    with time_machine.travel(DAY_ONE, tick=False):
        vote_on(voter, posts, 1)
    with time_machine.travel(DAY_ONE + timedelta(hours=1), tick=False):
        # Spends most of the upvotes: six answers downvoted by others.
        for post in answers_by(receiver, 6):
            services.vote_cast(user=downvoter, post=post, value=-1)
            downvoter = user_with(Privilege.DOWNVOTE)
    left = 1 + 2 * amount("ANSWER_UPVOTED") + 6 * amount("POST_DOWNVOTED")
    assert 1 < left < 1 + 2 * amount("ANSWER_UPVOTED")
    assert rep(receiver) == left

    with time_machine.travel(DAY_ONE + timedelta(days=1), tick=False):
        done = services.votes_reverse(votes=Vote.objects.filter(user=voter))

    assert rep(receiver) == 1
    assert done.reputation == {receiver.pk: 1 - left}
    assert_ledger_agrees(receiver, voter)


def test_recount_after_a_reversal_changes_nothing_and_keeps_the_history():
    receiver, voter = UserFactory(), user_with(Privilege.UPVOTE)
    posts = answers_by(receiver, 3)
    with time_machine.travel(DAY_ONE, tick=False):
        vote_on(voter, posts, 1)
        services.vote_cast(user=user_with(Privilege.UPVOTE), post=posts[0], value=1)
    with time_machine.travel(DAY_ONE + timedelta(days=1), tick=False):
        services.votes_reverse(votes=Vote.objects.filter(user=voter))
    before = feed_lines(receiver)

    call_command("recount_reputation", stdout=StringIO())

    assert rep(receiver) == 1 + amount("ANSWER_UPVOTED")
    assert sorted(feed_lines(receiver)) == sorted(before)
    assert_ledger_agrees(receiver, voter)


def test_deleting_a_corrected_post_takes_both_rows_out():
    receiver, voter = UserFactory(), user_with(Privilege.UPVOTE)
    posts = answers_by(receiver, 2)
    vote_on(voter, posts, 1)
    services.votes_reverse(votes=Vote.objects.filter(user=voter))

    services.post_delete(actor=None, post=posts[0])

    assert rep(receiver) == 1
    assert not ReputationChange.objects.filter(post=posts[0]).exists()
    assert_ledger_agrees(receiver, voter)


def test_fewer_votes_than_required_change_nothing():
    receiver, voter = UserFactory(), user_with(Privilege.UPVOTE)
    vote_on(voter, answers_by(receiver, 2), 1)

    done = services.votes_reverse(votes=Vote.objects.filter(user=voter), at_least=3)

    assert done.count == 0
    assert Vote.objects.filter(user=voter).count() == 2
    assert rep(receiver) == 1 + 2 * amount("ANSWER_UPVOTED")
    assert services.votes_reverse(votes=Vote.objects.none()).count == 0
