"""Tasks entering the review queues (docs/rules.md, "Review queues"), and leaving
them when the post changes elsewhere: deletion, an edit over a suggestion, a closure."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation import services
from moderation.flags import flag_raise
from moderation.models import (
    EventKind,
    FlagKind,
    ReviewQueue,
    ReviewTask,
    TaskState,
)
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import (
    close,
    closer,
    closers,
    events,
    fresh,
    moderator,
    review_setting,
    to_close,
    vote_to_close,
)
from threads import services as threads_services
from threads.models import SuggestedEditState

pytestmark = pytest.mark.django_db


def tasks_in(queue: ReviewQueue, post, **extra):
    return ReviewTask.objects.filter(queue=queue, post=post, is_audit=False, **extra)


def pending_in(queue: ReviewQueue, post):
    return tasks_in(queue, post, state=TaskState.PENDING)


def flagger():
    return UserFactory(reputation=Privilege.FLAG.reputation)


def old_question(**extra):
    """A question asked more than ``LATE_ANSWER_DAYS`` ago."""
    days = review_setting("LATE_ANSWER_DAYS")
    return QuestionFactory(created_at=timezone.now() - timedelta(days=days, hours=1), **extra)


def low_rep_answerer():
    """A user below ``LATE_ANSWER_MAX_REPUTATION`` who has answered before."""
    user = UserFactory(reputation=review_setting("LATE_ANSWER_MAX_REPUTATION") - 1)
    AnswerFactory(author=user)
    return user


def edit(post, editor, body: str):
    post = fresh(post)
    tags = sorted(post.tags.names()) if post.is_question else None
    return threads_services.post_edit(
        editor=editor, post=post, title=post.title, body=body, tags=tags
    )


# First posts ---------------------------------------------------------------------------------


def test_it_queues_a_users_first_question_but_not_their_second():
    asker = UserFactory()
    first = QuestionFactory(author=asker)
    second = QuestionFactory(author=asker)

    assert pending_in(ReviewQueue.FIRST_QUESTIONS, first).count() == 1
    assert not tasks_in(ReviewQueue.FIRST_QUESTIONS, second).exists()


def test_it_queues_a_users_first_answer_but_not_their_second():
    answerer = UserFactory()
    first = AnswerFactory(author=answerer)
    second = AnswerFactory(author=answerer)

    assert pending_in(ReviewQueue.FIRST_ANSWERS, first).count() == 1
    assert not tasks_in(ReviewQueue.FIRST_ANSWERS, second).exists()
    assert not ReviewTask.objects.filter(post=second).exists()


def test_it_counts_first_questions_and_first_answers_apart():
    user = UserFactory()
    QuestionFactory(author=user)
    answer = AnswerFactory(author=user)

    assert pending_in(ReviewQueue.FIRST_ANSWERS, answer).exists()


# Late answers --------------------------------------------------------------------------------


def test_it_queues_a_late_answer_from_a_user_with_little_reputation():
    question = old_question()
    answer = AnswerFactory(author=low_rep_answerer(), question=question)

    assert pending_in(ReviewQueue.LATE_ANSWERS, answer).count() == 1
    assert not tasks_in(ReviewQueue.FIRST_ANSWERS, answer).exists()


def test_it_queues_a_late_answer_with_time_passing():
    question = QuestionFactory()
    answerer = low_rep_answerer()
    later = timezone.now() + timedelta(days=review_setting("LATE_ANSWER_DAYS"), minutes=1)

    with time_machine.travel(later, tick=False):
        answer = AnswerFactory(author=answerer, question=question)

    assert pending_in(ReviewQueue.LATE_ANSWERS, answer).exists()


def test_it_does_not_queue_an_answer_within_the_late_answer_days():
    days = review_setting("LATE_ANSWER_DAYS")
    question = QuestionFactory(created_at=timezone.now() - timedelta(days=days, hours=-1))
    answer = AnswerFactory(author=low_rep_answerer(), question=question)

    assert not ReviewTask.objects.filter(post=answer).exists()


def test_it_does_not_queue_a_late_answer_from_a_user_with_enough_reputation():
    answerer = UserFactory(reputation=review_setting("LATE_ANSWER_MAX_REPUTATION"))
    AnswerFactory(author=answerer)
    answer = AnswerFactory(author=answerer, question=old_question())

    assert not ReviewTask.objects.filter(post=answer).exists()


def test_it_sends_a_late_first_answer_to_first_answers_only():
    answerer = UserFactory(reputation=review_setting("LATE_ANSWER_MAX_REPUTATION") - 1)
    answer = AnswerFactory(author=answerer, question=old_question())

    assert pending_in(ReviewQueue.FIRST_ANSWERS, answer).exists()
    assert not tasks_in(ReviewQueue.LATE_ANSWERS, answer).exists()


# Close and reopen ----------------------------------------------------------------------------


def test_it_queues_a_question_on_its_first_close_vote():
    question = QuestionFactory()
    assert not tasks_in(ReviewQueue.CLOSE, question).exists()

    vote_to_close(question, [closer()])

    assert pending_in(ReviewQueue.CLOSE, question).count() == 1


def test_it_keeps_one_close_task_however_many_votes():
    question = QuestionFactory()

    vote_to_close(question, closers(to_close() - 1))

    assert tasks_in(ReviewQueue.CLOSE, question).count() == 1
    assert pending_in(ReviewQueue.CLOSE, question).count() == 1


@pytest.mark.parametrize("on_answer", [False, True])
def test_it_queues_the_question_on_a_needs_improvement_flag(on_answer):
    question = QuestionFactory()
    target = AnswerFactory(question=question) if on_answer else question

    flag_raise(flagger=flagger(), post=target, kind=FlagKind.NEEDS_IMPROVEMENT)
    flag_raise(flagger=flagger(), post=target, kind=FlagKind.NEEDS_IMPROVEMENT)

    assert pending_in(ReviewQueue.CLOSE, question).count() == 1
    assert not tasks_in(ReviewQueue.CLOSE, target).exclude(post=question).exists()


def test_it_queues_a_closed_question_on_a_reopen_vote():
    question = close(QuestionFactory())
    assert not tasks_in(ReviewQueue.REOPEN, question).exists()

    services.reopen_vote_cast(voter=closer(), question=question)
    services.reopen_vote_cast(voter=closer(), question=question)

    assert pending_in(ReviewQueue.REOPEN, question).count() == 1


def test_it_queues_a_closed_question_the_asker_edits_soon_after_closing():
    question = close(QuestionFactory())

    edit(question, question.author, question.body + "\n\nHere is the missing detail.")

    assert pending_in(ReviewQueue.REOPEN, question).count() == 1
    assert events(question, EventKind.EDITED_WHILE_CLOSED).count() == 1


def test_it_queues_an_asker_edit_on_the_last_day_of_the_window():
    question = close(QuestionFactory())
    window = timedelta(days=qasite_setting("REOPEN_REVIEW_EDIT_DAYS"))

    with time_machine.travel(question.closed_at + window - timedelta(minutes=1), tick=False):
        edit(question, question.author, question.body + "\n\nClarified at last.")

    assert pending_in(ReviewQueue.REOPEN, question).exists()


def test_it_does_not_queue_an_asker_edit_after_the_window():
    question = close(QuestionFactory())
    window = timedelta(days=qasite_setting("REOPEN_REVIEW_EDIT_DAYS"))

    with time_machine.travel(question.closed_at + window + timedelta(minutes=1), tick=False):
        edit(question, question.author, question.body + "\n\nToo late to count.")

    assert not tasks_in(ReviewQueue.REOPEN, question).exists()
    assert not events(question, EventKind.EDITED_WHILE_CLOSED).exists()


def test_it_does_not_queue_a_closed_question_edited_by_someone_else():
    question = close(QuestionFactory())
    editor = UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation)

    edit(question, editor, question.body + "\n\nAn editor's touch.")

    assert not tasks_in(ReviewQueue.REOPEN, question).exists()


def test_it_does_not_queue_an_open_question_the_asker_edits():
    question = QuestionFactory()

    edit(question, question.author, question.body + "\n\nMore.")

    assert not tasks_in(ReviewQueue.REOPEN, question).exists()


# Low quality ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [FlagKind.VERY_LOW_QUALITY, FlagKind.NOT_AN_ANSWER])
def test_it_queues_an_answer_flagged_as_low_quality(kind):
    answer = AnswerFactory()

    flag_raise(flagger=flagger(), post=answer, kind=kind)
    flag_raise(flagger=flagger(), post=answer, kind=kind)

    assert pending_in(ReviewQueue.LOW_QUALITY, answer).count() == 1


def test_it_queues_a_question_flagged_as_very_low_quality():
    question = QuestionFactory()

    flag_raise(flagger=flagger(), post=question, kind=FlagKind.VERY_LOW_QUALITY)

    assert pending_in(ReviewQueue.LOW_QUALITY, question).count() == 1


@pytest.mark.parametrize("kind", [FlagKind.SPAM, FlagKind.RUDE, FlagKind.NEEDS_IMPROVEMENT])
def test_it_does_not_queue_other_flags_as_low_quality(kind):
    answer = AnswerFactory()

    flag_raise(flagger=flagger(), post=answer, kind=kind)

    assert not tasks_in(ReviewQueue.LOW_QUALITY, answer).exists()


# Suggested edits -----------------------------------------------------------------------------


def test_it_queues_a_suggested_edit_linked_to_the_suggestion():
    question = QuestionFactory()
    suggester = UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation - 1)

    suggestion = threads_services.suggested_edit_create(
        author=suggester,
        post=question,
        title=question.title,
        body=question.body + "\n\nFixed the wording.",
        tags=["python"],
        summary="wording",
    )

    task = pending_in(ReviewQueue.SUGGESTED_EDITS, question).get()
    assert task.suggested_edit == suggestion


# Leaving the queues --------------------------------------------------------------------------


def test_it_invalidates_the_pending_tasks_of_a_deleted_post():
    question = QuestionFactory()
    flag_raise(flagger=flagger(), post=question, kind=FlagKind.VERY_LOW_QUALITY)
    vote_to_close(question, [closer()])
    assert ReviewTask.objects.filter(post=question, state=TaskState.PENDING).count() == 3

    threads_services.post_delete(actor=moderator(), post=question)

    tasks = ReviewTask.objects.filter(post=question)
    assert set(tasks.values_list("state", flat=True)) == {TaskState.INVALIDATED}
    assert set(tasks.values_list("outcome", flat=True)) == {"deleted"}
    assert all(task.completed_at is not None for task in tasks)


def test_it_invalidates_a_deleted_answers_tasks_only():
    answer = AnswerFactory()
    question = answer.parent

    threads_services.post_delete(actor=moderator(), post=answer)

    assert tasks_in(ReviewQueue.FIRST_ANSWERS, answer).get().state == TaskState.INVALIDATED
    assert pending_in(ReviewQueue.FIRST_QUESTIONS, question).exists()


def test_it_invalidates_a_suggestion_task_when_the_post_is_edited():
    question = QuestionFactory()
    suggestion = threads_services.suggested_edit_create(
        author=UserFactory(),
        post=question,
        title=question.title,
        body=question.body + "\n\nA suggestion.",
        tags=["python"],
    )
    task = pending_in(ReviewQueue.SUGGESTED_EDITS, question).get()

    edit(question, UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation), "Rewritten. " * 5)

    suggestion.refresh_from_db()
    task.refresh_from_db()
    assert suggestion.state == SuggestedEditState.SUPERSEDED
    assert task.state == TaskState.INVALIDATED
    assert task.outcome == "edited"


def test_it_completes_the_close_task_when_votes_close_the_question():
    question = QuestionFactory()
    vote_to_close(question, closers(to_close() - 1))
    task = pending_in(ReviewQueue.CLOSE, question).get()

    vote_to_close(question, [closer()])

    task.refresh_from_db()
    assert fresh(question).closed_at is not None
    assert task.state == TaskState.COMPLETED
    assert task.outcome == "closed"
    assert task.completed_at is not None


def test_it_completes_the_reopen_task_when_votes_reopen_the_question():
    question = close(QuestionFactory())
    voters = closers(qasite_setting("REOPEN_VOTES_TO_REOPEN"))
    services.reopen_vote_cast(voter=voters[0], question=question)
    task = pending_in(ReviewQueue.REOPEN, question).get()

    for voter in voters[1:]:
        services.reopen_vote_cast(voter=voter, question=question)

    task.refresh_from_db()
    assert fresh(question).closed_at is None
    assert (task.state, task.outcome) == (TaskState.COMPLETED, "reopened")


def test_it_lets_suggestions_resume_after_a_post_with_one_is_deleted_and_undeleted():
    question = QuestionFactory()
    threads_services.suggested_edit_create(
        author=UserFactory(),
        post=question,
        title=question.title,
        body=question.body + "\n\nA suggestion.",
        tags=["python"],
    )
    mod = moderator()
    threads_services.post_delete(actor=mod, post=question)
    threads_services.post_undelete(actor=mod, post=question)

    waiting = pending_in(ReviewQueue.SUGGESTED_EDITS, question).exists()
    if not waiting:
        threads_services.suggested_edit_create(
            author=UserFactory(),
            post=fresh(question),
            title=question.title,
            body=question.body + "\n\nAnother suggestion.",
            tags=["python"],
        )
        waiting = pending_in(ReviewQueue.SUGGESTED_EDITS, question).exists()
    assert waiting
