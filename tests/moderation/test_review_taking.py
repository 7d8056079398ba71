"""Taking tasks (docs/rules.md, "Review queues"): one at a time, oldest first, never one's own
post, never a task twice (a skip included), and ``REVIEWS_PER_QUEUE_PER_DAY`` reviews per
queue per UTC day, skips not counted."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation.models import Decision, Review, ReviewQueue, ReviewTask, TaskState
from moderation.queues import QUEUES
from moderation.reviews import daily_limit_reached, next_task, review_decide, reviews_today
from moderation.services import ModerationError
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import flagged_low_quality, moderator
from threads import services as threads_services

pytestmark = pytest.mark.django_db

FIRST_QUESTIONS = QUEUES[ReviewQueue.FIRST_QUESTIONS]
FIRST_ANSWERS = QUEUES[ReviewQueue.FIRST_ANSWERS]
LOW_QUALITY = QUEUES[ReviewQueue.LOW_QUALITY]
T0 = datetime(2025, 1, 6, 22, 0, tzinfo=UTC)


@pytest.fixture
def daily_limit(settings):
    """Two reviews per queue per day, so tests reach the limit quickly."""
    review = qasite_setting("REVIEW")
    settings.QASITE = {
        **settings.QASITE,
        "REVIEW": {**review, "REVIEWS_PER_QUEUE_PER_DAY": 2},
    }
    return qasite_setting("REVIEW")["REVIEWS_PER_QUEUE_PER_DAY"]


def reviewer(spec=FIRST_QUESTIONS, **extra):
    return UserFactory(reputation=spec.privilege.reputation, **extra)


def first_question_tasks(count: int) -> list[ReviewTask]:
    return [
        ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=QuestionFactory())
        for _ in range(count)
    ]


def decide(person, task: ReviewTask, decision: str = Decision.LOOKS_OK, **extra):
    return review_decide(
        reviewer=person, task=task, decision=decision, spec=QUEUES[task.queue], **extra
    )


# One at a time, oldest first -----------------------------------------------------------------


def test_it_hands_out_the_oldest_pending_task():
    older, newer = first_question_tasks(2)

    assert next_task(spec=FIRST_QUESTIONS, reviewer=reviewer()) == older
    decide(reviewer(), older)
    assert next_task(spec=FIRST_QUESTIONS, reviewer=reviewer()) == newer


def test_it_returns_none_for_an_empty_queue():
    first_question_tasks(1)

    assert next_task(spec=FIRST_ANSWERS, reviewer=reviewer()) is None


def test_it_hands_out_only_the_queues_own_tasks():
    answer = AnswerFactory()

    task = next_task(spec=FIRST_ANSWERS, reviewer=reviewer())

    assert (task.queue, task.post) == (ReviewQueue.FIRST_ANSWERS, answer)


# Skip ----------------------------------------------------------------------------------------


def test_it_records_a_skip_and_moves_the_reviewer_on():
    older, newer = first_question_tasks(2)
    skipper = reviewer()

    result = decide(skipper, older, Decision.SKIP)

    assert not result.completed
    assert Review.objects.get(task=older, reviewer=skipper).decision == Decision.SKIP
    older.refresh_from_db()
    assert older.state == TaskState.PENDING
    assert next_task(spec=FIRST_QUESTIONS, reviewer=skipper) == newer

    decide(skipper, newer, Decision.SKIP)
    assert next_task(spec=FIRST_QUESTIONS, reviewer=skipper) is None


def test_it_still_shows_a_skipped_task_to_others():
    (task,) = first_question_tasks(1)
    decide(reviewer(), task, Decision.SKIP)
    other = reviewer()

    assert next_task(spec=FIRST_QUESTIONS, reviewer=other) == task
    assert decide(other, task).completed


def test_it_refuses_a_second_decision_after_a_skip():
    (task,) = first_question_tasks(1)
    skipper = reviewer()
    decide(skipper, task, Decision.SKIP)

    with pytest.raises(ModerationError, match="already reviewed"):
        decide(skipper, task)


def test_it_does_not_count_skips_toward_the_daily_limit(daily_limit):
    tasks = first_question_tasks(daily_limit + 2)
    person = reviewer()

    for task in tasks[:2]:
        decide(person, task, Decision.SKIP)
    assert reviews_today(reviewer=person, queue=FIRST_QUESTIONS.slug) == 0

    for task in tasks[2:]:
        decide(person, task)
    assert reviews_today(reviewer=person, queue=FIRST_QUESTIONS.slug) == daily_limit


def test_it_lets_a_reviewer_at_the_daily_limit_skip(daily_limit):
    tasks = first_question_tasks(daily_limit + 1)
    person = reviewer()
    for task in tasks[:daily_limit]:
        decide(person, task)

    assert decide(person, tasks[-1], Decision.SKIP).review.decision == Decision.SKIP


# Own posts -----------------------------------------------------------------------------------


def test_it_never_hands_out_a_reviewers_own_post():
    person = reviewer()
    QuestionFactory(author=person)

    assert next_task(spec=FIRST_QUESTIONS, reviewer=person) is None

    (other,) = first_question_tasks(1)
    assert next_task(spec=FIRST_QUESTIONS, reviewer=person) == other


def test_it_refuses_a_review_of_ones_own_post():
    person = reviewer()
    own = ReviewTask.objects.get(post=QuestionFactory(author=person))

    with pytest.raises(ModerationError, match="your own post"):
        decide(person, own)

    assert not Review.objects.exists()
    own.refresh_from_db()
    assert own.state == TaskState.PENDING


def test_it_refuses_a_skip_of_ones_own_post():
    person = reviewer()
    own = ReviewTask.objects.get(post=QuestionFactory(author=person))

    with pytest.raises(ModerationError, match="your own post"):
        decide(person, own, Decision.SKIP)


# Never twice ---------------------------------------------------------------------------------


def test_it_never_hands_out_a_task_twice_to_one_reviewer():
    answer, task = flagged_low_quality()
    first = reviewer(LOW_QUALITY)
    assert next_task(spec=LOW_QUALITY, reviewer=first) == task

    decide(first, task, Decision.LOOKS_OK)

    task.refresh_from_db()
    assert task.state == TaskState.PENDING
    assert next_task(spec=LOW_QUALITY, reviewer=first) is None
    assert next_task(spec=LOW_QUALITY, reviewer=reviewer(LOW_QUALITY)) == task
    with pytest.raises(ModerationError, match="already reviewed"):
        decide(first, task, Decision.RECOMMEND_DELETION)
    assert Review.objects.filter(task=task, reviewer=first).count() == 1


def test_it_refuses_a_task_completed_meanwhile():
    (task,) = first_question_tasks(1)
    decide(reviewer(), task)

    with pytest.raises(ModerationError, match="completed by other reviewers"):
        decide(reviewer(), task)


def test_it_does_not_hand_out_completed_or_invalidated_tasks():
    done, gone = first_question_tasks(2)
    decide(reviewer(), done)
    threads_services.post_delete(actor=moderator(), post=gone.post)

    assert next_task(spec=FIRST_QUESTIONS, reviewer=reviewer()) is None


# Daily limit ---------------------------------------------------------------------------------


def test_it_stops_a_reviewer_at_the_daily_limit(daily_limit):
    tasks = first_question_tasks(daily_limit + 1)
    person = reviewer()
    for task in tasks[:daily_limit]:
        decide(person, task)

    assert daily_limit_reached(reviewer=person, queue=FIRST_QUESTIONS.slug)
    with pytest.raises(ModerationError, match=f"today's {daily_limit} reviews"):
        decide(person, tasks[-1])

    assert not Review.objects.filter(task=tasks[-1]).exists()
    tasks[-1].refresh_from_db()
    assert tasks[-1].state == TaskState.PENDING


def test_it_counts_the_daily_limit_per_queue(daily_limit):
    tasks = first_question_tasks(daily_limit)
    person = reviewer()
    for task in tasks:
        decide(person, task)
    answer_task = ReviewTask.objects.get(queue=ReviewQueue.FIRST_ANSWERS, post=AnswerFactory())

    assert daily_limit_reached(reviewer=person, queue=FIRST_QUESTIONS.slug)
    assert not daily_limit_reached(reviewer=person, queue=FIRST_ANSWERS.slug)
    assert decide(person, answer_task).completed


def test_it_counts_the_daily_limit_per_reviewer(daily_limit):
    tasks = first_question_tasks(daily_limit + 1)
    for task in tasks[:daily_limit]:
        decide(reviewer(), task)

    assert decide(reviewer(), tasks[-1]).completed


def test_it_resets_the_daily_limit_at_midnight_utc(daily_limit):
    with time_machine.travel(T0, tick=False) as traveller:
        tasks = first_question_tasks(daily_limit + 1)
        person = reviewer()
        for task in tasks[:daily_limit]:
            decide(person, task)

        traveller.move_to(T0.replace(hour=23, minute=59, second=59))
        with pytest.raises(ModerationError):
            decide(person, tasks[-1])

        traveller.move_to(T0.replace(hour=0) + timedelta(days=1))
        assert not daily_limit_reached(reviewer=person, queue=FIRST_QUESTIONS.slug)
        assert reviews_today(reviewer=person, queue=FIRST_QUESTIONS.slug) == 0
        assert decide(person, tasks[-1]).completed


def test_it_never_hands_a_suggester_their_own_suggestion():
    question = QuestionFactory()
    suggester = UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation - 1)
    threads_services.suggested_edit_create(
        author=suggester,
        post=question,
        title=question.title,
        body=question.body + "\n\nMy own suggestion.",
        tags=["python"],
    )
    type(suggester).objects.filter(pk=suggester.pk).update(
        reputation=QUEUES[ReviewQueue.SUGGESTED_EDITS].privilege.reputation
    )
    suggester.refresh_from_db()

    task = ReviewTask.objects.get(queue=ReviewQueue.SUGGESTED_EDITS, post=question)
    assert next_task(spec=QUEUES[ReviewQueue.SUGGESTED_EDITS], reviewer=suggester) is None
    with pytest.raises(ModerationError):
        decide(suggester, task, Decision.APPROVE)
