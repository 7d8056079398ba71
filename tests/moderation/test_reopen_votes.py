"""Reopen votes: the same threshold rules as closing, binding moderator votes, retraction."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege
from moderation import services
from moderation.models import EventKind, ReopenVote, VoteState
from moderation.services import ModerationError
from tests.factories import QuestionFactory, UserFactory
from tests.moderation import (
    career,
    close,
    close_votes,
    closer,
    closers,
    events,
    fresh,
    moderator,
    to_reopen,
    vote_to_close,
)

pytestmark = pytest.mark.django_db


def reopen_votes(question):
    return ReopenVote.objects.filter(question=question)


def vote_to_reopen(question, voters) -> None:
    for voter in voters:
        services.reopen_vote_cast(voter=voter, question=question)


def test_it_keeps_the_question_closed_one_vote_short():
    question = close(QuestionFactory())

    vote_to_reopen(question, closers(to_reopen() - 1))

    question = fresh(question)
    assert question.closed_at is not None
    assert question.reopen_votes_pending == to_reopen() - 1
    assert events(question, EventKind.REOPEN_VOTE).count() == to_reopen() - 1
    assert not events(question, EventKind.REOPENED).exists()


def test_it_reopens_on_the_threshold_vote():
    question = close(QuestionFactory())
    voters = closers(to_reopen())

    vote_to_reopen(question, voters)

    question = fresh(question)
    assert question.closed_at is None
    assert question.close_notice is None
    assert question.reopen_votes_pending == 0
    assert question.close_votes_pending == 0
    assert set(reopen_votes(question).values_list("state", flat=True)) == {VoteState.COMPLETED}
    assert events(question, EventKind.REOPEN_VOTE).count() == to_reopen()
    reopened = events(question, EventKind.REOPENED).get()
    assert reopened.actor is None
    assert [v["name"] for v in reopened.details["voters"]] == [v.name for v in voters]
    assert reopened.policy["reopen_votes_to_reopen"] == to_reopen()


def test_it_honours_a_changed_reopen_threshold(settings):
    settings.QASITE = {**settings.QASITE, "REOPEN_VOTES_TO_REOPEN": 5}
    question = close(QuestionFactory())
    voters = closers(5)

    vote_to_reopen(question, voters[:4])
    assert fresh(question).closed_at is not None

    vote_to_reopen(question, voters[4:])
    assert fresh(question).closed_at is None


def test_it_lets_the_asker_vote_to_reopen():
    asker = UserFactory(reputation=Privilege.CLOSE_OWN_QUESTION.reputation)
    question = close(QuestionFactory(author=asker))

    vote = services.reopen_vote_cast(voter=question.author, question=question)

    assert vote.state == VoteState.PENDING
    assert not vote.binding


def test_it_reopens_at_once_on_a_moderators_vote():
    question = close(QuestionFactory())
    vote_to_reopen(question, closers(to_reopen() - 1))
    mod = moderator()

    vote = services.reopen_vote_cast(voter=mod, question=question)

    assert vote.binding
    question = fresh(question)
    assert question.closed_at is None
    reopened = events(question, EventKind.REOPENED).get()
    assert reopened.actor == mod
    assert [v["name"] for v in reopened.details["voters"]] == [mod.name]
    assert set(reopen_votes(question).values_list("state", flat=True)) == {VoteState.COMPLETED}


def test_it_refuses_a_reopen_vote_on_an_open_question():
    question = QuestionFactory()

    with pytest.raises(PermissionDenied, match="open"):
        services.reopen_vote_cast(voter=closer(), question=question)

    assert not reopen_votes(question).exists()
    assert not events(question).exists()


def test_it_refuses_a_second_reopen_vote_by_the_same_voter():
    question = close(QuestionFactory())
    voter = closer()
    services.reopen_vote_cast(voter=voter, question=question)
    before = events(question).count()

    with pytest.raises(ModerationError, match="already voted to reopen"):
        services.reopen_vote_cast(voter=voter, question=question)

    assert reopen_votes(question).count() == 1
    assert events(question).count() == before
    assert fresh(question).reopen_votes_pending == 1


def test_it_retracts_a_reopen_vote_for_good():
    question = close(QuestionFactory())
    first, second = closers(2)
    vote_to_reopen(question, [first, second])

    assert services.reopen_vote_retract(voter=first, question=question) is True
    assert services.reopen_vote_retract(voter=first, question=question) is False
    assert services.reopen_vote_retract(voter=closer(), question=question) is False

    question = fresh(question)
    assert question.reopen_votes_pending == 1
    assert reopen_votes(question).get(voter=first).state == VoteState.RETRACTED
    assert services.reopen_vote_of(voter=first, question=question).state == VoteState.RETRACTED
    assert services.reopen_vote_of(voter=second, question=question).state == VoteState.PENDING
    retracted = events(question, EventKind.REOPEN_VOTE_RETRACTED).get()
    assert retracted.actor == first
    with pytest.raises(ModerationError, match="retracted"):
        services.reopen_vote_cast(voter=first, question=question)
    assert reopen_votes(question).count() == 2


def test_it_starts_afresh_after_a_reopening():
    """Closed, reopened, closed again: earlier voters vote again in the new round."""
    question = QuestionFactory()
    first_round = closers(to_reopen())
    vote_to_close(question, [moderator()], career())
    vote_to_reopen(question, first_round)
    assert fresh(question).closed_at is None

    services.close_vote_cast(voter=first_round[0], question=question, reason=career())
    assert fresh(question).close_votes_pending == 1
    services.close_vote_cast(voter=moderator(), question=question, reason=career())
    question = fresh(question)
    assert question.closed_at is not None

    vote = services.reopen_vote_cast(voter=first_round[0], question=question)
    assert vote.state == VoteState.PENDING
    assert close_votes(question).filter(state=VoteState.PENDING).count() == 0
    assert events(question, EventKind.CLOSED).count() == 2
    assert events(question, EventKind.REOPENED).count() == 1
