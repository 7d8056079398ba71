"""Tests of closing, reopening, locks, protection, deletion and the moderation record.

Small helpers shared by these modules: close reasons come from the data migration's
defaults, thresholds and reputations from the one settings accessor and privileges table."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation import services
from moderation.flags import flag_raise
from moderation.models import (
    CloseReason,
    CloseVote,
    FlagKind,
    ModerationEvent,
    ReviewQueue,
    ReviewTask,
)
from moderation.queues import QUEUES
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import is_login_redirect, text_of
from threads.models import Post


def career() -> CloseReason:
    return CloseReason.objects.get(name__startswith="Career")


def product() -> CloseReason:
    return CloseReason.objects.get(name__startswith="Questions about a specific")


def opinion() -> CloseReason:
    return CloseReason.objects.get(name="Opinion-based")


def needs_details() -> CloseReason:
    return CloseReason.objects.get(name="Needs details or clarity")


def duplicate() -> CloseReason:
    return CloseReason.objects.get(kind="duplicate")


def something_else() -> CloseReason:
    return CloseReason.objects.get(kind="something_else")


def off_topic_group() -> CloseReason:
    return CloseReason.objects.get(kind="off_topic", parent=None)


def to_close() -> int:
    return qasite_setting("CLOSE_VOTES_TO_CLOSE")


def to_reopen() -> int:
    return qasite_setting("REOPEN_VOTES_TO_REOPEN")


def closer(**extra):
    """A user who may cast close and reopen votes anywhere."""
    return UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation, **extra)


def closers(count: int) -> list:
    return [closer() for _ in range(count)]


def moderator(**extra):
    return UserFactory(is_moderator=True, **extra)


def answered_question(**extra) -> Post:
    question = QuestionFactory(**extra)
    AnswerFactory(question=question)
    return fresh(question)


def fresh(post: Post) -> Post:
    return Post.objects.select_related("parent", "author").get(pk=post.pk)


def events(post: Post, kind: str | None = None):
    rows = ModerationEvent.objects.filter(question_id=post.question_id)
    return rows.filter(kind=kind) if kind else rows


def close_votes(question: Post):
    return CloseVote.objects.filter(question=question)


def vote_to_close(question: Post, voters, reason: CloseReason | None = None, **kwargs) -> None:
    for voter in voters:
        services.close_vote_cast(
            voter=voter, question=question, reason=reason or opinion(), **kwargs
        )


def close(question: Post, reason: CloseReason | None = None, **kwargs) -> Post:
    """Close with the threshold's worth of votes (no moderator involved)."""
    vote_to_close(question, closers(to_close()), reason, **kwargs)
    closed = fresh(question)
    assert closed.closed_at is not None
    return closed


#: Reputation of each named viewer level in the permission tests ("asker…" and "author"
#: levels are made the question's author by each test's setup).
LEVEL_REPUTATION = {
    "rep1": 1,
    "asker1": 1,
    "author": 1,
    "asker250": Privilege.CLOSE_OWN_QUESTION.reputation,
    "rep250": Privilege.CLOSE_OWN_QUESTION.reputation,
    "rep3000": Privilege.CAST_CLOSE_VOTES.reputation,
    "rep10k": Privilege.MODERATOR_TOOLS.reputation,
    "rep15k": Privilege.PROTECT_QUESTIONS.reputation,
}


def user_at(level: str):
    """A user for ``level``: None for anonymous, a moderator, or a user at the level's
    reputation."""
    if level == "anonymous":
        return None
    if level == "moderator":
        return moderator()
    return UserFactory(reputation=LEVEL_REPUTATION[level])


#: The viewer levels of the close and reopen page tests, and what asking to cast a vote
#: answers each (one privilege casts both kinds of vote).
VOTE_LEVELS = [
    "anonymous",
    "rep1",
    "asker1",
    "asker250",
    "rep250",
    "rep3000",
    "rep10k",
    "rep15k",
    "moderator",
]
CAN_VOTE = {
    "anonymous": "login",
    "rep1": 403,
    "asker1": 403,
    "asker250": 200,
    "rep250": 403,
    "rep3000": 200,
    "rep10k": 200,
    "rep15k": 200,
    "moderator": 200,
}

#: People who are not moderators, from a visitor to 15k reputation (``make_user`` params).
NON_MODERATORS = [
    pytest.param(lambda: AnonymousUser(), id="anonymous"),
    pytest.param(lambda: UserFactory(), id="new user"),
    pytest.param(closer, id="closer"),
    pytest.param(lambda: UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation), id="10k"),
    pytest.param(lambda: UserFactory(reputation=Privilege.PROTECT_QUESTIONS.reputation), id="15k"),
]


def review_setting(name: str):
    return qasite_setting("REVIEW")[name]


def reviewers(queue: ReviewQueue, count: int) -> list:
    """Regular reviewers of ``queue`` (no moderator: a moderator decides alone)."""
    reputation = QUEUES[queue].privilege.reputation
    return [UserFactory(reputation=reputation) for _ in range(count)]


def assert_answered(response, expected, refusal: str) -> None:
    """``response`` is what a level's table ``expected``: "login" (a redirect to the login
    page) or that status, and a 403 page says ``refusal``."""
    if expected == "login":
        assert is_login_redirect(response)
    else:
        assert response.status_code == expected
    if expected == 403:
        assert refusal in text_of(response.content)


def flagged_low_quality():
    """An answer flagged very low quality, and its Low quality review task."""
    answer = AnswerFactory()
    flag_raise(
        flagger=UserFactory(reputation=Privilege.FLAG.reputation),
        post=answer,
        kind=FlagKind.VERY_LOW_QUALITY,
    )
    return answer, ReviewTask.objects.get(
        queue=ReviewQueue.LOW_QUALITY, post=answer, is_audit=False
    )
