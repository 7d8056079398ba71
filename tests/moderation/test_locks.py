"""Moderator locks: every kind and duration, what a lock refuses across the thread, expiry,
permanence, unlocking and the record."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege
from moderation import rules as moderation_rules
from moderation import services
from moderation.models import EventKind
from moderation.services import LOCK_DURATIONS, ModerationError
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import NON_MODERATORS, closer, events, fresh, moderator
from threads import rules
from threads.models import PERMANENT_LOCK_UNTIL, LockKind

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 2, 3, 12, 0, tzinfo=UTC)
TIMED = [name for name, length in LOCK_DURATIONS.items() if length is not None]


@pytest.fixture
def traveller():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def thread():
    """A question with an answer and a comment on each, and a user who may do anything."""
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    return {
        "question": question,
        "answer": answer,
        "question_comment": CommentFactory(post=question),
        "answer_comment": CommentFactory(post=answer),
        "user": UserFactory(reputation=Privilege.PROTECT_QUESTIONS.reputation),
    }


def attempts(thread) -> dict:
    """Every change a lock refuses, on the question and on its answer (fresh rows)."""
    user = thread["user"]
    question, answer = fresh(thread["question"]), fresh(thread["answer"])
    q_comment, a_comment = thread["question_comment"], thread["answer_comment"]
    q_comment.post, a_comment.post = question, answer
    return {
        "answer the question": lambda: rules.check_answer_permission(user, question),
        "upvote the question": lambda: rules.check_vote_permission(user, question, 1),
        "downvote the question": lambda: rules.check_vote_permission(user, question, -1),
        "comment on the question": lambda: rules.check_comment_permission(user, question),
        "edit the question": lambda: rules.check_edit_post_permission(user, question),
        "edit one's own question": lambda: rules.check_edit_post_permission(
            question.author, question
        ),
        "vote on a question comment": lambda: rules.check_vote_comment_permission(user, q_comment),
        "upvote the answer": lambda: rules.check_vote_permission(user, answer, 1),
        "downvote the answer": lambda: rules.check_vote_permission(user, answer, -1),
        "comment on the answer": lambda: rules.check_comment_permission(user, answer),
        "edit the answer": lambda: rules.check_edit_post_permission(user, answer),
        "edit one's own answer": lambda: rules.check_edit_post_permission(answer.author, answer),
        "vote on an answer comment": lambda: rules.check_vote_comment_permission(user, a_comment),
        "accept the answer": lambda: rules.check_accept_answer_permission(question.author, answer),
    }


def refused(attempt) -> str | None:
    try:
        attempt()
    except PermissionDenied as denied:
        return str(denied)
    return None


def refusals(thread) -> dict:
    """The attempts refused, with their messages."""
    messages = {name: refused(attempt) for name, attempt in attempts(thread).items()}
    return {name: message for name, message in messages.items() if message is not None}


def lock(post, kind=LockKind.CONTENT_DISPUTE, duration="1d", actor=None):
    return services.post_lock(actor=actor or moderator(), post=post, kind=kind, duration=duration)


# Kinds and durations ------------------------------------------------------------------------


@pytest.mark.parametrize("duration", list(LOCK_DURATIONS))
@pytest.mark.parametrize("kind", LockKind.values)
def test_it_locks_with_each_kind_and_duration(traveller, kind, duration):
    question = QuestionFactory()
    mod = moderator()

    assert services.post_lock(actor=mod, post=question, kind=kind, duration=duration) is True

    question = fresh(question)
    length = LOCK_DURATIONS[duration]
    until = PERMANENT_LOCK_UNTIL if length is None else T0 + length
    assert question.is_locked
    assert question.lock_kind == kind
    assert question.locked_until == until
    assert question.is_locked_permanently is (length is None)
    event = events(question, EventKind.LOCKED).get()
    assert event.actor == mod
    assert event.reason == LockKind(kind).label
    assert event.details == {"kind": kind, "duration": duration, "until": until.isoformat()}


def test_it_refuses_an_unknown_kind_or_duration():
    question = QuestionFactory()

    with pytest.raises(ModerationError, match="kind of lock"):
        lock(question, kind="because")
    with pytest.raises(ModerationError, match="how long"):
        lock(question, duration="2w")

    assert not fresh(question).is_locked
    assert not events(question).exists()


def test_it_does_not_record_the_same_lock_twice(traveller):
    question = QuestionFactory()
    mod = moderator()
    assert lock(question, actor=mod) is True

    assert lock(question, actor=mod) is False

    assert events(question, EventKind.LOCKED).count() == 1


# What a lock refuses --------------------------------------------------------------------------


def test_it_allows_everything_before_the_lock(thread):
    assert refusals(thread) == {}


@pytest.mark.parametrize("duration", list(LOCK_DURATIONS))
def test_it_refuses_every_change_across_a_locked_thread(thread, duration):
    lock(thread["question"], duration=duration)

    for name, attempt in attempts(thread).items():
        message = refused(attempt)
        assert message is not None, f"{name} was allowed on a locked thread"
        assert "locked" in message, f"{name}: {message}"


def test_it_names_the_end_of_a_timed_lock_and_not_of_a_permanent_one(thread):
    lock(thread["question"], duration="1d")
    question = fresh(thread["question"])
    timed = refused(lambda: rules.check_answer_permission(thread["user"], question))
    assert "until" in timed

    lock(thread["question"], duration="permanent")
    question = fresh(thread["question"])
    permanent = refused(lambda: rules.check_answer_permission(thread["user"], question))
    assert "locked" in permanent
    assert "until" not in permanent


def test_it_locks_an_answer_alone(thread):
    lock(thread["answer"])
    user = thread["user"]

    answer, question = fresh(thread["answer"]), fresh(thread["question"])
    assert "locked" in refused(lambda: rules.check_vote_permission(user, answer, 1))
    assert "locked" in refused(lambda: rules.check_comment_permission(user, answer))
    assert refused(lambda: rules.check_vote_permission(user, question, 1)) is None
    assert refused(lambda: rules.check_answer_permission(user, question)) is None
    event = events(answer, EventKind.LOCKED).get()
    assert event.post_id == answer.pk
    assert event.question_id == question.pk


def test_it_refuses_close_and_reopen_votes_on_a_locked_question(thread):
    lock(thread["question"])

    with pytest.raises(PermissionDenied, match="locked"):
        moderation_rules.check_cast_close_vote_permission(closer(), fresh(thread["question"]))


# Expiry, permanence, unlocking ------------------------------------------------------------


@pytest.mark.parametrize("duration", TIMED)
def test_it_ends_a_timed_lock_on_time(traveller, thread, duration):
    lock(thread["question"], duration=duration)
    length = LOCK_DURATIONS[duration]

    traveller.shift(length - timedelta(seconds=1))
    assert fresh(thread["question"]).is_locked
    assert len(refusals(thread)) == len(attempts(thread))

    traveller.shift(timedelta(seconds=1))
    assert not fresh(thread["question"]).is_locked
    assert refusals(thread) == {}
    assert lock(thread["question"], duration=duration) is True  # may be locked again


def test_it_never_ends_a_permanent_lock(traveller, thread):
    lock(thread["question"], duration="permanent")

    traveller.shift(timedelta(days=365 * 500))

    assert fresh(thread["question"]).is_locked
    assert len(refusals(thread)) == len(attempts(thread))


def test_it_unlocks(thread):
    question = thread["question"]
    lock(question, duration="permanent")
    mod = moderator()

    assert services.post_unlock(actor=mod, post=question) is True

    question = fresh(question)
    assert not question.is_locked
    assert question.locked_until is None
    assert question.lock_kind == ""
    assert events(question, EventKind.UNLOCKED).get().actor == mod
    assert services.post_unlock(actor=mod, post=question) is False
    assert events(question, EventKind.UNLOCKED).count() == 1
    assert refusals(thread) == {}


def test_it_does_not_unlock_an_expired_lock(traveller):
    question = QuestionFactory()
    lock(question, duration="1h")
    traveller.shift(LOCK_DURATIONS["1h"])

    assert services.post_unlock(actor=moderator(), post=question) is False
    assert not events(question, EventKind.UNLOCKED).exists()


# Who may lock ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_user",
    [*NON_MODERATORS, pytest.param(lambda: moderator(is_active=False), id="suspended moderator")],
)
def test_it_lets_only_moderators_lock(make_user):
    question = QuestionFactory()

    with pytest.raises(PermissionDenied):
        moderation_rules.check_lock_post_permission(make_user(), question)
    moderation_rules.check_lock_post_permission(moderator(), question)
    moderation_rules.check_lock_post_permission(moderator(), AnswerFactory(question=question))


def test_it_refuses_to_lock_a_deleted_post():
    question = QuestionFactory()
    services.post_delete(actor=moderator(), post=question)

    with pytest.raises(PermissionDenied, match="deleted"):
        moderation_rules.check_lock_post_permission(moderator(), fresh(question))
