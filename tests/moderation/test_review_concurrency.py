"""Review decisions under real concurrency: reviewers deciding one task together complete
it exactly once (the task row is locked; PostgreSQL row locks, SQLite serialises writers)."""

import contextlib
import threading

import pytest

from moderation import reviews
from moderation.models import (
    Decision,
    EventKind,
    Review,
    ReviewQueue,
    ReviewTask,
    TaskState,
)
from moderation.queues import QUEUES
from moderation.reviews import review_decide
from moderation.services import ModerationError
from tests.concurrency import postgresql_only, run_in_parallel
from tests.factories import QuestionFactory, UserFactory
from tests.moderation import (
    closer,
    events,
    flagged_low_quality,
    fresh,
    review_setting,
    reviewers,
    vote_to_close,
)
from threads import services as threads_services
from threads.models import ReputationCause, ReputationChange, RevisionKind, SuggestedEditState

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only,
]


def deciding(task: ReviewTask, people: list, decision: str, **extra):
    spec = QUEUES[task.queue]

    def action(index: int) -> None:
        review_decide(reviewer=people[index], task=task, decision=decision, spec=spec, **extra)

    return action


def test_it_completes_a_first_question_once_when_two_reviewers_decide_together():
    task = ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=QuestionFactory())
    people = reviewers(ReviewQueue.FIRST_QUESTIONS, 2)

    errors = run_in_parallel(2, deciding(task, people, Decision.LOOKS_OK))

    assert len(errors) == 1, errors
    assert isinstance(errors[0], ModerationError)
    assert "completed by other reviewers" in str(errors[0])
    task.refresh_from_db()
    assert (task.state, task.outcome) == (TaskState.COMPLETED, Decision.LOOKS_OK.value)
    assert task.completed_at is not None
    assert Review.objects.filter(task=task).count() == 1


def test_it_leaves_open_once_when_the_last_reviewers_decide_together():
    question = QuestionFactory()
    vote_to_close(question, [closer()])
    task = ReviewTask.objects.get(queue=ReviewQueue.CLOSE, post=question)
    needed = review_setting("CLOSE_LEAVE_OPEN_TO_COMPLETE")
    people = reviewers(ReviewQueue.CLOSE, needed)

    errors = run_in_parallel(needed, deciding(task, people, Decision.LEAVE_OPEN))

    assert errors == []
    task.refresh_from_db()
    assert (task.state, task.outcome) == (TaskState.COMPLETED, "leave open")
    assert Review.objects.filter(task=task).count() == needed
    assert events(question, EventKind.CLOSE_VOTES_CLEARED).count() == 1
    assert fresh(question).close_votes_pending == 0


def test_it_leaves_open_once_when_more_reviewers_than_needed_decide_together():
    question = QuestionFactory()
    vote_to_close(question, [closer()])
    task = ReviewTask.objects.get(queue=ReviewQueue.CLOSE, post=question)
    needed = review_setting("CLOSE_LEAVE_OPEN_TO_COMPLETE")
    people = reviewers(ReviewQueue.CLOSE, needed + 2)

    errors = run_in_parallel(len(people), deciding(task, people, Decision.LEAVE_OPEN))

    assert len(errors) == 2, errors
    assert all("completed by other reviewers" in str(error) for error in errors), errors
    assert Review.objects.filter(task=task).count() == needed
    assert events(question, EventKind.CLOSE_VOTES_CLEARED).count() == 1


def test_it_deletes_a_low_quality_post_once_when_reviewers_agree_together():
    answer, task = flagged_low_quality()
    needed = review_setting("LOW_QUALITY_AGREEING")
    people = reviewers(ReviewQueue.LOW_QUALITY, needed)

    errors = run_in_parallel(needed, deciding(task, people, Decision.RECOMMEND_DELETION))

    assert errors == []
    assert fresh(answer).deleted_at is not None
    assert events(answer, EventKind.DELETED).filter(post=answer).count() == 1
    task.refresh_from_db()
    assert (task.state, task.outcome) == (TaskState.COMPLETED, "deleted")


def test_it_applies_a_suggested_edit_once_when_reviewers_approve_together():
    question = QuestionFactory()
    suggestion = threads_services.suggested_edit_create(
        author=UserFactory(),
        post=question,
        title=question.title,
        body=question.body + "\n\nA clearer ending.",
        tags=["python"],
    )
    task = ReviewTask.objects.get(queue=ReviewQueue.SUGGESTED_EDITS, suggested_edit=suggestion)
    needed = review_setting("SUGGESTED_EDIT_AGREEING")
    people = reviewers(ReviewQueue.SUGGESTED_EDITS, needed)

    errors = run_in_parallel(needed, deciding(task, people, Decision.APPROVE))

    assert errors == []
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.APPROVED
    task.refresh_from_db()
    assert (task.state, task.outcome) == (TaskState.COMPLETED, "approved")
    assert fresh(question).revisions.filter(kind=RevisionKind.SUGGESTED).count() == 1
    gains = ReputationChange.objects.filter(
        user=suggestion.author, cause=ReputationCause.EDIT_APPROVED
    )
    assert gains.count() == 1


def test_it_holds_the_daily_limit_for_one_reviewer_deciding_in_parallel(settings, monkeypatch):
    settings.QASITE = {
        **settings.QASITE,
        "REVIEW": {**settings.QASITE["REVIEW"], "REVIEWS_PER_QUEUE_PER_DAY": 1},
    }
    count = 4
    tasks = [
        ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=QuestionFactory())
        for _ in range(count)
    ]
    (person,) = reviewers(ReviewQueue.FIRST_QUESTIONS, 1)
    spec = QUEUES[ReviewQueue.FIRST_QUESTIONS]
    # Every request checks the limit before any of them records its review; a fix that
    # serialises the check (a lock taken before counting) breaks this gate after its
    # timeout and lets the requests through one at a time.
    gate = threading.Barrier(count, timeout=3)
    checked = reviews.daily_limit_reached

    def daily_limit_reached(**kwargs):
        reached = checked(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()
        return reached

    monkeypatch.setattr(reviews, "daily_limit_reached", daily_limit_reached)

    errors = run_in_parallel(
        count,
        lambda i: review_decide(
            reviewer=person, task=tasks[i], decision=Decision.LOOKS_OK, spec=spec
        ),
    )

    assert Review.objects.filter(reviewer=person).count() == review_setting(
        "REVIEWS_PER_QUEUE_PER_DAY"
    )
    assert len(errors) == count - 1, errors
    assert all("today's" in str(error) for error in errors), errors
