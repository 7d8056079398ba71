"""Close votes through ``moderation.services``: the threshold, the notice, plurality, binding
votes, retraction, and bad input that must change nothing."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from moderation import services
from moderation.aging import close_votes_counting
from moderation.models import CloseVote, EventKind, VoteState
from moderation.services import ModerationError
from tests.factories import AnswerFactory, QuestionFactory
from tests.moderation import (
    answered_question,
    career,
    close,
    close_votes,
    closer,
    closers,
    duplicate,
    events,
    fresh,
    moderator,
    needs_details,
    off_topic_group,
    opinion,
    product,
    something_else,
    to_close,
    vote_to_close,
)
from threads import services as threads_services

pytestmark = pytest.mark.django_db


# The threshold ------------------------------------------------------------------------------


def test_it_keeps_the_question_open_one_vote_short():
    question = QuestionFactory()

    vote_to_close(question, closers(to_close() - 1), career())

    question = fresh(question)
    assert question.closed_at is None
    assert question.close_notice is None
    assert question.close_votes_pending == to_close() - 1
    assert close_votes_counting(question) == to_close() - 1
    assert question.last_close_vote_at is not None
    assert set(close_votes(question).values_list("state", flat=True)) == {VoteState.PENDING}
    assert events(question, EventKind.CLOSE_VOTE).count() == to_close() - 1
    assert not events(question, EventKind.CLOSED).exists()


def test_it_closes_on_the_threshold_vote_with_a_snapshot_notice():
    question = QuestionFactory()
    voters = closers(to_close())
    reason = career()

    vote_to_close(question, voters, reason)

    question = fresh(question)
    assert question.closed_at is not None
    assert question.close_votes_pending == 0
    assert close_votes_counting(question) == 0
    notice = question.close_notice
    assert notice["reason"]["id"] == reason.pk
    assert notice["reason"]["name"] == str(reason)
    assert notice["reason"]["post_notice"] == reason.post_notice
    assert notice["reason"]["asker_guidance"] == reason.asker_guidance
    assert notice["group"]["name"] == off_topic_group().name
    assert [voter["name"] for voter in notice["voters"]] == [voter.name for voter in voters]
    assert [voter["id"] for voter in notice["voters"]] == [voter.pk for voter in voters]
    assert abs(datetime.fromisoformat(notice["closed_at"]) - question.closed_at) < timedelta(
        seconds=1
    )
    assert notice["duplicates"] == []
    votes = close_votes(question)
    assert votes.count() == to_close()
    assert set(votes.values_list("state", flat=True)) == {VoteState.COMPLETED}
    assert all(vote.ended_at is not None for vote in votes)
    closed = events(question, EventKind.CLOSED).get()
    assert closed.actor is None
    assert closed.actor_name == "Community"
    assert closed.reason == str(reason)
    assert closed.details == notice
    assert closed.policy["close_votes_to_close"] == to_close()


def test_it_honours_a_changed_threshold(settings):
    settings.QASITE = {**settings.QASITE, "CLOSE_VOTES_TO_CLOSE": 5}
    assert to_close() == 5
    question = QuestionFactory()
    voters = closers(5)

    vote_to_close(question, voters[:4])
    assert fresh(question).closed_at is None
    assert fresh(question).close_votes_pending == 4

    vote_to_close(question, voters[4:])
    question = fresh(question)
    assert question.closed_at is not None
    assert len(question.close_notice["voters"]) == 5
    assert events(question, EventKind.CLOSED).get().policy["close_votes_to_close"] == 5


def test_it_honours_a_lower_threshold(settings):
    settings.QASITE = {**settings.QASITE, "CLOSE_VOTES_TO_CLOSE": 1}
    question = QuestionFactory()

    vote_to_close(question, [closer()])

    assert fresh(question).closed_at is not None


# Plurality and binding votes ----------------------------------------------------------------


def test_it_shows_the_plurality_sub_reason(settings):
    settings.QASITE = {**settings.QASITE, "CLOSE_VOTES_TO_CLOSE": 3}
    question = QuestionFactory()
    first, second, third = closers(3)
    services.close_vote_cast(voter=first, question=question, reason=opinion())
    services.close_vote_cast(voter=second, question=question, reason=career())
    services.close_vote_cast(voter=third, question=question, reason=career())

    notice = fresh(question).close_notice
    assert notice["reason"]["id"] == career().pk
    assert notice["reason"]["post_notice"] == career().post_notice


def test_it_counts_sub_reasons_apart_and_breaks_ties_by_the_earliest_vote(settings):
    settings.QASITE = {**settings.QASITE, "CLOSE_VOTES_TO_CLOSE": 3}
    question = QuestionFactory()
    first, second, third = closers(3)
    services.close_vote_cast(voter=first, question=question, reason=product())
    services.close_vote_cast(voter=second, question=question, reason=career())
    services.close_vote_cast(voter=third, question=question, reason=opinion())

    assert fresh(question).close_notice["reason"]["id"] == product().pk


@pytest.mark.parametrize("earliest", ["opinion", "needs_details", "career"])
def test_it_breaks_a_three_way_tie_by_the_earliest_vote(settings, earliest):
    settings.QASITE = {**settings.QASITE, "CLOSE_VOTES_TO_CLOSE": 3}
    reasons = {"opinion": opinion(), "needs_details": needs_details(), "career": career()}
    order = [earliest, *(name for name in reasons if name != earliest)]
    question = QuestionFactory()

    for voter, name in zip(closers(3), order, strict=True):
        services.close_vote_cast(voter=voter, question=question, reason=reasons[name])

    assert fresh(question).close_notice["reason"]["id"] == reasons[earliest].pk


def test_it_closes_at_once_on_a_moderators_vote_with_its_reason():
    question = QuestionFactory()
    others = closers(to_close() - 1)
    vote_to_close(question, others, career())
    mod = moderator()

    vote = services.close_vote_cast(voter=mod, question=question, reason=opinion())

    assert vote.binding
    question = fresh(question)
    assert question.closed_at is not None
    assert question.close_notice["reason"]["id"] == opinion().pk
    assert [voter["name"] for voter in question.close_notice["voters"]] == [mod.name]
    assert question.close_notice["voters"][0]["binding"] is True
    assert set(close_votes(question).values_list("state", flat=True)) == {VoteState.COMPLETED}
    closed = events(question, EventKind.CLOSED).get()
    assert closed.actor == mod
    assert closed.actor_name == mod.name


def test_it_closes_on_a_lone_moderator_vote():
    question = QuestionFactory()

    services.close_vote_cast(voter=moderator(), question=question, reason=needs_details())

    question = fresh(question)
    assert question.closed_at is not None
    assert question.close_notice["reason"]["id"] == needs_details().pk
    assert events(question, EventKind.CLOSED).count() == 1


def test_it_keeps_the_something_else_comment_on_the_notice():
    question = QuestionFactory()
    mod = moderator()

    services.close_vote_cast(
        voter=mod,
        question=question,
        reason=something_else(),
        comment="  This is about cooking, not data.  ",
    )

    notice = fresh(question).close_notice
    assert notice["reason"]["id"] == something_else().pk
    assert notice["comments"] == [
        {"voter": mod.name, "comment": "This is about cooking, not data."}
    ]


def test_it_keeps_the_notice_when_the_reason_is_edited_afterwards():
    question = close(QuestionFactory(), career())
    before = question.close_notice
    reason = career()
    original = reason.snapshot()

    reason.name = "Career questions (renamed)"
    reason.post_notice = "A different notice."
    reason.asker_guidance = "Different guidance."
    reason.save()

    notice = fresh(question).close_notice
    assert notice == before
    assert notice["reason"]["name"] == original["name"]
    assert notice["reason"]["post_notice"] == original["post_notice"]
    assert notice["reason"]["asker_guidance"] == original["asker_guidance"]


def test_it_moves_last_activity_on_closure():
    question = QuestionFactory()
    before = fresh(question)

    close(question)

    after = fresh(question)
    assert after.last_activity_at >= before.last_activity_at
    assert after.version > before.version


# Bad input changes nothing -----------------------------------------------------------------


def assert_refused(
    question, message: str, error: type[Exception] = ModerationError, **kwargs
) -> None:
    """The vote raises ``error`` (the rules' refusals are PermissionDenied) with ``message``
    and leaves no trace."""
    votes_before = CloseVote.objects.count()
    events_before = events(question).count()
    pending_before = fresh(question).close_votes_pending
    kwargs.setdefault("voter", closer())
    kwargs.setdefault("reason", opinion())

    with pytest.raises(error, match=message):
        services.close_vote_cast(question=question, **kwargs)

    assert CloseVote.objects.count() == votes_before
    assert events(question).count() == events_before
    assert fresh(question).close_votes_pending == pending_before


def test_it_refuses_the_off_topic_group_itself():
    assert_refused(
        QuestionFactory(), "Choose one of the off-topic reasons", reason=off_topic_group()
    )


def test_it_refuses_an_inactive_reason():
    reason = opinion()
    reason.is_active = False
    reason.save()

    assert_refused(QuestionFactory(), "no longer in use", reason=reason)


def test_it_refuses_a_sub_reason_of_an_inactive_group():
    group = off_topic_group()
    group.is_active = False
    group.save()

    assert_refused(QuestionFactory(), "no longer in use", reason=career())


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_it_refuses_something_else_without_a_comment(comment):
    assert_refused(QuestionFactory(), "needs a comment", reason=something_else(), comment=comment)


def test_it_refuses_a_duplicate_without_a_target():
    assert_refused(QuestionFactory(), "Choose the question this one duplicates", reason=duplicate())


def test_it_refuses_a_duplicate_of_itself():
    question = answered_question()
    assert_refused(question, "duplicate of itself", reason=duplicate(), duplicate_of=question)


def test_it_refuses_a_duplicate_of_an_unanswered_question():
    assert_refused(
        QuestionFactory(), "no answers yet", reason=duplicate(), duplicate_of=QuestionFactory()
    )


def test_it_refuses_a_duplicate_whose_answers_are_all_deleted():
    target = QuestionFactory()
    answer = AnswerFactory(question=target)
    threads_services.post_delete(actor=answer.author, post=answer)

    assert_refused(
        QuestionFactory(), "no answers yet", reason=duplicate(), duplicate_of=fresh(target)
    )


def test_it_refuses_a_duplicate_of_a_deleted_question():
    target = answered_question()
    threads_services.post_delete(actor=target.author, post=target)

    assert_refused(
        QuestionFactory(), "existing question", reason=duplicate(), duplicate_of=fresh(target)
    )


def test_it_refuses_a_duplicate_of_an_answer():
    answer = AnswerFactory()
    assert_refused(QuestionFactory(), "existing question", reason=duplicate(), duplicate_of=answer)


def test_it_refuses_a_second_pending_vote_by_the_same_voter():
    question = QuestionFactory()
    voter = closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())

    assert_refused(question, "already voted", voter=voter, reason=opinion())
    assert close_votes(question).filter(voter=voter).get().reason == career()


def test_it_refuses_a_vote_after_retraction():
    question = QuestionFactory()
    voter = closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())
    assert services.close_vote_retract(voter=voter, question=question)

    assert_refused(question, "retracted", voter=voter)


def test_it_refuses_a_vote_on_a_closed_question():
    question = close(QuestionFactory())

    assert_refused(question, "already closed", PermissionDenied)
    assert_refused(question, "already closed", PermissionDenied, voter=moderator())


# Retraction ---------------------------------------------------------------------------------


def test_it_retracts_a_pending_vote():
    question = QuestionFactory()
    first, second = closers(2)
    vote_to_close(question, [first, second], career())
    assert fresh(question).close_votes_pending == 2

    assert services.close_vote_retract(voter=first, question=question) is True

    question = fresh(question)
    assert question.close_votes_pending == 1
    assert close_votes_counting(question) == 1
    assert close_votes(question).get(voter=first).state == VoteState.RETRACTED
    assert close_votes(question).get(voter=second).state == VoteState.PENDING
    retracted = events(question, EventKind.CLOSE_VOTE_RETRACTED).get()
    assert retracted.actor == first
    assert retracted.reason == str(career())
    assert services.close_vote_of(voter=first, question=question).state == VoteState.RETRACTED
    assert services.close_vote_of(voter=second, question=question).state == VoteState.PENDING


def test_it_returns_false_when_retracting_twice_or_without_a_vote():
    question = QuestionFactory()
    voter = closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())

    assert services.close_vote_retract(voter=voter, question=question) is True
    assert services.close_vote_retract(voter=voter, question=question) is False
    assert services.close_vote_retract(voter=closer(), question=question) is False
    assert events(question, EventKind.CLOSE_VOTE_RETRACTED).count() == 1
    assert fresh(question).close_votes_pending == 0


def test_it_needs_the_full_threshold_again_after_a_retraction():
    question = QuestionFactory()
    voters = closers(to_close())
    vote_to_close(question, voters[:-1])
    services.close_vote_retract(voter=voters[0], question=question)

    vote_to_close(question, voters[-1:])

    question = fresh(question)
    assert question.closed_at is None
    assert question.close_votes_pending == to_close() - 1


def test_it_cannot_retract_a_vote_that_closed_the_question():
    question = QuestionFactory()
    voters = closers(to_close())
    vote_to_close(question, voters)

    assert services.close_vote_retract(voter=voters[0], question=question) is False
    assert fresh(question).closed_at is not None
