"""Votes on posts (up and down, with the reputation they move) and on comments."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from threads import limits, page_state, rules
from threads.models import (
    Comment,
    CommentVote,
    Post,
    ReputationChange,
    Vote,
)
from threads.reputation import (
    reputation_correct,
    reputation_revert,
    vote_reputation,
)
from threads.services._common import _bump_version, _lock_row


@transaction.atomic
def vote_cast(*, user, post: Post, value: int, rate_limited: bool = True) -> bool:
    """Cast or change a vote (+1 / -1). Casting the vote one already has is a no-op.
    ``post.score`` is set to the score the vote leaves (read under the post's row lock).

    The voter's and the author's rows are locked first, in id order, so two people voting
    on each other's posts at once cannot deadlock (the daily limit and the reputation cap
    both lock user rows)."""
    if value not in (1, -1):
        raise ValueError("A vote is +1 or -1.")
    limits.lock_users(user.pk, post.author_id)
    given, post = post, _lock_row(post)
    given.score = post.score
    vote = Vote.objects.filter(user=user, post=post).first()
    if vote is not None and vote.value == value:
        return False
    if vote is not None:
        vote.post = post
        rules.check_change_vote_permission(user, vote)
    rules.check_vote_permission(user, post, value)
    if rate_limited:
        limits.check_daily(
            user=user,
            rows=Vote.objects.filter(user=user, cast_at__gte=limits.utc_midnight()),
            name="VOTES_PER_DAY",
            what="votes",
            locked=True,
        )
    change = value
    if vote is not None:
        change -= vote.value
        _vote_undo(vote, bump=False)
    vote = Vote.objects.create(user=user, post=post, value=value)
    _score_change(post, value, 1)
    vote_reputation(vote)
    if not post.is_question:  # a question's own version moved with its score
        _bump_version(post.question_id)
    given.score = post.score + change
    return True


def _split_change(value: int, step: int) -> dict:
    """The ``F()`` change of the up or down count for a vote of ``value`` (+1 cast, -1 undone)."""
    field = "up_votes" if value > 0 else "down_votes"
    return {field: F(field) + step}


def _score_change(post: Post, value: int, step: int, *, bump: bool = True) -> None:
    """Move the post's score and up/down counts by a vote of ``value`` cast (``step`` 1) or
    undone (-1); a question's version moves in the same UPDATE (answers: ``_bump_version``
    of their question), unless ``bump`` is off because another change of the same
    transaction bumps it."""
    fields = {"score": F("score") + value * step, **_split_change(value, step)}
    if bump and post.is_question:
        fields.update(version=F("version") + 1, changed_at=timezone.now())
        page_state.changed([post.pk])
    Post.objects.filter(pk=post.pk).update(**fields)


def _vote_undo(vote: Vote, *, bump: bool = True) -> None:
    reputation_revert(ReputationChange.objects.filter(vote=vote))
    _score_change(vote.post, vote.value, -1, bump=bump)
    vote.delete()


@transaction.atomic
def vote_retract(*, user, post: Post) -> bool:
    """Retract one's vote (``post.score`` set as ``vote_cast`` sets it). Locks what
    ``vote_cast`` locks, in the same order (the users, then the post): a retraction racing
    a cast would otherwise deadlock."""
    limits.lock_users(user.pk, post.author_id)
    given, post = post, _lock_row(post)
    given.score = post.score
    vote = Vote.objects.filter(user=user, post=post).first()
    if vote is None:
        return False
    vote.post = post
    rules.check_change_vote_permission(user, vote)
    _vote_undo(vote)
    if not post.is_question:
        _bump_version(post.question_id)
    given.score = post.score - vote.value
    return True


@dataclass(frozen=True)
class VotesReversed:
    """What ``votes_reverse`` did: the votes removed and each user's change of reputation."""

    count: int = 0
    reputation: dict[int, int] = field(default_factory=dict)


@transaction.atomic
def votes_reverse(*, votes: QuerySet, at_least: int = 1) -> VotesReversed:
    """Remove invalid votes (serial voting: docs/rules.md, "Serial voting") with what they
    moved: each post's score and up/down counts, and the reputation they earned or cost,
    taken back by "voting corrected" ledger rows. Locks the users, then the posts, as
    ``vote_cast`` does, and reads ``votes`` again under them: if fewer than ``at_least``
    remain (retracted, or reversed by a previous run), nothing changes."""
    picked = list(votes.values_list("user_id", "post_id", "post__author_id"))
    limits.lock_users(*(pk for voter, _, author in picked for pk in (voter, author)))
    locked = Post.objects.select_for_update(no_key=True).order_by("pk")
    posts = {post.pk: post for post in locked.filter(pk__in={pk for _, pk, _ in picked})}
    rows = list(votes.filter(post_id__in=list(posts)).values_list("pk", "post_id", "value"))
    if not rows or len(rows) < at_least:
        return VotesReversed()
    ids = [pk for pk, _, _ in rows]
    reputation = reputation_correct(ReputationChange.objects.filter(vote_id__in=ids), posts=posts)
    for post_id in sorted({post_id for _, post_id, _ in rows}):
        up = sum(1 for _, pk, value in rows if pk == post_id and value > 0)
        down = sum(1 for _, pk, value in rows if pk == post_id and value < 0)
        Post.objects.filter(pk=post_id).update(
            score=F("score") - up + down,
            up_votes=F("up_votes") - up,
            down_votes=F("down_votes") - down,
        )
    Vote.objects.filter(pk__in=ids).delete()
    for question_id in {post.question_id for post in posts.values()}:
        _bump_version(question_id)
    return VotesReversed(count=len(ids), reputation=reputation)


def _lock_comment(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("post__parent")
        .get(pk=comment.pk)
    )


@transaction.atomic
def comment_vote_cast(*, user, comment: Comment) -> bool:
    comment = _lock_comment(comment)
    rules.check_vote_comment_permission(user, comment)
    _, created = CommentVote.objects.get_or_create(user=user, comment=comment)
    if not created:
        return False
    Comment.objects.filter(pk=comment.pk).update(score=F("score") + 1)
    _bump_version(comment.post.question_id)
    return True


@transaction.atomic
def comment_vote_retract(*, user, comment: Comment) -> bool:
    comment = _lock_comment(comment)
    rules.check_vote_comment_permission(user, comment)
    deleted, _ = CommentVote.objects.filter(user=user, comment=comment).delete()
    if not deleted:
        return False
    Comment.objects.filter(pk=comment.pk, score__gt=0).update(score=F("score") - 1)
    _bump_version(comment.post.question_id)
    return True
