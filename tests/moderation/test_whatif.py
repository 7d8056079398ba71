"""The policy what-if's replay (moderation.whatif.compare) on hand-checked logs: exact counts
and times under the recorded policy and under other thresholds, aging windows and review
consensus; imported history by the switch; read-only, in a bounded number of queries."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation import services
from moderation.models import (
    Decision,
    EventKind,
    ModerationEvent,
    Review,
    ReviewQueue,
    ReviewTask,
    TaskState,
)
from moderation.whatif import Policy, compare
from tests.factories import QuestionFactory, UserFactory
from tests.moderation import career, closers, moderator

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 1, 6, tzinfo=UTC)  # a Monday
END = T0 + timedelta(days=60)
IMPORTED = {"imported_from": "datascience.stackexchange.com"}
VOTES = (EventKind.CLOSE_VOTE, EventKind.REOPEN_VOTE)


def is_read(sql: str) -> bool:
    """A SELECT, or PostgreSQL's server-side cursor over one (``.iterator()``)."""
    sql = re.sub(r"^DECLARE .*? CURSOR (?:WITH HOLD )?FOR ", "", sql.lstrip(), flags=re.S)
    return sql.upper().startswith("SELECT")


def day(days: float) -> datetime:
    return T0 + timedelta(days=days)


def log(question, kind, at, *, actor=None, binding=False, policy=None, details=None):
    """One event as the services (or the importer, with ``policy=IMPORTED``) record it."""
    if details is None:
        details = {"binding": binding} if kind in VOTES else {}
    return ModerationEvent.objects.create(
        post=question,
        question=question,
        kind=kind,
        actor=actor,
        details=details,
        policy=services.policy_in_force() if policy is None else policy,
        created_at=at,
    )


def votes(question, kind, times, voters, *, outcome=None) -> None:
    for at, voter in zip(times, voters, strict=True):
        log(question, kind, at, actor=voter)
    if outcome is not None:
        log(question, outcome, times[-1])


def run(policy: Policy | None = None, *, start=T0, end=END, include_imported=False):
    policy = policy or Policy()
    result = compare(start=start, end=end, proposed=policy, include_imported=include_imported)
    return result, result.logged.summary(), result.recorded.summary(), result.proposed.summary()


@pytest.fixture
def people():
    return [UserFactory() for _ in range(4)]


@pytest.fixture
def three_questions(people):
    """Q1: close votes 10 hours apart, closed; three reopen votes a day apart, reopened.
    Q2: close votes 5 days apart, closed; a moderator's reopen vote reopens it.
    Q3: two close votes 3 days apart, still open."""
    q1, q2, q3 = QuestionFactory(), QuestionFactory(), QuestionFactory()
    hours = [day(0), day(0) + timedelta(hours=10), day(0) + timedelta(hours=20)]
    votes(q1, EventKind.CLOSE_VOTE, hours, people[:3], outcome=EventKind.CLOSED)
    votes(q1, EventKind.REOPEN_VOTE, [day(30), day(31), day(32)], people[:3])
    log(q1, EventKind.REOPENED, day(32))
    votes(q2, EventKind.CLOSE_VOTE, [day(0), day(5), day(10)], people[:3])
    log(q2, EventKind.CLOSED, day(10))
    log(q2, EventKind.REOPEN_VOTE, day(40), actor=moderator(), binding=True)
    log(q2, EventKind.REOPENED, day(40))
    votes(q3, EventKind.CLOSE_VOTE, [day(0), day(3)], people[:2])
    return q1, q2, q3


def test_the_recorded_policy_reproduces_the_log(three_questions):
    q1, q2, _ = three_questions
    result, logged, recorded, proposed = run()
    assert (logged["closed"], logged["reopened"]) == (2, 2)
    assert result.recorded.questions_closed == {q1.pk, q2.pk}
    assert recorded["closed"] == 2 and recorded["reopened"] == 2
    assert recorded["close_median"] == recorded["close_mean"] == 130  # 20 and 240 hours
    assert recorded["reopen_median"] == 24  # 48 hours, and 0 for the binding vote
    assert recorded["votes_ignored"] == 0
    assert proposed == recorded  # nothing proposed: every number as recorded


