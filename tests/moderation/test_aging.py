"""Pending close (and reopen) votes age away together ``CLOSE_VOTE_AGING_DAYS`` after the last
one of their kind; their voters may vote again ``REVOTE_AFTER_AGING_DAYS`` after that."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from core.conf import qasite_setting
from moderation import services
from moderation.aging import close_votes_counting, reopen_votes_counting
from moderation.models import EventKind, ReopenVote, VoteState
from moderation.services import ModerationError
from tests.factories import QuestionFactory
from tests.moderation import (
    career,
    close_votes,
    closer,
    closers,
    events,
    fresh,
    moderator,
    to_close,
    to_reopen,
)
from tests.moderation import vote_to_close as cast

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def aging() -> timedelta:
    return timedelta(days=qasite_setting("CLOSE_VOTE_AGING_DAYS"))


def reopen_votes(question):
    return ReopenVote.objects.filter(question=question)


@pytest.fixture
def traveller():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def test_it_stops_counting_votes_when_they_age(traveller):
    question = QuestionFactory()
    cast(question, closers(to_close() - 1))

    traveller.shift(aging() - timedelta(seconds=1))
    assert close_votes_counting(fresh(question)) == to_close() - 1

    traveller.shift(timedelta(seconds=1))
    question = fresh(question)
    assert close_votes_counting(question) == 0
    assert question.close_votes_pending == to_close() - 1  # the stored copy; the page shows 0


def test_it_starts_a_fresh_count_after_aging(traveller):
    question = QuestionFactory()
    old = closers(to_close() - 1)
    cast(question, old)
    traveller.shift(aging())

    newcomer = closer()
    services.close_vote_cast(voter=newcomer, question=question, reason=career())

    question = fresh(question)
    assert question.closed_at is None
    assert question.close_votes_pending == 1
    assert close_votes_counting(question) == 1
    assert question.last_close_vote_at == T0 + aging()
    assert set(close_votes(question).filter(voter__in=old).values_list("state", flat=True)) == {
        VoteState.AGED
    }
    assert all(
        vote.ended_at == T0 + aging() for vote in close_votes(question).filter(voter__in=old)
    )
    assert close_votes(question).get(voter=newcomer).state == VoteState.PENDING


def revote_wait() -> timedelta:
    return timedelta(days=qasite_setting("REVOTE_AFTER_AGING_DAYS"))


def test_an_aged_voter_may_vote_again_only_after_the_wait(traveller):
    question = QuestionFactory()
    voter = closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())
    traveller.shift(aging() + timedelta(days=1))
    assert services.close_vote_of(voter=voter, question=fresh(question)) is None

    with pytest.raises(ModerationError, match="aged away"):
        services.close_vote_cast(voter=voter, question=question, reason=career())

    traveller.move_to(T0 + aging() + revote_wait() - timedelta(seconds=1))
    with pytest.raises(ModerationError, match="aged away"):
        services.close_vote_cast(voter=voter, question=question, reason=career())
    traveller.shift(timedelta(seconds=1))
    services.close_vote_cast(voter=voter, question=question, reason=career())

    aged, pending = close_votes(question).filter(voter=voter).order_by("created_at")
    assert (aged.state, aged.ended_at) == (VoteState.AGED, T0 + aging())  # when it aged
    assert pending.state == VoteState.PENDING
    assert close_votes_counting(fresh(question)) == 1
    assert events(question, EventKind.CLOSE_VOTE).count() == 2


def test_the_wait_after_aging_is_a_setting(traveller, settings):
    settings.QASITE = {**settings.QASITE, "REVOTE_AFTER_AGING_DAYS": 1}
    question = QuestionFactory()
    voter = closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())
    traveller.shift(aging() + timedelta(days=1))

    services.close_vote_cast(voter=voter, question=question, reason=career())

    assert close_votes_counting(fresh(question)) == 1


def test_a_retracted_close_vote_is_never_recast(traveller):
    question = QuestionFactory()
    voter = closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())
    services.close_vote_retract(voter=voter, question=question)
    traveller.shift(aging() + revote_wait() + timedelta(days=1))

    with pytest.raises(ModerationError, match="retracted"):
        services.close_vote_cast(voter=voter, question=question, reason=career())


# Reopen votes age the same way --------------------------------------------------------------


def closed_question():
    question = QuestionFactory()
    services.close_vote_cast(voter=moderator(), question=question, reason=career())
    return fresh(question)


def test_reopen_votes_stop_counting_when_they_age(traveller):
    question = closed_question()
    voters = closers(to_reopen() - 1)
    for voter in voters:
        services.reopen_vote_cast(voter=voter, question=question)
    assert fresh(question).last_reopen_vote_at == T0

    traveller.shift(aging() - timedelta(seconds=1))
    assert reopen_votes_counting(fresh(question)) == to_reopen() - 1
    assert services.reopen_vote_of(voter=voters[0], question=fresh(question)) is not None
    traveller.shift(timedelta(seconds=1))
    assert reopen_votes_counting(fresh(question)) == 0
    assert services.reopen_vote_of(voter=voters[0], question=fresh(question)) is None
    assert services.reopen_vote_retract(voter=voters[0], question=question) is False

    newcomer = closer()
    services.reopen_vote_cast(voter=newcomer, question=question)

    question = fresh(question)
    assert question.closed_at is not None  # the aged votes no longer count toward reopening
    assert reopen_votes_counting(question) == question.reopen_votes_pending == 1
    assert set(reopen_votes(question).filter(voter__in=voters).values_list("state", flat=True)) == {
        VoteState.AGED
    }


def test_an_aged_reopen_voter_waits_before_voting_again(traveller):
    question = closed_question()
    voter = closer()
    services.reopen_vote_cast(voter=voter, question=question)
    traveller.shift(aging())

    with pytest.raises(ModerationError, match="aged away"):
        services.reopen_vote_cast(voter=voter, question=question)
    traveller.shift(revote_wait())
    services.reopen_vote_cast(voter=voter, question=question)

    assert reopen_votes_counting(fresh(question)) == 1


def test_a_retracted_reopen_vote_is_never_recast(traveller):
    question = closed_question()
    voter = closer()
    services.reopen_vote_cast(voter=voter, question=question)
    services.reopen_vote_retract(voter=voter, question=question)
    traveller.shift(aging() + revote_wait() + timedelta(days=1))

    with pytest.raises(ModerationError, match="retracted"):
        services.reopen_vote_cast(voter=voter, question=question)


def test_it_counts_the_window_from_the_last_vote(traveller):
    assert to_close() >= 3, "the story needs a first, a middle and a last vote"
    question = QuestionFactory()
    voters = closers(to_close())
    cast(question, voters[:1])
    traveller.shift(aging() - timedelta(days=1))
    cast(question, voters[1:-1])  # inside the window: keeps the first one alive
    traveller.shift(timedelta(days=2))  # past the first vote's window, not the last one's

    question = fresh(question)
    assert close_votes_counting(question) == to_close() - 1
    assert services.close_vote_of(voter=voters[0], question=question) is not None

    cast(question, voters[-1:])

    question = fresh(question)
    assert question.closed_at is not None
    assert [v["id"] for v in question.close_notice["voters"]] == [v.pk for v in voters]


def test_it_cannot_retract_an_aged_vote(traveller):
    question = QuestionFactory()
    voter = closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())
    traveller.shift(aging())

    assert services.close_vote_retract(voter=voter, question=question) is False
    assert close_votes(question).get(voter=voter).state == VoteState.AGED
    assert not events(question, EventKind.CLOSE_VOTE_RETRACTED).exists()


def test_it_honours_a_changed_aging_window(traveller, settings):
    settings.QASITE = {**settings.QASITE, "CLOSE_VOTE_AGING_DAYS": 2}
    question = QuestionFactory()
    cast(question, closers(1))

    traveller.shift(timedelta(days=2))

    assert close_votes_counting(fresh(question)) == 0
