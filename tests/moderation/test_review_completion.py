"""Each queue's completion rule (docs/rules.md, "Review queues"), through
``moderation.reviews.review_decide``: a Close review is a close vote, Leave open clears the
pending votes, first posts take one review, low quality and suggested edits two agreeing
ones, and a moderator decides any task alone."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation import services
from moderation.flags import flag_raise
from moderation.models import (
    CloseVote,
    Decision,
    EventKind,
    Flag,
    FlagKind,
    ReopenVote,
    Review,
    ReviewQueue,
    ReviewTask,
    TaskState,
    VoteState,
)
from moderation.queues import QUEUES
from moderation.reviews import review_decide
from moderation.services import ModerationError
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import (
    close,
    closer,
    events,
    flagged_low_quality,
    fresh,
    moderator,
    opinion,
    review_setting,
    reviewers,
    to_close,
    to_reopen,
    vote_to_close,
)
from threads import services as threads_services
from threads.models import (
    LockKind,
    ReputationCause,
    ReputationChange,
    RevisionKind,
    SuggestedEditState,
)
from threads.reputation import reputation_credit

pytestmark = pytest.mark.django_db


def task_of(queue: ReviewQueue, post) -> ReviewTask:
    return ReviewTask.objects.get(queue=queue, post=post, is_audit=False)


def decide(reviewer, task: ReviewTask, decision: str, **extra):
    return review_decide(
        reviewer=reviewer, task=task, decision=decision, spec=QUEUES[task.queue], **extra
    )


def flagger():
    return UserFactory(reputation=Privilege.FLAG.reputation)


def flagged_for_improvement():
    """A question in the Close queue without any close vote yet."""
    question = QuestionFactory()
    flag_raise(flagger=flagger(), post=question, kind=FlagKind.NEEDS_IMPROVEMENT)
    return question, task_of(ReviewQueue.CLOSE, question)


def with_one_close_vote():
    question = QuestionFactory()
    vote_to_close(question, [closer()])
    return question, task_of(ReviewQueue.CLOSE, question)


def edited_after_closing():
    """A closed question its asker edited: in the Reopen queue without a reopen vote."""
    question = close(QuestionFactory())
    threads_services.post_edit(
        editor=question.author,
        post=question,
        title=question.title,
        body=question.body + "\n\nThe details the closers asked for.",
        tags=["python"],
    )
    return fresh(question), task_of(ReviewQueue.REOPEN, question)


def suggested(post=None, suggester=None):
    post = post or QuestionFactory()
    suggester = suggester or UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation - 1)
    body = post.body + "\n\nA clearer closing paragraph."
    suggestion = threads_services.suggested_edit_create(
        author=suggester, post=post, title=post.title, body=body, tags=["python"], summary="clarity"
    )
    task = ReviewTask.objects.get(queue=ReviewQueue.SUGGESTED_EDITS, suggested_edit=suggestion)
    return suggestion, task


def state(task: ReviewTask) -> tuple[str, str]:
    task.refresh_from_db()
    return task.state, task.outcome


# Close votes ---------------------------------------------------------------------------------


def test_it_counts_a_close_review_as_a_close_vote_and_closes_at_the_threshold():
    question, task = flagged_for_improvement()
    voters = reviewers(ReviewQueue.CLOSE, to_close())

    for count, voter in enumerate(voters[:-1], start=1):
        result = decide(voter, task, Decision.CLOSE, reason=opinion())
        assert not result.completed
        assert fresh(question).close_votes_pending == count
        assert state(task) == (TaskState.PENDING, "")

    result = decide(voters[-1], task, Decision.CLOSE, reason=opinion())

    assert result.completed
    assert fresh(question).closed_at is not None
    assert state(task) == (TaskState.COMPLETED, "closed")
    assert set(CloseVote.objects.filter(question=question).values_list("voter", flat=True)) == {
        voter.pk for voter in voters
    }
    assert events(question, EventKind.CLOSED).count() == 1


def test_it_refuses_a_close_review_without_a_reason():
    question, task = flagged_for_improvement()
    (voter,) = reviewers(ReviewQueue.CLOSE, 1)

    with pytest.raises(ModerationError, match="Choose why"):
        decide(voter, task, Decision.CLOSE)

    assert not Review.objects.filter(task=task).exists()
    assert not CloseVote.objects.filter(question=question).exists()


def test_it_leaves_open_after_enough_leave_open_or_edit_reviews_and_clears_the_votes():
    question, task = with_one_close_vote()
    needed = review_setting("CLOSE_LEAVE_OPEN_TO_COMPLETE")
    people = reviewers(ReviewQueue.CLOSE, needed)
    decisions = [Decision.LEAVE_OPEN] * (needed - 1) + [Decision.EDIT]

    for person, decision in zip(people[:-1], decisions[:-1], strict=True):
        assert not decide(person, task, decision).completed
    assert CloseVote.objects.get(question=question).state == VoteState.PENDING

    result = decide(people[-1], task, decisions[-1])

    assert result.completed
    assert state(task) == (TaskState.COMPLETED, "leave open")
    assert CloseVote.objects.get(question=question).state == VoteState.CLEARED
    question = fresh(question)
    assert question.close_votes_pending == 0
    assert question.closed_at is None
    cleared = events(question, EventKind.CLOSE_VOTES_CLEARED).get()
    assert cleared.actor is None
    assert cleared.details == {"cleared": 1}


def test_it_counts_edit_reviews_with_leave_open():
    question, task = with_one_close_vote()
    needed = review_setting("CLOSE_LEAVE_OPEN_TO_COMPLETE")

    for person in reviewers(ReviewQueue.CLOSE, needed):
        decide(person, task, Decision.EDIT)

    assert state(task) == (TaskState.COMPLETED, "leave open")


def test_it_starts_a_new_close_task_on_a_vote_after_leave_open():
    question, task = with_one_close_vote()
    for person in reviewers(ReviewQueue.CLOSE, review_setting("CLOSE_LEAVE_OPEN_TO_COMPLETE")):
        decide(person, task, Decision.LEAVE_OPEN)

    vote_to_close(question, [closer()])

    assert fresh(question).close_votes_pending == 1
    assert ReviewTask.objects.filter(
        queue=ReviewQueue.CLOSE, post=question, state=TaskState.PENDING
    ).exists()


# Reopen votes --------------------------------------------------------------------------------


def test_it_counts_a_reopen_review_as_a_reopen_vote_and_reopens_at_the_threshold():
    question, task = edited_after_closing()
    voters = reviewers(ReviewQueue.REOPEN, to_reopen())

    for voter in voters[:-1]:
        assert not decide(voter, task, Decision.REOPEN).completed
    assert fresh(question).reopen_votes_pending == to_reopen() - 1

    result = decide(voters[-1], task, Decision.REOPEN)

    assert result.completed
    assert fresh(question).closed_at is None
    assert state(task) == (TaskState.COMPLETED, "reopened")
    assert ReopenVote.objects.filter(question=question).count() == to_reopen()


def test_it_completes_a_reopen_task_after_enough_leave_closed():
    question, task = edited_after_closing()
    people = reviewers(ReviewQueue.REOPEN, review_setting("REOPEN_LEAVE_CLOSED_TO_COMPLETE"))

    for person in people[:-1]:
        assert not decide(person, task, Decision.LEAVE_CLOSED).completed

    assert decide(people[-1], task, Decision.LEAVE_CLOSED).completed
    assert state(task) == (TaskState.COMPLETED, "leave closed")
    assert fresh(question).closed_at is not None


def test_leave_closed_clears_the_pending_reopen_votes_and_records_it():
    question = close(QuestionFactory())
    voter = closer()
    services.reopen_vote_cast(voter=voter, question=question)
    task = task_of(ReviewQueue.REOPEN, question)
    people = reviewers(ReviewQueue.REOPEN, review_setting("REOPEN_LEAVE_CLOSED_TO_COMPLETE"))

    for person in people:
        decide(person, task, Decision.LEAVE_CLOSED)

    assert state(task) == (TaskState.COMPLETED, "leave closed")
    question = fresh(question)
    assert (question.reopen_votes_pending, question.last_reopen_vote_at) == (0, None)
    assert ReopenVote.objects.get(question=question).state == VoteState.CLEARED
    cleared = events(question, EventKind.REOPEN_VOTES_CLEARED).get()
    assert (cleared.actor, cleared.details) == (None, {"cleared": 1})
    # A cleared vote is not the voter's retraction: they may vote to reopen again.
    services.reopen_vote_cast(voter=voter, question=question)
    assert fresh(question).reopen_votes_pending == 1


# First posts and late answers ----------------------------------------------------------------


@pytest.mark.parametrize("decision", [Decision.LOOKS_OK, Decision.EDIT])
def test_it_completes_a_first_question_with_one_review(decision):
    question = QuestionFactory()
    task = task_of(ReviewQueue.FIRST_QUESTIONS, question)
    (reviewer,) = reviewers(ReviewQueue.FIRST_QUESTIONS, 1)

    result = decide(reviewer, task, decision)

    assert result.completed
    assert state(task) == (TaskState.COMPLETED, decision.value)
    assert task.completed_at is not None


def test_it_flags_a_first_question_from_review():
    question = QuestionFactory()
    task = task_of(ReviewQueue.FIRST_QUESTIONS, question)
    (reviewer,) = reviewers(ReviewQueue.FIRST_QUESTIONS, 1)

    result = decide(reviewer, task, Decision.FLAG, flag_kind=FlagKind.RUDE)

    assert result.completed
    assert state(task) == (TaskState.COMPLETED, "flagged")
    flag = Flag.objects.get(post=question)
    assert (flag.flagger, flag.kind) == (reviewer, FlagKind.RUDE)


def test_it_refuses_a_flag_review_without_a_kind():
    question = QuestionFactory()
    task = task_of(ReviewQueue.FIRST_QUESTIONS, question)
    (reviewer,) = reviewers(ReviewQueue.FIRST_QUESTIONS, 1)

    with pytest.raises(ModerationError):
        decide(reviewer, task, Decision.FLAG)

    assert not Review.objects.filter(task=task).exists()
    assert state(task) == (TaskState.PENDING, "")


def test_it_casts_a_close_vote_from_a_first_question_review():
    question = QuestionFactory()
    task = task_of(ReviewQueue.FIRST_QUESTIONS, question)
    (reviewer,) = reviewers(ReviewQueue.CLOSE, 1)

    result = decide(reviewer, task, Decision.CLOSE, reason=opinion())

    assert result.completed
    assert state(task) == (TaskState.COMPLETED, "close")
    vote = CloseVote.objects.get(question=question)
    assert (vote.voter, vote.state) == (reviewer, VoteState.PENDING)
    assert fresh(question).close_votes_pending == 1
    assert task_of(ReviewQueue.CLOSE, question).state == TaskState.PENDING


def test_a_moderators_close_from_first_questions_closes_the_question_and_completes_the_task():
    question = QuestionFactory()
    task = task_of(ReviewQueue.FIRST_QUESTIONS, question)

    assert decide(moderator(), task, Decision.CLOSE, reason=opinion()).completed

    assert fresh(question).closed_at is not None
    assert state(task) == (TaskState.COMPLETED, "close")


def test_it_completes_a_first_answer_with_one_flag_review():
    answer = AnswerFactory()
    task = task_of(ReviewQueue.FIRST_ANSWERS, answer)
    (reviewer,) = reviewers(ReviewQueue.FIRST_ANSWERS, 1)

    decide(reviewer, task, Decision.FLAG, flag_kind=FlagKind.NOT_AN_ANSWER)

    assert state(task) == (TaskState.COMPLETED, "flagged")
    assert Flag.objects.filter(post=answer, kind=FlagKind.NOT_AN_ANSWER).exists()
    assert task_of(ReviewQueue.LOW_QUALITY, answer).state == TaskState.PENDING


def test_it_completes_a_first_answer_with_one_looks_ok():
    answer = AnswerFactory()
    task = task_of(ReviewQueue.FIRST_ANSWERS, answer)
    (reviewer,) = reviewers(ReviewQueue.FIRST_ANSWERS, 1)

    assert decide(reviewer, task, Decision.LOOKS_OK).completed
    assert state(task) == (TaskState.COMPLETED, "looks_ok")


def test_it_completes_a_late_answer_with_one_review():
    answerer = UserFactory(reputation=review_setting("LATE_ANSWER_MAX_REPUTATION") - 1)
    AnswerFactory(author=answerer)
    days = review_setting("LATE_ANSWER_DAYS")
    question = QuestionFactory(created_at=timezone.now() - timedelta(days=days + 1))
    answer = AnswerFactory(author=answerer, question=question)
    task = task_of(ReviewQueue.LATE_ANSWERS, answer)
    (reviewer,) = reviewers(ReviewQueue.LATE_ANSWERS, 1)

    assert decide(reviewer, task, Decision.EDIT).completed
    assert state(task) == (TaskState.COMPLETED, "edit")


@pytest.mark.parametrize(
    "queue", [ReviewQueue.FIRST_ANSWERS, ReviewQueue.LATE_ANSWERS, ReviewQueue.REOPEN]
)
def test_it_refuses_a_decision_the_queue_does_not_offer(queue):
    question = QuestionFactory()
    task = task_of(ReviewQueue.FIRST_QUESTIONS, question)
    (reviewer,) = reviewers(queue, 1)

    with pytest.raises(ModerationError, match="isn't offered"):
        review_decide(reviewer=reviewer, task=task, decision=Decision.APPROVE, spec=QUEUES[queue])

    assert not Review.objects.exists()


# Low quality ---------------------------------------------------------------------------------


def test_it_deletes_a_low_quality_post_after_enough_recommendations():
    answer, task = flagged_low_quality()
    people = reviewers(ReviewQueue.LOW_QUALITY, review_setting("LOW_QUALITY_AGREEING"))

    for person in people[:-1]:
        assert not decide(person, task, Decision.RECOMMEND_DELETION).completed
        assert fresh(answer).deleted_at is None

    assert decide(people[-1], task, Decision.RECOMMEND_DELETION).completed
    assert fresh(answer).deleted_at is not None
    assert events(answer, EventKind.DELETED).filter(post=answer).exists()
    assert state(task) == (TaskState.COMPLETED, "deleted")


def test_it_marks_a_low_quality_task_deleted_by_reviewers_as_completed():
    answer, task = flagged_low_quality()

    for person in reviewers(ReviewQueue.LOW_QUALITY, review_setting("LOW_QUALITY_AGREEING")):
        decide(person, task, Decision.RECOMMEND_DELETION)

    assert state(task) == (TaskState.COMPLETED, "deleted")


def test_it_keeps_a_low_quality_post_after_enough_looks_ok():
    answer, task = flagged_low_quality()
    people = reviewers(ReviewQueue.LOW_QUALITY, review_setting("LOW_QUALITY_AGREEING"))

    for person in people[:-1]:
        assert not decide(person, task, Decision.LOOKS_OK).completed

    assert decide(people[-1], task, Decision.LOOKS_OK).completed
    assert state(task) == (TaskState.COMPLETED, "looks ok")
    assert fresh(answer).deleted_at is None


def test_it_keeps_a_low_quality_task_pending_while_reviewers_disagree():
    answer, task = flagged_low_quality()
    first, second, third = reviewers(ReviewQueue.LOW_QUALITY, 3)

    decide(first, task, Decision.RECOMMEND_DELETION)
    result = decide(second, task, Decision.LOOKS_OK)

    assert not result.completed
    assert state(task) == (TaskState.PENDING, "")
    assert fresh(answer).deleted_at is None

    decide(third, task, Decision.RECOMMEND_DELETION)
    assert fresh(answer).deleted_at is not None


# Suggested edits -----------------------------------------------------------------------------


def test_it_applies_a_suggested_edit_after_enough_approvals():
    suggestion, task = suggested()
    post = suggestion.post
    before = fresh(post).body
    people = reviewers(ReviewQueue.SUGGESTED_EDITS, review_setting("SUGGESTED_EDIT_AGREEING"))
    reputation = suggestion.author.reputation
    gain = qasite_setting("REPUTATION")["SUGGESTED_EDIT_APPROVED"]

    for person in people[:-1]:
        assert not decide(person, task, Decision.APPROVE).completed
    assert fresh(post).body == before

    assert decide(people[-1], task, Decision.APPROVE).completed

    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.APPROVED
    assert state(task) == (TaskState.COMPLETED, "approved")
    post = fresh(post)
    assert post.body == suggestion.body
    revision = post.revisions.order_by("-number").first()
    assert (revision.kind, revision.editor) == (RevisionKind.SUGGESTED, suggestion.author)
    suggestion.author.refresh_from_db()
    assert suggestion.author.reputation == reputation + gain
    ledger = ReputationChange.objects.get(user=suggestion.author)
    assert (ledger.cause, ledger.amount, ledger.post) == (ReputationCause.EDIT_APPROVED, gain, post)


def test_it_gives_nothing_to_a_suggester_at_the_cap():
    suggester = UserFactory(reputation=Privilege.FLAG.reputation)
    cap = qasite_setting("REPUTATION")["SUGGESTED_EDIT_CAP"]
    reputation_credit(user_id=suggester.pk, amount=cap, cause=ReputationCause.EDIT_APPROVED)
    suggester.refresh_from_db()
    reputation = suggester.reputation
    suggestion, task = suggested(suggester=suggester)

    for person in reviewers(ReviewQueue.SUGGESTED_EDITS, review_setting("SUGGESTED_EDIT_AGREEING")):
        decide(person, task, Decision.APPROVE)

    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.APPROVED
    suggester.refresh_from_db()
    assert suggester.reputation == reputation
    assert ReputationChange.objects.filter(user=suggester).count() == 1


def test_it_gives_a_suggester_just_below_the_cap_what_remains():
    suggester = UserFactory(reputation=Privilege.FLAG.reputation)
    cap = qasite_setting("REPUTATION")["SUGGESTED_EDIT_CAP"]
    reputation_credit(user_id=suggester.pk, amount=cap - 1, cause=ReputationCause.EDIT_APPROVED)
    suggestion, task = suggested(suggester=suggester)

    for person in reviewers(ReviewQueue.SUGGESTED_EDITS, review_setting("SUGGESTED_EDIT_AGREEING")):
        decide(person, task, Decision.APPROVE)

    latest = ReputationChange.objects.filter(user=suggester).latest("pk")
    assert (latest.cause, latest.amount) == (ReputationCause.EDIT_APPROVED, 1)


def test_it_rejects_a_suggested_edit_after_enough_rejections_with_their_reasons():
    suggestion, task = suggested()
    before = fresh(suggestion.post).body
    people = reviewers(ReviewQueue.SUGGESTED_EDITS, review_setting("SUGGESTED_EDIT_AGREEING"))
    reasons = [f"Reason number {index}: it changes the meaning" for index in range(len(people))]

    for person, reason in zip(people[:-1], reasons[:-1], strict=True):
        assert not decide(person, task, Decision.REJECT, comment=reason).completed

    assert decide(people[-1], task, Decision.REJECT, comment=reasons[-1]).completed

    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.REJECTED
    assert all(reason in suggestion.reject_reason for reason in reasons)
    assert state(task) == (TaskState.COMPLETED, "rejected")
    post = fresh(suggestion.post)
    assert post.body == before
    assert not post.suggested_edit_pending


def test_it_refuses_a_rejection_without_a_reason():
    suggestion, task = suggested()
    (person,) = reviewers(ReviewQueue.SUGGESTED_EDITS, 1)

    with pytest.raises(ModerationError, match="why"):
        decide(person, task, Decision.REJECT, comment="   ")

    assert not Review.objects.filter(task=task).exists()
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.PENDING


def test_it_applies_an_improved_edit_at_once_with_the_reviewers_text():
    suggestion, task = suggested()
    (person,) = reviewers(ReviewQueue.SUGGESTED_EDITS, 1)
    improved = suggestion.body + "\n\nAnd a typo fixed by the reviewer."

    result = decide(person, task, Decision.IMPROVE, improved={"body": improved})

    assert result.completed
    assert state(task) == (TaskState.COMPLETED, "improved")
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.APPROVED
    post = fresh(suggestion.post)
    assert post.body == improved
    revision = post.revisions.order_by("-number").first()
    assert (revision.kind, revision.editor) == (RevisionKind.SUGGESTED, suggestion.author)
    assert person.name in revision.summary
    gain = qasite_setting("REPUTATION")["SUGGESTED_EDIT_APPROVED"]
    assert ReputationChange.objects.get(user=suggestion.author).amount == gain


def test_it_refuses_an_improved_edit_without_text():
    suggestion, task = suggested()
    (person,) = reviewers(ReviewQueue.SUGGESTED_EDITS, 1)

    with pytest.raises(ModerationError, match="Improve"):
        decide(person, task, Decision.IMPROVE, improved={"body": "  "})

    assert not Review.objects.filter(task=task).exists()
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.PENDING


def test_it_keeps_approvals_and_rejections_apart():
    suggestion, task = suggested()
    approver, rejecter = reviewers(ReviewQueue.SUGGESTED_EDITS, 2)

    decide(approver, task, Decision.APPROVE)
    decide(rejecter, task, Decision.REJECT, comment="No improvement")

    assert state(task) == (TaskState.PENDING, "")
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.PENDING


# Moderators ----------------------------------------------------------------------------------


def test_it_lets_a_moderator_leave_open_alone():
    question, task = with_one_close_vote()
    mod = moderator()

    assert decide(mod, task, Decision.LEAVE_OPEN).completed

    assert state(task) == (TaskState.COMPLETED, "leave open")
    assert CloseVote.objects.get(question=question).state == VoteState.CLEARED
    assert events(question, EventKind.CLOSE_VOTES_CLEARED).get().actor == mod


def test_it_lets_a_moderator_recommend_deletion_alone():
    answer, task = flagged_low_quality()
    mod = moderator()

    assert decide(mod, task, Decision.RECOMMEND_DELETION).completed

    assert fresh(answer).deleted_at is not None
    assert events(answer, EventKind.DELETED).get().actor == mod


def test_it_lets_a_moderator_approve_alone():
    suggestion, task = suggested()

    assert decide(moderator(), task, Decision.APPROVE).completed

    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.APPROVED
    assert state(task) == (TaskState.COMPLETED, "approved")


def test_it_lets_a_moderator_reject_alone():
    suggestion, task = suggested()

    assert decide(moderator(), task, Decision.REJECT, comment="Vandalism").completed

    suggestion.refresh_from_db()
    assert suggestion.state == SuggestedEditState.REJECTED
    assert suggestion.reject_reason == "Vandalism"


def test_it_lets_a_moderator_leave_closed_alone():
    question, task = edited_after_closing()

    assert decide(moderator(), task, Decision.LEAVE_CLOSED).completed

    assert state(task) == (TaskState.COMPLETED, "leave closed")
    assert fresh(question).closed_at is not None


def test_it_lets_a_moderator_close_alone_from_review():
    question, task = flagged_for_improvement()

    assert decide(moderator(), task, Decision.CLOSE, reason=opinion()).completed

    assert fresh(question).closed_at is not None
    assert state(task) == (TaskState.COMPLETED, "closed")


def test_it_lets_a_moderator_keep_a_low_quality_post_alone():
    answer, task = flagged_low_quality()

    assert decide(moderator(), task, Decision.LOOKS_OK).completed

    assert state(task) == (TaskState.COMPLETED, "looks ok")


def test_it_needs_agreement_from_regular_reviewers_even_after_a_moderators_review():
    """A moderator's skip decides nothing; the task still needs the regular count."""
    answer, task = flagged_low_quality()
    decide(moderator(), task, Decision.SKIP)
    (person,) = reviewers(ReviewQueue.LOW_QUALITY, 1)

    assert not decide(person, task, Decision.LOOKS_OK).completed
    assert state(task) == (TaskState.PENDING, "")


# What a review may do ------------------------------------------------------------------------


def test_it_refuses_a_close_from_a_first_questions_reviewer_without_the_close_privilege():
    question = QuestionFactory()
    task = task_of(ReviewQueue.FIRST_QUESTIONS, question)
    (reviewer,) = reviewers(ReviewQueue.FIRST_QUESTIONS, 1)
    assert reviewer.reputation < Privilege.CAST_CLOSE_VOTES.reputation

    with pytest.raises((ModerationError, PermissionDenied)):
        decide(reviewer, task, Decision.CLOSE, reason=opinion())

    assert not CloseVote.objects.filter(question=question).exists()
    assert state(task) == (TaskState.PENDING, "")


def test_it_refuses_a_close_review_on_a_locked_question():
    question, task = with_one_close_vote()
    services.post_lock(
        actor=moderator(), post=question, kind=LockKind.CONTENT_DISPUTE, duration="1d"
    )
    (voter,) = reviewers(ReviewQueue.CLOSE, 1)

    with pytest.raises((ModerationError, PermissionDenied)):
        decide(voter, task, Decision.CLOSE, reason=opinion())

    assert CloseVote.objects.filter(question=question).count() == 1