def test_a_lower_close_threshold_closes_all_three_sooner(three_questions):
    result, _, recorded, proposed = run(Policy(close_votes=2))
    assert proposed["closed"] == 3 and proposed["reopened"] == 2
    assert sorted(result.proposed.close_hours) == [10, 72, 120]
    assert proposed["close_median"] == 72
    assert proposed["votes_ignored"] == 2  # the third votes on Q1 and Q2 came after closure
    assert recorded["closed"] == 2


def test_a_one_day_aging_window_closes_one_and_reopens_none(three_questions):
    result, _, _, proposed = run(Policy(aging_days=1))
    q1 = three_questions[0]
    assert result.proposed.questions_closed == {q1.pk}
    assert proposed["close_median"] == 20
    assert proposed["reopened"] == 0  # Q1's reopen votes are a day apart; Q2 never closed
    assert proposed["votes_ignored"] == 1  # the moderator's reopen vote on the open Q2


def test_a_higher_reopen_threshold_leaves_only_the_binding_reopening(three_questions):
    result, _, _, proposed = run(Policy(reopen_votes=4))
    assert proposed["closed"] == 2 and proposed["reopened"] == 1
    assert result.proposed.questions_reopened == {three_questions[1].pk}


def test_weekly_counts_for_the_chart(three_questions):
    result, *_ = run(Policy(close_votes=2))
    weeks = result.weeks()
    assert len(weeks) == 9 and weeks[0]["week"] == T0.date()
    assert weeks[0]["logged"] == {"closed": 1, "reopened": 0}
    assert weeks[0]["proposed"] == {"closed": 3, "reopened": 0}  # days 0.4, 3 and 5
    assert weeks[1]["recorded"] == {"closed": 1, "reopened": 0}  # Q2 on day 10
    assert sum(week["proposed"]["reopened"] for week in weeks) == 2


def test_a_retraction_and_votes_before_the_window(people):
    before, early, retracted = QuestionFactory(), QuestionFactory(), QuestionFactory()
    votes(before, EventKind.CLOSE_VOTE, [day(-5), day(-3), day(1)], people[:3])
    log(before, EventKind.CLOSED, day(1))
    votes(early, EventKind.CLOSE_VOTE, [day(-3), day(-2.5), day(-2)], people[:3])
    log(early, EventKind.CLOSED, day(-2))
    votes(retracted, EventKind.CLOSE_VOTE, [day(1), day(2)], people[:2])
    log(retracted, EventKind.CLOSE_VOTE_RETRACTED, day(2.5), actor=people[1])
    log(retracted, EventKind.CLOSE_VOTE, day(3), actor=people[2])
    result, logged, recorded, _ = run()
    assert logged["closed"] == 1 and recorded["closed"] == 1  # the early closure is outside
    assert result.recorded.questions_closed == {before.pk}
    assert recorded["close_median"] == 6 * 24  # from its first vote, before the window


def test_a_question_first_seen_through_reopen_votes_was_closed(people):
    question = QuestionFactory()
    votes(question, EventKind.REOPEN_VOTE, [day(1), day(2), day(3)], people[:3])
    log(question, EventKind.REOPENED, day(3))
    _, logged, recorded, proposed = run(Policy(reopen_votes=2))
    assert logged["reopened"] == recorded["reopened"] == proposed["reopened"] == 1
    assert (recorded["reopen_median"], proposed["reopen_median"]) == (48, 24)


def test_imported_history_only_with_the_switch():
    five = [{"id": None, "name": f"voter {n}", "binding": False} for n in range(5)]
    alone = [{"id": None, "name": "a moderator", "binding": True}]
    q4, q5 = QuestionFactory(), QuestionFactory()
    log(q4, EventKind.CLOSED, day(15), policy=IMPORTED, details={"voters": five})
    log(q5, EventKind.CLOSED, day(16), policy=IMPORTED, details={"voters": alone})
    log(q4, EventKind.REOPENED, day(20), policy=IMPORTED, details={"voters": five[:3]})

    _, logged, recorded, _ = run()
    assert logged["closed"] == recorded["closed"] == 0

    _, logged, recorded, _ = run(include_imported=True)
    assert (logged["closed"], logged["reopened"]) == (2, 1)
    assert (recorded["closed"], recorded["reopened"], recorded["untimed"]) == (2, 1, 3)
    assert recorded["close_median"] is None  # the voters' times are not in a dump

    result, *_, proposed = run(Policy(close_votes=6), include_imported=True)
    assert result.proposed.questions_closed == {q5.pk}  # five voters are not six; binding
    assert proposed["reopened"] == 0  # q4 never closed in this replay
    *_, proposed = run(Policy(reopen_votes=4), include_imported=True)
    assert (proposed["closed"], proposed["reopened"]) == (2, 0)


