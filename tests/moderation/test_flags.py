"""Flags through the service (docs/rules.md, "Flags"): which kinds fit which target, who may flag,
one pending flag per user and target, the daily limit, what enough flags do on their own
(spam and rude flags delete a post and cost its author once; "no longer needed" flags remove
a comment), the review queues they feed, and moderators' verdicts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts.privileges import Privilege
from core.conf import qasite_setting
from core.exceptions import RateLimited
from moderation import flags, rules
from moderation import services as moderation_services
from moderation.models import (
    COMMENT_FLAG_KINDS,
    FLAG_KINDS_NEEDING_TEXT,
    POST_FLAG_KINDS,
    Flag,
    FlagKind,
    FlagState,
    ReviewQueue,
    ReviewTask,
    TaskState,
)
from moderation.services import ModerationError
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import fresh, moderator
from threads.models import Comment, Post, ReputationCause, ReputationChange

pytestmark = pytest.mark.django_db

DETAILS = "Please look at the links in this post."
AUTHOR_REPUTATION = 500


def flagger(**extra):
    return UserFactory(reputation=Privilege.FLAG.reputation, **extra)


def flaggers(count: int) -> list:
    return [flagger() for _ in range(count)]


def to_delete() -> int:
    return qasite_setting("FLAGS")["SPAM_OR_RUDE_TO_DELETE"]


def flags_per_day() -> int:
    return qasite_setting("RATE_LIMITS")["FLAGS_PER_DAY"]


def penalty() -> int:
    return qasite_setting("REPUTATION")["POST_DELETED_AS_SPAM"]


def text_for(kind: str) -> str:
    return DETAILS if kind in FLAG_KINDS_NEEDING_TEXT else ""


def raise_flag(user, *, post=None, comment=None, kind=FlagKind.SPAM, text=None) -> Flag:
    return flags.flag_raise(
        flagger=user,
        post=post,
        comment=comment,
        kind=kind,
        text=text_for(kind) if text is None else text,
    )


def spam_flags(post: Post, users, kinds=(FlagKind.SPAM, FlagKind.RUDE)) -> list[Flag]:
    """One flag from each user, alternating spam and rude."""
    return [raise_flag(user, post=post, kind=kinds[i % len(kinds)]) for i, user in enumerate(users)]


def penalties(post: Post):
    return ReputationChange.objects.filter(post=post, cause=ReputationCause.SPAM_PENALTY)


def reputation(user) -> int:
    user.refresh_from_db(fields=["reputation"])
    return user.reputation


def tasks(queue: str, post: Post):
    return ReviewTask.objects.filter(queue=queue, post=post, state=TaskState.PENDING)


# Kinds and targets --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k for k in POST_FLAG_KINDS if k != FlagKind.NOT_AN_ANSWER])
def test_it_flags_a_question_with_each_post_kind(kind):
    question = QuestionFactory()
    user = flagger()

    flag = raise_flag(user, post=question, kind=kind)

    flag.refresh_from_db()
    assert (flag.post_id, flag.comment_id, flag.flagger_id) == (question.pk, None, user.pk)
    assert flag.kind == kind
    assert flag.state == FlagState.PENDING
    assert flag.text == text_for(kind)


@pytest.mark.parametrize("kind", POST_FLAG_KINDS)
def test_it_flags_an_answer_with_each_post_kind(kind):
    answer = AnswerFactory()

    flag = raise_flag(flagger(), post=answer, kind=kind)

    assert Flag.objects.get(post=answer) == flag
    assert flag.kind == kind
    assert flag.state == FlagState.PENDING


@pytest.mark.parametrize("kind", COMMENT_FLAG_KINDS)
@pytest.mark.parametrize("on", ["question", "answer"])
def test_it_flags_a_comment_with_each_comment_kind(kind, on):
    post = QuestionFactory() if on == "question" else AnswerFactory()
    comment = CommentFactory(post=post)

    flag = raise_flag(flagger(), comment=comment, kind=kind)

    flag.refresh_from_db()
    assert (flag.post_id, flag.comment_id) == (None, comment.pk)
    assert flag.kind == kind
    assert flag.state == FlagState.PENDING


def test_it_refuses_not_an_answer_on_a_question():
    question = QuestionFactory()

    with pytest.raises(ModerationError, match="Only answers"):
        raise_flag(flagger(), post=question, kind=FlagKind.NOT_AN_ANSWER)

    assert not Flag.objects.exists()


@pytest.mark.parametrize("kind", COMMENT_FLAG_KINDS)
@pytest.mark.parametrize("on", ["question", "answer"])
def test_it_refuses_a_comment_kind_on_a_post(kind, on):
    post = QuestionFactory() if on == "question" else AnswerFactory()

    with pytest.raises(ModerationError):
        raise_flag(flagger(), post=post, kind=kind, text=DETAILS)

    assert not Flag.objects.exists()


@pytest.mark.parametrize("kind", POST_FLAG_KINDS)
def test_it_refuses_a_post_kind_on_a_comment(kind):
    comment = CommentFactory(post=AnswerFactory())

    with pytest.raises(ModerationError):
        raise_flag(flagger(), comment=comment, kind=kind, text=DETAILS)

    assert not Flag.objects.exists()


def test_it_refuses_an_unknown_kind():
    with pytest.raises(ModerationError):
        raise_flag(flagger(), post=QuestionFactory(), kind="offensive", text=DETAILS)
    assert not Flag.objects.exists()


def test_it_flags_either_a_post_or_a_comment():
    comment = CommentFactory()
    with pytest.raises(ValueError):
        flags.flag_raise(flagger=flagger(), kind=FlagKind.SPAM)
    with pytest.raises(ValueError):
        flags.flag_raise(flagger=flagger(), post=comment.post, comment=comment, kind=FlagKind.SPAM)
    assert not Flag.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n "])
@pytest.mark.parametrize(
    ("kind", "target"),
    [(FlagKind.MODERATOR_ATTENTION, "post"), (FlagKind.SOMETHING_ELSE, "comment")],
)
def test_it_needs_text_for_the_free_text_kinds(kind, target, text):
    assert kind in FLAG_KINDS_NEEDING_TEXT
    comment = CommentFactory()
    where = {"post": comment.post} if target == "post" else {"comment": comment}

    with pytest.raises(ModerationError, match="Say what the moderators should look at"):
        raise_flag(flagger(), kind=kind, text=text, **where)

    assert not Flag.objects.exists()


@pytest.mark.parametrize(
    ("kind", "target"),
    [(FlagKind.MODERATOR_ATTENTION, "post"), (FlagKind.SOMETHING_ELSE, "comment")],
)
def test_it_keeps_the_text_of_the_free_text_kinds(kind, target):
    comment = CommentFactory()
    where = {"post": comment.post} if target == "post" else {"comment": comment}

    flag = raise_flag(flagger(), kind=kind, text=f"  {DETAILS}  ", **where)

    flag.refresh_from_db()
    assert flag.text == DETAILS


# Who may flag -------------------------------------------------------------------------------


def test_it_needs_the_flag_privilege_to_flag():
    question = QuestionFactory()
    below = UserFactory(reputation=Privilege.FLAG.reputation - 1)

    with pytest.raises(PermissionDenied, match=f"{Privilege.FLAG.reputation} reputation"):
        rules.check_flag_permission(below, question)
    rules.check_flag_permission(flagger(), question)


def test_it_lets_moderators_flag_whatever_their_reputation():
    rules.check_flag_permission(moderator(reputation=1), QuestionFactory())


def test_it_refuses_visitors():
    with pytest.raises(PermissionDenied):
        rules.check_flag_permission(AnonymousUser(), QuestionFactory())


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_it_refuses_flagging_ones_own_post(kind):
    user = flagger()
    post = QuestionFactory(author=user) if kind == "question" else AnswerFactory(author=user)

    with pytest.raises(PermissionDenied, match="your own post"):
        rules.check_flag_permission(user, post)


def test_it_refuses_flagging_a_deleted_post():
    question = QuestionFactory()
    moderation_services.post_delete(actor=None, post=question)

    with pytest.raises(PermissionDenied, match="deleted"):
        rules.check_flag_permission(flagger(), fresh(question))


# One pending flag per user and target ---------------------------------------------------------


def test_it_keeps_one_pending_flag_per_user_and_post():
    question = QuestionFactory()
    user = flagger()
    raise_flag(user, post=question, kind=FlagKind.NEEDS_IMPROVEMENT)

    with pytest.raises(ModerationError, match="already flagged"):
        raise_flag(user, post=question, kind=FlagKind.VERY_LOW_QUALITY)

    assert Flag.objects.filter(post=question).count() == 1


def test_it_keeps_one_pending_flag_per_user_and_comment():
    comment = CommentFactory()
    user = flagger()
    raise_flag(user, comment=comment, kind=FlagKind.UNFRIENDLY)

    with pytest.raises(ModerationError, match="already flagged"):
        raise_flag(user, comment=comment, kind=FlagKind.HARASSMENT)

    assert Flag.objects.filter(comment=comment).count() == 1


@pytest.mark.parametrize("helpful", [True, False])
def test_it_takes_a_new_flag_once_the_first_is_handled(helpful):
    question = QuestionFactory()
    user = flagger()
    first = raise_flag(user, post=question, kind=FlagKind.MODERATOR_ATTENTION)
    flags.flag_handle(
        moderator=moderator(), flag=first, helpful=helpful, decline_reason="Nothing to do here."
    )

    second = raise_flag(user, post=question, kind=FlagKind.MODERATOR_ATTENTION)

    assert second.pk != first.pk
    assert Flag.objects.filter(post=question, flagger=user).count() == 2
    assert Flag.objects.get(pk=second.pk).state == FlagState.PENDING


def test_it_lets_several_users_flag_the_same_post():
    question = QuestionFactory()
    for user in flaggers(3):
        raise_flag(user, post=question, kind=FlagKind.NEEDS_IMPROVEMENT)
    assert Flag.objects.filter(post=question, state=FlagState.PENDING).count() == 3


# The daily limit ----------------------------------------------------------------------------


def test_it_refuses_flags_over_the_daily_limit_until_the_next_utc_day():
    allowed = flags_per_day()
    posts = [QuestionFactory() for _ in range(allowed + 1)]
    user = flagger()
    late_evening = datetime(2024, 5, 1, 23, 50, tzinfo=UTC)

    with time_machine.travel(late_evening, tick=False) as traveller:
        for post in posts[:allowed]:
            raise_flag(user, post=post, kind=FlagKind.NEEDS_IMPROVEMENT)

        with pytest.raises(RateLimited, match=f"limit of {allowed} flags"):
            raise_flag(user, post=posts[-1], kind=FlagKind.NEEDS_IMPROVEMENT)
        assert Flag.objects.filter(flagger=user).count() == allowed
        assert not Flag.objects.filter(post=posts[-1]).exists()

        traveller.shift(timedelta(minutes=15))  # past midnight UTC
        raise_flag(user, post=posts[-1], kind=FlagKind.NEEDS_IMPROVEMENT)

    assert Flag.objects.filter(flagger=user).count() == allowed + 1


def test_it_counts_post_and_comment_flags_together_for_the_daily_limit():
    allowed = flags_per_day()
    user = flagger()
    comments = [CommentFactory() for _ in range(allowed)]
    with time_machine.travel(datetime(2024, 5, 1, 12, tzinfo=UTC), tick=False):
        for index, comment in enumerate(comments):
            if index % 2:
                raise_flag(user, comment=comment, kind=FlagKind.NO_LONGER_NEEDED)
            else:
                raise_flag(user, post=comment.post, kind=FlagKind.NEEDS_IMPROVEMENT)

        with pytest.raises(RateLimited):
            raise_flag(user, comment=comments[0], kind=FlagKind.UNFRIENDLY)


def test_it_counts_handled_flags_against_the_daily_limit():
    allowed = flags_per_day()
    posts = [QuestionFactory() for _ in range(allowed + 1)]
    user = flagger()
    mod = moderator()
    with time_machine.travel(datetime(2024, 5, 1, 12, tzinfo=UTC), tick=False):
        for post in posts[:allowed]:
            flag = raise_flag(user, post=post, kind=FlagKind.NEEDS_IMPROVEMENT)
            flags.flag_handle(moderator=mod, flag=flag, helpful=True)

        with pytest.raises(RateLimited):
            raise_flag(user, post=posts[-1], kind=FlagKind.NEEDS_IMPROVEMENT)


def test_it_counts_each_flaggers_limit_separately():
    allowed = flags_per_day()
    posts = [QuestionFactory() for _ in range(allowed)]
    busy, other = flaggers(2)
    with time_machine.travel(datetime(2024, 5, 1, 12, tzinfo=UTC), tick=False):
        for post in posts:
            raise_flag(busy, post=post, kind=FlagKind.NEEDS_IMPROVEMENT)
        raise_flag(other, post=posts[0], kind=FlagKind.NEEDS_IMPROVEMENT)
    assert Flag.objects.filter(flagger=other).count() == 1


def test_it_does_not_count_refused_flags_against_the_limit():
    allowed = flags_per_day()
    posts = [QuestionFactory() for _ in range(allowed)]
    user = flagger()
    with time_machine.travel(datetime(2024, 5, 1, 12, tzinfo=UTC), tick=False):
        raise_flag(user, post=posts[0], kind=FlagKind.NEEDS_IMPROVEMENT)
        for _ in range(3):
            with pytest.raises(ModerationError):
                raise_flag(user, post=posts[0], kind=FlagKind.NEEDS_IMPROVEMENT)
        for post in posts[1:]:
            raise_flag(user, post=post, kind=FlagKind.NEEDS_IMPROVEMENT)
    assert Flag.objects.filter(flagger=user).count() == allowed


# Spam and rude flags delete a post ----------------------------------------------------------


@pytest.mark.parametrize(
    "kinds", [(FlagKind.SPAM,), (FlagKind.RUDE,), (FlagKind.SPAM, FlagKind.RUDE)]
)
def test_it_deletes_a_question_at_the_spam_threshold(kinds):
    author = UserFactory(reputation=AUTHOR_REPUTATION)
    question = QuestionFactory(author=author)

    raised = spam_flags(question, flaggers(to_delete()), kinds)

    assert fresh(question).deleted_at is not None
    assert reputation(author) == AUTHOR_REPUTATION + penalty()
    (charge,) = penalties(question)
    assert (charge.user_id, charge.amount) == (author.pk, penalty())
    assert set(
        Flag.objects.filter(pk__in=[f.pk for f in raised]).values_list("state", flat=True)
    ) == {FlagState.HELPFUL}
    assert not Flag.objects.filter(post=question, handled_at__isnull=True).exists()


def test_it_hides_a_spam_deleted_question_from_visitors():
    question = QuestionFactory()
    assert Client().get(question.get_absolute_url()).status_code == 200

    spam_flags(question, flaggers(to_delete()))

    assert Client().get(question.get_absolute_url()).status_code == 404


def test_it_deletes_an_answer_at_the_spam_threshold():
    author = UserFactory(reputation=AUTHOR_REPUTATION)
    answer = AnswerFactory(author=author)
    question = answer.parent
    assert fresh(question).answer_count == 1

    spam_flags(answer, flaggers(to_delete()))

    assert fresh(answer).deleted_at is not None
    assert fresh(question).deleted_at is None
    assert fresh(question).answer_count == 0
    assert reputation(author) == AUTHOR_REPUTATION + penalty()
    assert penalties(answer).count() == 1


def test_it_does_nothing_below_the_spam_threshold():
    author = UserFactory(reputation=AUTHOR_REPUTATION)
    question = QuestionFactory(author=author)

    spam_flags(question, flaggers(to_delete() - 1))

    assert fresh(question).deleted_at is None
    assert reputation(author) == AUTHOR_REPUTATION
    assert not penalties(question).exists()
    assert set(Flag.objects.filter(post=question).values_list("state", flat=True)) == {
        FlagState.PENDING
    }


def test_it_charges_the_author_once_and_takes_no_flag_once_the_post_is_deleted():
    author = UserFactory(reputation=AUTHOR_REPUTATION)
    question = QuestionFactory(author=author)
    spam_flags(question, flaggers(to_delete()))

    with pytest.raises(PermissionDenied, match="deleted"):
        raise_flag(flagger(), post=question, kind=FlagKind.SPAM)

    assert penalties(question).count() == 1
    assert reputation(author) == AUTHOR_REPUTATION + penalty()
    assert Flag.objects.filter(post=question).count() == to_delete()
    assert not Flag.objects.filter(post=question).exclude(state=FlagState.HELPFUL).exists()


def test_it_charges_the_author_once_after_an_undelete_and_a_new_deletion():
    author = UserFactory(reputation=AUTHOR_REPUTATION)
    question = QuestionFactory(author=author)
    spam_flags(question, flaggers(to_delete()))
    mod = moderator()

    moderation_services.post_undelete(actor=mod, post=question)
    raise_flag(flagger(), post=question, kind=FlagKind.SPAM)
    moderation_services.post_undelete(actor=mod, post=question)
    moderation_services.post_delete(actor=mod, post=question)

    assert penalties(question).count() == 1
    assert reputation(author) == AUTHOR_REPUTATION + penalty()


def test_it_does_not_count_declined_spam_flags():
    question = QuestionFactory()
    users = flaggers(to_delete())
    first, *_ = spam_flags(question, users[:-1])
    flags.flag_handle(moderator=moderator(), flag=first, helpful=False, decline_reason="Not spam.")

    raise_flag(users[-1], post=question, kind=FlagKind.SPAM)

    assert fresh(question).deleted_at is None
    assert not penalties(question).exists()
    assert Flag.objects.get(pk=first.pk).state == FlagState.DECLINED

    raise_flag(flagger(), post=question, kind=FlagKind.RUDE)

    assert fresh(question).deleted_at is not None
    assert Flag.objects.get(pk=first.pk).state == FlagState.DECLINED
    assert penalties(question).count() == 1


def test_it_counts_each_flagger_once_towards_the_threshold():
    question = QuestionFactory()
    users = flaggers(to_delete() - 1)
    first, *_ = spam_flags(question, users)
    flags.flag_handle(moderator=moderator(), flag=first, helpful=True)

    raise_flag(users[0], post=question, kind=FlagKind.RUDE)

    assert fresh(question).deleted_at is None
    assert not penalties(question).exists()


@pytest.mark.parametrize(
    "kind", [k for k in POST_FLAG_KINDS if k not in (FlagKind.SPAM, FlagKind.RUDE)]
)
def test_it_deletes_nothing_for_other_post_flags(kind):
    answer = AnswerFactory()
    for user in flaggers(to_delete()):
        raise_flag(user, post=answer, kind=kind)

    assert fresh(answer).deleted_at is None
    assert not penalties(answer).exists()


# "No longer needed" flags remove a comment ----------------------------------------------------


@pytest.mark.parametrize("score", [0, 1, 2, 3, 6])
def test_it_removes_a_comment_when_no_longer_needed_flags_reach_the_threshold(score):
    needed = score // 3 + 3
    comment = CommentFactory(score=score)
    post = comment.post
    comment_count = fresh(post).comment_count
    users = flaggers(needed)

    raised = [raise_flag(u, comment=comment, kind=FlagKind.NO_LONGER_NEEDED) for u in users[:-1]]
    assert Comment.objects.get(pk=comment.pk).deleted_at is None
    assert fresh(post).comment_count == comment_count

    raised.append(raise_flag(users[-1], comment=comment, kind=FlagKind.NO_LONGER_NEEDED))

    assert Comment.objects.get(pk=comment.pk).deleted_at is not None
    assert fresh(post).comment_count == comment_count - 1
    states = Flag.objects.filter(pk__in=[f.pk for f in raised]).values_list("state", flat=True)
    assert set(states) == {FlagState.HELPFUL}


def test_it_needs_three_flags_for_a_comment_without_votes_and_five_at_score_six():
    """The two cases the design names: (score ÷ 3) + 3."""
    plain, voted = CommentFactory(score=0), CommentFactory(score=6)
    for user in flaggers(3):
        raise_flag(user, comment=plain, kind=FlagKind.NO_LONGER_NEEDED)
        raise_flag(user, comment=voted, kind=FlagKind.NO_LONGER_NEEDED)
    assert Comment.objects.get(pk=plain.pk).deleted_at is not None
    assert Comment.objects.get(pk=voted.pk).deleted_at is None

    for user in flaggers(2):
        raise_flag(user, comment=voted, kind=FlagKind.NO_LONGER_NEEDED)
    assert Comment.objects.get(pk=voted.pk).deleted_at is not None


@pytest.mark.parametrize("kind", [k for k in COMMENT_FLAG_KINDS if k != FlagKind.NO_LONGER_NEEDED])
def test_it_removes_no_comment_for_other_comment_flags(kind):
    comment = CommentFactory()
    for user in flaggers(3):
        raise_flag(user, comment=comment, kind=kind)
    assert Comment.objects.get(pk=comment.pk).deleted_at is None
    assert set(Flag.objects.filter(comment=comment).values_list("state", flat=True)) == {
        FlagState.PENDING
    }


def test_it_leaves_other_flags_on_a_removed_comment_pending():
    comment = CommentFactory()
    rude = raise_flag(flagger(), comment=comment, kind=FlagKind.UNFRIENDLY)
    for user in flaggers(3):
        raise_flag(user, comment=comment, kind=FlagKind.NO_LONGER_NEEDED)
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None
    assert Flag.objects.get(pk=rude.pk).state == FlagState.PENDING


# Review queues ------------------------------------------------------------------------------


def test_it_sends_a_question_flagged_needs_improvement_to_the_close_queue():
    question = QuestionFactory()
    raise_flag(flagger(), post=question, kind=FlagKind.NEEDS_IMPROVEMENT)
    raise_flag(flagger(), post=question, kind=FlagKind.NEEDS_IMPROVEMENT)
    assert tasks(ReviewQueue.CLOSE, question).count() == 1


def test_it_sends_the_question_of_an_answer_flagged_needs_improvement_to_the_close_queue():
    answer = AnswerFactory()
    raise_flag(flagger(), post=answer, kind=FlagKind.NEEDS_IMPROVEMENT)
    assert tasks(ReviewQueue.CLOSE, answer.parent).count() == 1
    assert not tasks(ReviewQueue.CLOSE, answer).exists()


@pytest.mark.parametrize(
    ("kind", "on"),
    [
        (FlagKind.VERY_LOW_QUALITY, "question"),
        (FlagKind.VERY_LOW_QUALITY, "answer"),
        (FlagKind.NOT_AN_ANSWER, "answer"),
    ],
)
def test_it_sends_low_quality_flags_to_the_low_quality_queue(kind, on):
    post = QuestionFactory() if on == "question" else AnswerFactory()
    raise_flag(flagger(), post=post, kind=kind)
    raise_flag(flagger(), post=post, kind=kind)
    assert tasks(ReviewQueue.LOW_QUALITY, post).count() == 1
    assert not tasks(ReviewQueue.CLOSE, post).exists()


@pytest.mark.parametrize("kind", [FlagKind.SPAM, FlagKind.RUDE, FlagKind.MODERATOR_ATTENTION])
def test_it_queues_no_review_for_other_post_flags(kind):
    answer = AnswerFactory()
    raise_flag(flagger(), post=answer, kind=kind)
    queued = ReviewTask.objects.filter(queue__in=[ReviewQueue.CLOSE, ReviewQueue.LOW_QUALITY])
    assert not queued.exists()


# Moderators' verdicts -----------------------------------------------------------------------


def test_it_marks_a_flag_helpful():
    flag = raise_flag(flagger(), post=QuestionFactory(), kind=FlagKind.MODERATOR_ATTENTION)
    mod = moderator()

    assert flags.flag_handle(moderator=mod, flag=flag, helpful=True, decline_reason="ignored")

    flag.refresh_from_db()
    assert flag.state == FlagState.HELPFUL
    assert flag.decline_reason == ""
    assert flag.handled_by == mod
    assert flag.handled_at is not None


def test_it_declines_a_flag_with_a_reason():
    flag = raise_flag(flagger(), post=QuestionFactory(), kind=FlagKind.NEEDS_IMPROVEMENT)
    mod = moderator()

    assert flags.flag_handle(
        moderator=mod, flag=flag, helpful=False, decline_reason="  The question is clear.  "
    )

    flag.refresh_from_db()
    assert flag.state == FlagState.DECLINED
    assert flag.decline_reason == "The question is clear."
    assert flag.handled_by == mod


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_needs_a_reason_to_decline(reason):
    flag = raise_flag(flagger(), post=QuestionFactory(), kind=FlagKind.NEEDS_IMPROVEMENT)

    with pytest.raises(ModerationError, match="Say why"):
        flags.flag_handle(moderator=moderator(), flag=flag, helpful=False, decline_reason=reason)

    flag.refresh_from_db()
    assert flag.state == FlagState.PENDING
    assert flag.handled_by is None


def test_it_handles_a_flag_once():
    flag = raise_flag(flagger(), post=QuestionFactory(), kind=FlagKind.NEEDS_IMPROVEMENT)
    first, second = moderator(), moderator()
    assert flags.flag_handle(moderator=first, flag=flag, helpful=True)

    assert (
        flags.flag_handle(moderator=second, flag=flag, helpful=False, decline_reason="Too late.")
        is False
    )
    assert flags.flag_handle(moderator=second, flag=flag, helpful=True) is False

    flag.refresh_from_db()
    assert flag.state == FlagState.HELPFUL
    assert flag.handled_by == first
    assert flag.decline_reason == ""


def test_it_counts_a_flaggers_flags_by_outcome():
    user = flagger()
    mod = moderator()
    raised = [
        raise_flag(user, post=QuestionFactory(), kind=FlagKind.NEEDS_IMPROVEMENT) for _ in range(5)
    ]
    flags.flag_handle(moderator=mod, flag=raised[0], helpful=True)
    flags.flag_handle(moderator=mod, flag=raised[1], helpful=False, decline_reason="No.")
    flags.flag_handle(moderator=mod, flag=raised[2], helpful=False, decline_reason="No.")

    assert flags.flag_counts(flagger=user) == {
        FlagState.PENDING: 2,
        FlagState.HELPFUL: 1,
        FlagState.DECLINED: 2,
    }
    assert flags.flag_counts(flagger=flagger()) == dict.fromkeys(FlagState.values, 0)
