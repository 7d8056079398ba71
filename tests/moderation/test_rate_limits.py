"""The daily close-vote limit (docs/rules.md, "Rate limits"): counted per UTC day from the
voter's close votes, through the service and through the close dialog (a 429 page with the
message, JSON for the script), and nothing is recorded for a refused vote."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from core.conf import qasite_setting
from core.exceptions import RateLimited
from moderation import services
from moderation.models import CloseVote, EventKind, ModerationEvent
from tests.factories import QuestionFactory
from tests.moderation import career, closer, fresh, opinion
from tests.pages import text_of

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
NOON = datetime(2024, 5, 1, 12, tzinfo=UTC)
LATE_EVENING = datetime(2024, 5, 1, 23, 50, tzinfo=UTC)
LIMIT = 2  # the daily limit, lowered so the tests stay quick


@pytest.fixture(autouse=True)
def few_close_votes(settings):
    settings.QASITE = {
        **settings.QASITE,
        "RATE_LIMITS": {**settings.QASITE["RATE_LIMITS"], "CLOSE_VOTES_PER_DAY": LIMIT},
    }


def message() -> str:
    return f"You have reached today's limit of {LIMIT} close votes. It resets at midnight UTC."


def vote(voter, question, reason=None):
    return services.close_vote_cast(voter=voter, question=question, reason=reason or opinion())


def nothing_recorded_on(question) -> bool:
    return (
        not CloseVote.objects.filter(question=question).exists()
        and not ModerationEvent.objects.filter(
            question_id=question.pk, kind=EventKind.CLOSE_VOTE
        ).exists()
        and fresh(question).close_votes_pending == 0
    )


def test_it_reads_the_lowered_limit():
    assert qasite_setting("RATE_LIMITS")["CLOSE_VOTES_PER_DAY"] == LIMIT


def test_it_refuses_close_votes_over_the_daily_limit_until_the_next_utc_day():
    questions = [QuestionFactory() for _ in range(LIMIT + 1)]
    voter = closer()

    with time_machine.travel(LATE_EVENING, tick=False) as traveller:
        for question in questions[:LIMIT]:
            vote(voter, question)

        with pytest.raises(RateLimited) as refused:
            vote(voter, questions[-1])
        assert str(refused.value) == message()
        assert nothing_recorded_on(questions[-1])

        traveller.shift(timedelta(minutes=15))  # past midnight UTC
        vote(voter, questions[-1])

    assert CloseVote.objects.filter(voter=voter).count() == LIMIT + 1
    assert fresh(questions[-1]).close_votes_pending == 1


def test_it_counts_retracted_close_votes_against_the_limit():
    questions = [QuestionFactory() for _ in range(LIMIT + 1)]
    voter = closer()
    with time_machine.travel(NOON, tick=False):
        for question in questions[:LIMIT]:
            vote(voter, question)
        services.close_vote_retract(voter=voter, question=questions[0])

        with pytest.raises(RateLimited):
            vote(voter, questions[-1])


def test_it_counts_each_voters_limit_separately():
    questions = [QuestionFactory() for _ in range(LIMIT)]
    busy, other = closer(), closer()
    with time_machine.travel(NOON, tick=False):
        for question in questions:
            vote(busy, question)
        vote(other, questions[0], career())
    assert fresh(questions[0]).close_votes_pending == 2


def test_it_does_not_count_refused_close_votes():
    questions = [QuestionFactory() for _ in range(LIMIT)]
    voter = closer()
    with time_machine.travel(NOON, tick=False):
        vote(voter, questions[0])
        with pytest.raises(services.ModerationError):
            vote(voter, questions[0])
        vote(voter, questions[1])
    assert CloseVote.objects.filter(voter=voter).count() == LIMIT


@pytest.fixture
def voted_out(client):
    """A logged-in closer who used today's close votes, and one more question."""
    questions = [QuestionFactory() for _ in range(LIMIT + 1)]
    voter = closer()
    with time_machine.travel(NOON, tick=False) as traveller:
        for question in questions[:LIMIT]:
            vote(voter, question)
        client.force_login(voter)
        yield voter, questions[-1], traveller


def test_it_answers_a_close_vote_over_the_limit_with_a_429_page(client, voted_out):
    _, question, _ = voted_out

    response = client.post(f"/questions/{question.pk}/close/", {"reason": opinion().pk})

    assert response.status_code == 429
    assert message() in text_of(response)
    assert nothing_recorded_on(question)


def test_it_answers_a_scripted_close_vote_over_the_limit_with_json_429(client, voted_out):
    _, question, _ = voted_out

    response = client.post(f"/questions/{question.pk}/close/", {"reason": opinion().pk}, **XHR)

    assert response.status_code == 429
    assert response.json() == {"error": message()}
    assert nothing_recorded_on(question)


def test_it_still_shows_the_close_dialog_at_the_limit(client, voted_out):
    _, question, _ = voted_out
    assert client.get(f"/questions/{question.pk}/close/").status_code == 200


def test_it_takes_close_votes_through_the_dialog_again_the_next_utc_day(client, voted_out):
    voter, question, traveller = voted_out
    assert (
        client.post(f"/questions/{question.pk}/close/", {"reason": opinion().pk}).status_code == 429
    )

    traveller.shift(timedelta(days=1))
    response = client.post(f"/questions/{question.pk}/close/", {"reason": opinion().pk})

    assert response.status_code == 302
    assert CloseVote.objects.filter(voter=voter, question=question).count() == 1
    assert fresh(question).close_votes_pending == 1
