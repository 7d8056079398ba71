"""Pending close votes age away together ``CLOSE_VOTE_AGING_DAYS`` after the last one."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from core.conf import qasite_setting
from moderation import services
from moderation.aging import close_votes_counting
from moderation.models import EventKind, VoteState
from tests.factories import QuestionFactory
from tests.moderation import career, close_votes, closer, closers, events, fresh, to_close
from tests.moderation import vote_to_close as cast

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def aging() -> timedelta:
    return timedelta(days=qasite_setting("CLOSE_VOTE_AGING_DAYS"))


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


def test_it_lets_an_aged_voter_vote_again(traveller):
    question = QuestionFactory()
    voter = closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())
    traveller.shift(aging() + timedelta(days=1))
    assert services.close_vote_of(voter=voter, question=fresh(question)) is None

    services.close_vote_cast(voter=voter, question=question, reason=career())

    states = list(close_votes(question).filter(voter=voter).values_list("state", flat=True))
    assert sorted(states) == sorted([VoteState.AGED, VoteState.PENDING])
    assert close_votes_counting(fresh(question)) == 1
    assert events(question, EventKind.CLOSE_VOTE).count() == 2


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
