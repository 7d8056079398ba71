"""Close and reopen thresholds under real concurrency: parallel voters crossing a threshold
close or reopen a question exactly once (PostgreSQL row locks; SQLite serialises writers)."""

import pytest
from django.core.exceptions import PermissionDenied

from moderation import services
from moderation.models import CloseVote, EventKind, ReopenVote, VoteState
from moderation.services import ModerationError
from tests.concurrency import postgresql_only, run_in_parallel
from tests.factories import QuestionFactory
from tests.moderation import career, closers, events, fresh, moderator, opinion, vote_to_close

pytestmark = [
    # The flush after each transactional test empties the close reasons; moderation's
    # post_migrate handler (sent by flush) installs the defaults again.
    pytest.mark.django_db(transaction=True),
    postgresql_only,
]


@pytest.fixture(autouse=True)
def three_votes(settings):
    settings.QASITE = {
        **settings.QASITE,
        "CLOSE_VOTES_TO_CLOSE": 3,
        "REOPEN_VOTES_TO_REOPEN": 3,
    }


def test_it_closes_once_when_voters_cross_the_threshold_together():
    question = QuestionFactory()
    vote_to_close(question, closers(2), career())
    voters = closers(6)
    reason = opinion()

    errors = run_in_parallel(
        6, lambda i: services.close_vote_cast(voter=voters[i], question=question, reason=reason)
    )

    # The rule refuses votes on a closed question (checked on the locked row).
    assert all(isinstance(error, PermissionDenied) for error in errors), errors
    assert all("already closed" in str(error) for error in errors), errors
    question = fresh(question)
    assert question.closed_at is not None
    assert events(question, EventKind.CLOSED).count() == 1
    counted = CloseVote.objects.filter(question=question)
    assert counted.count() == 2 + 6 - len(errors) == 3
    assert set(counted.values_list("state", flat=True)) == {VoteState.COMPLETED}
    assert len(question.close_notice["voters"]) == 3
    assert events(question, EventKind.CLOSE_VOTE).count() == 3


def test_it_reopens_once_when_voters_cross_the_threshold_together():
    question = QuestionFactory()
    vote_to_close(question, [moderator()], career())
    voters = closers(6)

    errors = run_in_parallel(
        6, lambda i: services.reopen_vote_cast(voter=voters[i], question=question)
    )

    assert all(isinstance(error, PermissionDenied) for error in errors), errors
    assert all("open" in str(error) for error in errors), errors
    question = fresh(question)
    assert question.closed_at is None
    assert events(question, EventKind.REOPENED).count() == 1
    votes = ReopenVote.objects.filter(question=question)
    assert votes.count() == 6 - len(errors) == 3
    assert set(votes.values_list("state", flat=True)) == {VoteState.COMPLETED}


def test_it_keeps_one_pending_vote_for_a_voter_voting_in_parallel():
    question = QuestionFactory()
    (voter,) = closers(1)
    reason = career()

    errors = run_in_parallel(
        5, lambda i: services.close_vote_cast(voter=voter, question=question, reason=reason)
    )

    assert len(errors) == 4
    assert all(isinstance(error, ModerationError) for error in errors), errors
    assert all("already voted" in str(error) for error in errors), errors
    assert CloseVote.objects.filter(question=question, state=VoteState.PENDING).count() == 1
    assert fresh(question).close_votes_pending == 1
    assert events(question, EventKind.CLOSE_VOTE).count() == 1


def test_it_keeps_one_pending_reopen_vote_for_a_voter_voting_in_parallel():
    question = QuestionFactory()
    vote_to_close(question, [moderator()], career())
    (voter,) = closers(1)

    errors = run_in_parallel(5, lambda i: services.reopen_vote_cast(voter=voter, question=question))

    assert len(errors) == 4
    assert all("already voted" in str(error) for error in errors), errors
    assert ReopenVote.objects.filter(question=question, state=VoteState.PENDING).count() == 1
    assert fresh(question).reopen_votes_pending == 1


def test_it_closes_once_when_moderators_vote_together():
    question = QuestionFactory()
    mods = [moderator() for _ in range(4)]
    reason = opinion()

    errors = run_in_parallel(
        4, lambda i: services.close_vote_cast(voter=mods[i], question=question, reason=reason)
    )

    assert len(errors) == 3
    assert all("already closed" in str(error) for error in errors), errors
    question = fresh(question)
    assert question.closed_at is not None
    assert events(question, EventKind.CLOSED).count() == 1
    assert len(question.close_notice["voters"]) == 1
