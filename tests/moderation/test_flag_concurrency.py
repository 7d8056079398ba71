"""Flags under real concurrency (PostgreSQL row locks; SQLite serialises writers): parallel
spam flags delete a post and charge its author exactly once, parallel "no longer needed"
flags remove a comment once, and one flagger in parallel never exceeds the daily limit or
holds two pending flags on one target."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege
from core.conf import qasite_setting
from core.exceptions import RateLimited
from moderation import flags
from moderation.models import EventKind, Flag, FlagKind, FlagState, ModerationEvent
from moderation.services import ModerationError
from tests.concurrency import postgresql_only, run_in_parallel
from tests.factories import CommentFactory, QuestionFactory, UserFactory
from tests.moderation import fresh
from threads.models import Comment, ReputationCause, ReputationChange

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only,
]

AUTHOR_REPUTATION = 500


def flaggers(count: int) -> list:
    return [UserFactory(reputation=Privilege.FLAG.reputation) for _ in range(count)]


def test_it_deletes_a_post_and_charges_its_author_once_for_parallel_spam_flags():
    threshold = qasite_setting("FLAGS")["SPAM_OR_RUDE_TO_DELETE"]
    count = threshold + 2
    author = UserFactory(reputation=AUTHOR_REPUTATION)
    question = QuestionFactory(author=author)
    users = flaggers(count)

    errors = run_in_parallel(
        count,
        lambda i: flags.flag_raise(flagger=users[i], post=question, kind=FlagKind.SPAM),
    )

    # Flags are counted under the post's lock: the ones after the deletion are refused.
    assert len(errors) == count - threshold
    assert all(isinstance(error, PermissionDenied) for error in errors), errors
    assert all("deleted" in str(error) for error in errors), errors
    assert fresh(question).deleted_at is not None
    deletions = ModerationEvent.objects.filter(post_id=question.pk, kind=EventKind.DELETED)
    assert deletions.count() == 1
    (charge,) = ReputationChange.objects.filter(post=question, cause=ReputationCause.SPAM_PENALTY)
    assert (charge.user_id, charge.amount) == (
        author.pk,
        qasite_setting("REPUTATION")["POST_DELETED_AS_SPAM"],
    )
    author.refresh_from_db()
    assert (
        author.reputation
        == AUTHOR_REPUTATION + qasite_setting("REPUTATION")["POST_DELETED_AS_SPAM"]
    )
    raised = Flag.objects.filter(post=question)
    assert raised.count() == threshold
    assert set(raised.values_list("state", flat=True)) == {FlagState.HELPFUL}


def test_it_removes_a_comment_once_for_parallel_no_longer_needed_flags():
    comment = CommentFactory()
    post = comment.post
    comment_count = fresh(post).comment_count
    users = flaggers(6)

    errors = run_in_parallel(
        6,
        lambda i: flags.flag_raise(
            flagger=users[i], comment=comment, kind=FlagKind.NO_LONGER_NEEDED
        ),
    )

    assert errors == []
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None
    assert fresh(post).comment_count == comment_count - 1
    assert Flag.objects.filter(comment=comment).count() == 6
    assert Flag.objects.filter(comment=comment, state=FlagState.HELPFUL).count() >= 3


def test_it_keeps_one_flagger_within_the_daily_limit_in_parallel(settings):
    allowed = 4
    settings.QASITE = {
        **settings.QASITE,
        "RATE_LIMITS": {**settings.QASITE["RATE_LIMITS"], "FLAGS_PER_DAY": allowed},
    }
    author = UserFactory()
    questions = [QuestionFactory(author=author) for _ in range(10)]
    (user,) = flaggers(1)

    errors = run_in_parallel(
        10,
        lambda i: flags.flag_raise(
            flagger=user, post=questions[i], kind=FlagKind.NEEDS_IMPROVEMENT
        ),
    )

    assert len(errors) == 10 - allowed
    assert all(isinstance(error, RateLimited) for error in errors), errors
    assert Flag.objects.filter(flagger=user).count() == allowed


def test_it_keeps_one_pending_flag_for_a_flagger_flagging_in_parallel():
    question = QuestionFactory()
    (user,) = flaggers(1)

    errors = run_in_parallel(
        5, lambda i: flags.flag_raise(flagger=user, post=question, kind=FlagKind.SPAM)
    )

    assert len(errors) == 4
    assert all(isinstance(error, ModerationError) for error in errors), errors
    assert Flag.objects.filter(post=question, flagger=user).count() == 1


def test_parallel_queue_decisions_on_one_post_handle_its_flags_once():
    """Moderators deciding the same flagged post at once from the flag queue (Helpful,
    Decline, Delete): the flags are handled by one of them and announced once."""
    from moderation import signals
    from tests.factories import AnswerFactory

    answer = AnswerFactory()
    raised = [
        flags.flag_raise(flagger=user, post=answer, kind=FlagKind.NOT_AN_ANSWER)
        for user in flaggers(3)
    ]
    mods = [UserFactory(is_moderator=True) for _ in range(3)]
    announced = []

    def count(sender, *, flag_ids, **kwargs):
        announced.extend(flag_ids)

    signals.flags_handled.connect(count, dispatch_uid="test.count")
    try:
        errors = run_in_parallel(
            3,
            lambda i: (
                flags.flagged_delete(moderator=mods[i], flag=raised[0])
                if i == 0
                else flags.flags_handle_target(
                    moderator=mods[i], flag=raised[0], helpful=i == 1, decline_reason="No."
                )
            ),
        )
    finally:
        signals.flags_handled.disconnect(dispatch_uid="test.count")

    assert errors == []
    states = set(Flag.objects.filter(post=answer).values_list("state", "handled_by"))
    assert len(states) == 1  # all three by the same moderator, with the same verdict
    assert sorted(announced) == sorted(flag.pk for flag in raised)