def _leave_open_reviews(question, at, reviewers, *, mod=None):
    task = ReviewTask.objects.create(queue=ReviewQueue.CLOSE, post=question, created_at=at)
    for offset, reviewer in enumerate(reviewers):
        Review.objects.create(
            task=task,
            reviewer=reviewer,
            decision=Decision.LEAVE_OPEN,
            created_at=at + timedelta(hours=offset),
        )
    cleared = at + timedelta(hours=len(reviewers))
    log(question, EventKind.CLOSE_VOTES_CLEARED, cleared, actor=mod, details={"cleared": 2})
    ReviewTask.objects.filter(pk=task.pk).update(state=TaskState.COMPLETED)


def test_review_consensus(people):
    question = QuestionFactory()
    votes(question, EventKind.CLOSE_VOTE, [day(0), day(1)], people[:2])
    _leave_open_reviews(question, day(2), [UserFactory() for _ in range(3)])
    log(question, EventKind.CLOSE_VOTE, day(3), actor=people[2])

    for consensus, closed in ((None, 0), (2, 0), (3, 0), (4, 1)):
        *_, recorded, proposed = run(Policy(leave_open=consensus))
        assert recorded["closed"] == 0
        assert proposed["closed"] == closed, consensus


def test_a_moderators_clear_stands_under_any_consensus(people):
    question, mod = QuestionFactory(), moderator()
    votes(question, EventKind.CLOSE_VOTE, [day(0), day(1)], people[:2])
    _leave_open_reviews(question, day(2), [mod], mod=mod)
    log(question, EventKind.CLOSE_VOTE, day(3), actor=people[2])
    *_, proposed = run(Policy(leave_open=4))
    assert proposed["closed"] == 0


def test_the_replay_of_the_services_own_log_matches_it():
    """Votes cast through the services, with aging and a retraction: replayed under the
    policy they recorded, exactly the closures and reopenings that happened."""
    aged, quick, retracted = QuestionFactory(), QuestionFactory(), QuestionFactory()
    voters = closers(7)

    def cast(question, voter, at):
        with time_machine.travel(at, tick=False):
            services.close_vote_cast(voter=voter, question=question, reason=career())

    for voter, at in zip(voters[:3], [day(0), day(1), day(2)], strict=True):
        cast(quick, voter, at)
    for voter, at in zip(voters[:4], [day(0), day(20), day(21), day(22)], strict=True):
        cast(aged, voter, at)  # the first vote aged away: closed by the fourth
    cast(retracted, voters[0], day(0))
    cast(retracted, voters[1], day(1))
    with time_machine.travel(day(1.5), tick=False):
        services.close_vote_retract(voter=voters[1], question=retracted)
    cast(retracted, voters[2], day(2))
    for voter, at in zip(voters[4:], [day(5), day(6), day(7)], strict=True):
        with time_machine.travel(at, tick=False):
            services.reopen_vote_cast(voter=voter, question=quick)

    result, logged, recorded, _ = run()
    assert result.recorded.questions_closed == result.logged.questions_closed
    assert result.recorded.questions_closed == {quick.pk, aged.pk}
    assert (logged["reopened"], recorded["reopened"]) == (1, 1)
    assert sorted(result.recorded.close_hours) == [48, 22 * 24]
    assert recorded["reopen_median"] == 48


def test_it_only_reads_in_two_queries(three_questions):
    tables = (ModerationEvent, Review, ReviewTask)
    before = [model.objects.count() for model in tables]
    with CaptureQueriesContext(connection) as captured:
        run(Policy(close_votes=2, leave_open=2, leave_closed=2), include_imported=True)
    assert len(captured) == 2
    assert all(is_read(query["sql"]) for query in captured)
    assert [model.objects.count() for model in tables] == before
