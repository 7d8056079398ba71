"""Review audits (posts whose right review is known) and the review bans failed audits
bring: every ``AUDIT_EVERY``-th review in Close, Low quality and First questions is a test;
``AUDIT_FAILURES_TO_SUSPEND`` failures within ``AUDIT_FAILURE_WINDOW_DAYS`` ban the reviewer
for the first of ``AUDIT_BAN_DAYS`` (escalation: tests/moderation/test_review_bans.py).
Audits never change the post."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation import rules
from moderation.flags import flag_raise
from moderation.models import (
    CloseVote,
    Decision,
    Flag,
    FlagKind,
    ModerationEvent,
    Review,
    ReviewQueue,
    ReviewSuspension,
    ReviewTask,
    TaskState,
)
from moderation.queues import QUEUES
from moderation.reviews import next_task, queue_counts, review_decide
from notifications.models import Kind, Notification
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import closer, fresh, moderator, opinion, review_setting, vote_to_close
from threads.models import ReputationCause, ReputationChange

pytestmark = pytest.mark.django_db

CLOSE = QUEUES[ReviewQueue.CLOSE]
FIRST_QUESTIONS = QUEUES[ReviewQueue.FIRST_QUESTIONS]
LOW_QUALITY = QUEUES[ReviewQueue.LOW_QUALITY]
T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def set_audit_every(settings, every: int) -> None:
    settings.QASITE = {
        **settings.QASITE,
        "REVIEW": {**settings.QASITE["REVIEW"], "AUDIT_EVERY": every},
    }


@pytest.fixture
def every_second(settings):
    set_audit_every(settings, 2)


@pytest.fixture
def every_review(settings):
    """Every review is an audit: failures pile up without regular tasks in between."""
    set_audit_every(settings, 1)


def good_question():
    return QuestionFactory(score=review_setting("AUDIT_GOOD_SCORE"))


def close_tasks(count: int) -> list[ReviewTask]:
    tasks = []
    for _ in range(count):
        question = QuestionFactory()
        vote_to_close(question, [closer()])
        tasks.append(ReviewTask.objects.get(queue=ReviewQueue.CLOSE, post=question))
    return tasks


def spam_question():
    """A question deleted by ``SPAM_OR_RUDE_TO_DELETE`` spam flags."""
    question = QuestionFactory()
    for _ in range(qasite_setting("FLAGS")["SPAM_OR_RUDE_TO_DELETE"]):
        flagger = UserFactory(reputation=Privilege.FLAG.reputation)
        flag_raise(flagger=flagger, post=question, kind=FlagKind.SPAM)
    question = fresh(question)
    assert question.deleted_at is not None
    assert ReputationChange.objects.filter(post=question, cause=ReputationCause.SPAM_PENALTY)
    return question


def decide(person, task: ReviewTask, decision: str, **extra):
    return review_decide(
        reviewer=person, task=task, decision=decision, spec=QUEUES[task.queue], **extra
    )


def fail_close_audit(person):
    audit = next_task(spec=CLOSE, reviewer=person)
    assert audit.is_audit
    result = decide(person, audit, Decision.CLOSE, reason=opinion())
    assert result.audit_passed is False
    return audit


# Serving audits ------------------------------------------------------------------------------


def test_it_serves_an_audit_as_the_reviewers_second_close_task(every_second):
    good = good_question()
    regular = close_tasks(2)
    person = closer()

    first = next_task(spec=CLOSE, reviewer=person)
    assert first == regular[0]
    assert not first.is_audit
    decide(person, first, Decision.LEAVE_OPEN)

    audit = next_task(spec=CLOSE, reviewer=person)
    assert audit.is_audit
    assert audit.post == good
    assert audit.audit_expected == Decision.LEAVE_OPEN
    assert audit.audit_for == person
    assert audit.state == TaskState.PENDING


def test_it_serves_the_same_audit_until_it_is_decided(every_second):
    good_question()
    regular = close_tasks(2)
    person = closer()
    decide(person, regular[0], Decision.LEAVE_OPEN)

    audit = next_task(spec=CLOSE, reviewer=person)

    assert next_task(spec=CLOSE, reviewer=person) == audit
    assert ReviewTask.objects.filter(is_audit=True).count() == 1


def test_it_serves_no_audit_without_a_good_question(every_second):
    QuestionFactory(score=review_setting("AUDIT_GOOD_SCORE") - 1)
    regular = close_tasks(2)
    person = closer()
    decide(person, regular[0], Decision.LEAVE_OPEN)

    assert next_task(spec=CLOSE, reviewer=person) == regular[1]
    assert not ReviewTask.objects.filter(is_audit=True).exists()


def test_it_never_audits_a_reviewer_with_their_own_post(every_review):
    person = closer()
    good_question_of_theirs = QuestionFactory(
        author=person, score=review_setting("AUDIT_GOOD_SCORE")
    )
    (regular,) = close_tasks(1)

    task = next_task(spec=CLOSE, reviewer=person)

    assert task == regular
    assert not ReviewTask.objects.filter(post=good_question_of_theirs, is_audit=True).exists()


def test_it_never_audits_moderators(every_review):
    good_question()
    (regular,) = close_tasks(1)

    assert next_task(spec=CLOSE, reviewer=moderator()) == regular


def test_it_leaves_audits_out_of_the_queue_counts(every_review):
    good_question()
    next_task(spec=CLOSE, reviewer=closer())

    assert ReviewTask.objects.filter(is_audit=True).count() == 1
    assert queue_counts().get(CLOSE.slug, 0) == 0


# Passing and failing -------------------------------------------------------------------------


def test_it_passes_a_leave_open_on_a_close_audit_without_touching_the_post(every_second):
    good = good_question()
    regular = close_tasks(2)
    person = closer()
    decide(person, regular[0], Decision.LEAVE_OPEN)
    audit = next_task(spec=CLOSE, reviewer=person)
    events_before = ModerationEvent.objects.count()

    result = decide(person, audit, Decision.LEAVE_OPEN)

    assert result.completed
    assert result.audit_passed is True
    assert result.message == ""
    assert Review.objects.get(task=audit).audit_passed is True
    audit.refresh_from_db()
    assert (audit.state, audit.outcome) == (TaskState.COMPLETED, "audit passed")
    good = fresh(good)
    assert good.closed_at is None
    assert good.close_votes_pending == 0
    assert ModerationEvent.objects.count() == events_before
    assert not ReviewTask.objects.filter(post=good, queue=ReviewQueue.CLOSE, is_audit=False)


def test_it_fails_a_close_on_a_close_audit_and_names_the_expected_decision(every_second):
    good = good_question()
    regular = close_tasks(2)
    person = closer()
    decide(person, regular[0], Decision.LEAVE_OPEN)
    audit = next_task(spec=CLOSE, reviewer=person)

    result = decide(person, audit, Decision.CLOSE, reason=opinion())

    assert result.audit_passed is False
    assert result.expected == Decision.LEAVE_OPEN.label
    assert Decision.LEAVE_OPEN.label in result.message
    assert Review.objects.get(task=audit).audit_passed is False
    audit.refresh_from_db()
    assert (audit.state, audit.outcome) == (TaskState.COMPLETED, "audit failed")
    assert not CloseVote.objects.filter(question=good).exists()
    assert fresh(good).close_votes_pending == 0
    assert not ReviewTask.objects.filter(post=good, queue=ReviewQueue.CLOSE, is_audit=False)


def test_it_leaves_regular_reviews_without_an_audit_result(every_second):
    good_question()
    regular = close_tasks(1)
    person = closer()

    decide(person, regular[0], Decision.LEAVE_OPEN)

    assert Review.objects.get(reviewer=person).audit_passed is None


def test_it_does_not_hand_out_a_skipped_audit_again(every_second):
    good_question()
    regular = close_tasks(3)
    person = closer()
    decide(person, regular[0], Decision.LEAVE_OPEN)
    audit = next_task(spec=CLOSE, reviewer=person)
    assert audit.is_audit

    decide(person, audit, Decision.SKIP)

    following = next_task(spec=CLOSE, reviewer=person)
    assert following != audit
    assert following is None or decide(person, following, Decision.LEAVE_OPEN).review


def test_it_passes_an_edit_on_a_close_audit(every_review):
    good_question()
    person = closer()
    audit = next_task(spec=CLOSE, reviewer=person)

    assert decide(person, audit, Decision.EDIT).audit_passed is True
    assert audit.post.revisions.count() == 1


def test_it_passes_an_edit_on_a_low_quality_audit(every_review):
    AnswerFactory(score=review_setting("AUDIT_GOOD_SCORE"))
    person = UserFactory(reputation=LOW_QUALITY.privilege.reputation)
    audit = next_task(spec=LOW_QUALITY, reviewer=person)

    assert decide(person, audit, Decision.EDIT).audit_passed is True


def test_it_fails_a_recommend_deletion_on_a_low_quality_audit_without_deleting(every_review):
    good = AnswerFactory(score=review_setting("AUDIT_GOOD_SCORE"))
    person = UserFactory(reputation=LOW_QUALITY.privilege.reputation)

    audit = next_task(spec=LOW_QUALITY, reviewer=person)
    assert (audit.is_audit, audit.post, audit.audit_expected) == (
        True,
        good,
        Decision.LOOKS_OK,
    )
    result = decide(person, audit, Decision.RECOMMEND_DELETION)

    assert result.audit_passed is False
    assert Decision.LOOKS_OK.label in result.message
    assert fresh(good).deleted_at is None


# First questions: a spam question is the audit -----------------------------------------------


def test_it_serves_a_question_deleted_as_spam_as_a_first_questions_audit(every_second):
    spam = spam_question()
    regular = ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=QuestionFactory())
    person = UserFactory(reputation=FIRST_QUESTIONS.privilege.reputation)
    assert next_task(spec=FIRST_QUESTIONS, reviewer=person) == regular
    decide(person, regular, Decision.LOOKS_OK)

    audit = next_task(spec=FIRST_QUESTIONS, reviewer=person)

    assert audit.is_audit
    assert audit.post == spam
    assert audit.audit_expected == Decision.FLAG


def test_it_passes_a_flag_on_a_spam_audit_without_raising_a_flag(every_review):
    spam = spam_question()
    flags_before = Flag.objects.filter(post=spam).count()
    person = UserFactory(reputation=FIRST_QUESTIONS.privilege.reputation)
    audit = next_task(spec=FIRST_QUESTIONS, reviewer=person)

    result = decide(person, audit, Decision.FLAG, flag_kind=FlagKind.SPAM)

    assert result.audit_passed is True
    assert Flag.objects.filter(post=spam).count() == flags_before
    assert not Flag.objects.filter(flagger=person).exists()


def test_it_fails_a_looks_ok_on_a_spam_audit(every_review):
    spam_question()
    person = UserFactory(reputation=FIRST_QUESTIONS.privilege.reputation)
    audit = next_task(spec=FIRST_QUESTIONS, reviewer=person)

    result = decide(person, audit, Decision.LOOKS_OK)

    assert result.audit_passed is False
    assert Decision.FLAG.label in result.message


def test_it_casts_no_close_vote_from_a_close_on_a_spam_audit(every_review):
    spam = spam_question()
    person = closer()
    audit = next_task(spec=FIRST_QUESTIONS, reviewer=person)

    result = decide(person, audit, Decision.CLOSE, reason=opinion())

    assert result.audit_passed is False
    assert not CloseVote.objects.filter(question=spam).exists()
    assert not ReviewTask.objects.filter(post=spam, queue=ReviewQueue.CLOSE).exists()


# Suspensions ---------------------------------------------------------------------------------


def test_it_suspends_a_reviewer_after_too_many_failed_audits(every_review, client):
    failures = review_setting("AUDIT_FAILURES_TO_SUSPEND")
    good_question()
    person = closer()
    with time_machine.travel(T0, tick=False):
        for _ in range(failures - 1):
            fail_close_audit(person)
        assert rules.active_review_suspension(person) is None

        fail_close_audit(person)

        suspension = ReviewSuspension.objects.get(user=person)
        assert suspension.ends_at == T0 + timedelta(days=review_setting("AUDIT_BAN_DAYS")[0])
        # The reviewer is told, and when the privileges return (docs/rules.md, "Notifications").
        told = Notification.objects.get(recipient=person, kind=Kind.REVIEW_SUSPENDED)
        assert told.details["ends_at"] == suspension.ends_at.isoformat()
        assert rules.active_review_suspension(person) == suspension
        for spec in QUEUES.values():
            with pytest.raises(PermissionDenied, match="banned from reviewing"):
                rules.check_review_queue_permission(person, spec)

        client.force_login(person)
        response = client.get(reverse("review-queue", args=[CLOSE.slug]))
        assert response.status_code == 403
        assert "banned from reviewing" in response.content.decode()

        profile = client.get(person.get_absolute_url())
        assert "Banned from reviewing" in profile.content.decode()
        index = client.get(reverse("review-index"))
        assert "You are banned from reviewing" in index.content.decode()


def test_it_shows_the_suspension_on_the_user_page_to_others(every_review, client):
    good_question()
    person = closer()
    for _ in range(review_setting("AUDIT_FAILURES_TO_SUSPEND")):
        fail_close_audit(person)

    response = client.get(person.get_absolute_url())

    assert response.status_code == 200
    assert "Banned from reviewing" in response.content.decode()


def test_it_gives_access_back_when_the_suspension_ends(every_review, client):
    good_question()
    person = closer()
    days = timedelta(days=review_setting("AUDIT_BAN_DAYS")[0])
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(review_setting("AUDIT_FAILURES_TO_SUSPEND")):
            fail_close_audit(person)
        client.force_login(person)

        traveller.move_to(T0 + days - timedelta(seconds=1))
        assert client.get(reverse("review-queue", args=[CLOSE.slug])).status_code == 403

        traveller.move_to(T0 + days + timedelta(seconds=1))
        assert rules.active_review_suspension(person) is None
        rules.check_review_queue_permission(person, CLOSE)
        assert client.get(reverse("review-queue", args=[CLOSE.slug])).status_code == 200
        profile = client.get(person.get_absolute_url()).content.decode()
        assert "Banned from reviewing" not in profile


def test_it_does_not_suspend_for_failures_spread_beyond_the_window(every_review):
    good_question()
    person = closer()
    window = timedelta(days=review_setting("AUDIT_FAILURE_WINDOW_DAYS"))
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(review_setting("AUDIT_FAILURES_TO_SUSPEND") - 1):
            fail_close_audit(person)

        traveller.move_to(T0 + window + timedelta(minutes=1))
        fail_close_audit(person)

    assert not ReviewSuspension.objects.filter(user=person).exists()


def test_it_does_not_count_passed_audits_toward_a_suspension(every_review):
    good_question()
    person = closer()
    for _ in range(review_setting("AUDIT_FAILURES_TO_SUSPEND") - 1):
        fail_close_audit(person)

    audit = next_task(spec=CLOSE, reviewer=person)
    assert decide(person, audit, Decision.LEAVE_OPEN).audit_passed is True

    assert not ReviewSuspension.objects.filter(user=person).exists()


def test_it_lets_a_suspended_moderator_review(every_review):
    mod = moderator()
    ReviewSuspension.objects.create(
        user=mod,
        reason="test",
        ends_at=T0 + timedelta(days=review_setting("AUDIT_BAN_DAYS")[0]),
    )
    with time_machine.travel(T0, tick=False):
        rules.check_review_queue_permission(mod, CLOSE)
