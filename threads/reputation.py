"""The reputation table (docs/rules.md, "Reputation") applied to the ledger. Amounts come from
``settings.QASITE["REPUTATION"]``; this module is the only writer of ``User.reputation``."""

from datetime import UTC, date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from core.conf import qasite_setting
from threads.models import VOTE_CAUSES, Post, ReputationCause, ReputationChange, Vote

User = get_user_model()

#: Reputation never falls below this (docs/rules.md, "Reputation").
FLOOR = 1


def amount_for(key: str) -> int:
    return qasite_setting("REPUTATION")[key]


def utc_day(moment=None) -> date:
    return (moment or timezone.now()).astimezone(UTC).date()


def _locked_reputation(user_id: int) -> int:
    """The user's reputation with their row locked (the floor and the cap are read under it)."""
    reputation = (
        User.objects.select_for_update(no_key=True)
        .filter(pk=user_id)
        .values_list("reputation", flat=True)
        .first()
    )
    return FLOOR if reputation is None else reputation


def reputation_credit(
    *,
    user_id: int,
    amount: int,
    cause: ReputationCause,
    post: Post | None = None,
    vote: Vote | None = None,
    when=None,
) -> ReputationChange | None:
    """Add one ledger row and apply it to the user with ``F()``. The row holds the amount
    actually applied: gains from votes are capped per UTC day, and a loss stops at the floor
    of 1 (docs/rules.md, "Reputation"). The user's row is locked first so parallel votes
    respect both. Must run inside the caller's transaction."""
    when = when or timezone.now()
    day = utc_day(when)
    if cause in VOTE_CAUSES and amount > 0:
        _locked_reputation(user_id)
        earned = (
            ReputationChange.objects.filter(
                user_id=user_id, day=day, cause__in=VOTE_CAUSES, amount__gt=0
            ).aggregate(total=Sum("amount"))["total"]
            or 0
        )
        amount = max(0, min(amount, amount_for("DAILY_VOTE_CAP") - earned))
    elif amount < 0:
        amount = max(amount, min(0, FLOOR - _locked_reputation(user_id)))
    change = ReputationChange.objects.create(
        user_id=user_id, amount=amount, cause=cause, post=post, vote=vote, day=day, created_at=when
    )
    if amount:
        User.objects.filter(pk=user_id).update(reputation=F("reputation") + amount)
    return change


def reputation_revert(changes) -> None:
    """Undo ledger rows (a retracted vote, an unaccepted answer): take back exactly what each
    applied (a loss the floor held at 0 gives back nothing). Taking back a gain stops at the
    floor too; the losses it could no longer have cost are raised, latest first, so the
    ledger still adds up to the reputation (as the replay in ``reputation_recount`` finds)."""
    for change in list(changes):
        if change.amount > 0:
            shortfall = change.amount - (_locked_reputation(change.user_id) - FLOOR)
            if shortfall > 0:
                _raise_losses(change.user_id, shortfall)
        if change.amount:
            User.objects.filter(pk=change.user_id).update(
                reputation=F("reputation") - change.amount
            )
        change.delete()


def _raise_losses(user_id: int, shortfall: int) -> None:
    """Raise the user's latest losses toward 0 by ``shortfall`` in all, adding it back."""
    losses = ReputationChange.objects.filter(user_id=user_id, amount__lt=0).order_by(
        "-created_at", "-pk"
    )
    for loss in losses:
        if shortfall <= 0:
            break
        raised = min(shortfall, -loss.amount)
        ReputationChange.objects.filter(pk=loss.pk).update(amount=F("amount") + raised)
        User.objects.filter(pk=user_id).update(reputation=F("reputation") + raised)
        shortfall -= raised


def vote_reputation(vote: Vote) -> None:
    """Credit the author (and, for a downvoted answer, the voter) for one vote."""
    post = vote.post
    if post.author_id is None or vote.user_id == post.author_id:
        return
    if vote.value > 0:
        key = "QUESTION_UPVOTED" if post.is_question else "ANSWER_UPVOTED"
        reputation_credit(
            user_id=post.author_id,
            amount=amount_for(key),
            cause=ReputationCause.UPVOTED,
            post=post,
            vote=vote,
            when=vote.cast_at,
        )
        return
    reputation_credit(
        user_id=post.author_id,
        amount=amount_for("POST_DOWNVOTED"),
        cause=ReputationCause.DOWNVOTED,
        post=post,
        vote=vote,
        when=vote.cast_at,
    )
    if not post.is_question:
        reputation_credit(
            user_id=vote.user_id,
            amount=amount_for("DOWNVOTER_ON_ANSWER"),
            cause=ReputationCause.DOWNVOTED_ANSWER,
            post=post,
            vote=vote,
            when=vote.cast_at,
        )


def accept_reputation(answer: Post, when=None) -> None:
    """+15 to the answerer, +2 to the asker; nothing for a self-answer."""
    question = answer.parent
    if answer.author_id is None or answer.author_id == question.author_id:
        return
    reputation_credit(
        user_id=answer.author_id,
        amount=amount_for("ANSWER_ACCEPTED"),
        cause=ReputationCause.ACCEPTED,
        post=answer,
        when=when,
    )
    if question.author_id is not None:
        reputation_credit(
            user_id=question.author_id,
            amount=amount_for("ACCEPTER"),
            cause=ReputationCause.ACCEPTER,
            post=answer,
            when=when,
        )


ACCEPT_CAUSES = (ReputationCause.ACCEPTED, ReputationCause.ACCEPTER)
REPLAYED_CAUSES = (*VOTE_CAUSES, *ACCEPT_CAUSES)
#: What a post's deletion takes out of the ledger: what it earned and its corrections.
POST_CAUSES = (*REPLAYED_CAUSES, ReputationCause.VOTING_CORRECTED)


def reputation_correct(changes, *, posts: dict[int, Post], when=None) -> dict[int, int]:
    """Take back what the ledger rows of reversed votes applied (docs/rules.md, "Serial
    voting"): the rows stay as history, detached from their votes, and each user gets one
    "voting corrected" row per post with the opposite of their sum, through
    ``reputation_credit`` (so a loss stops at the floor). Returns each user's change."""
    changes = changes.order_by()
    totals = list(
        changes.values("user_id", "post_id").annotate(total=Sum("amount")).order_by("user_id")
    )
    changes.update(vote=None)
    applied: dict[int, int] = {}
    for row in totals:
        if not row["total"]:
            continue
        change = reputation_credit(
            user_id=row["user_id"],
            amount=-row["total"],
            cause=ReputationCause.VOTING_CORRECTED,
            post=posts.get(row["post_id"]),
            when=when,
        )
        applied[row["user_id"]] = applied.get(row["user_id"], 0) + change.amount
    return applied


@transaction.atomic
def reputation_recount() -> list[tuple[int, int, int]]:
    """Replay the ledger from votes and accepts (in time order, caps included), keep the
    other rows (approved edits, penalties, reversed votes and their corrections) and set
    every user's reputation to 1 + imported + ledger. Returns ``(user_id, old, new)`` for
    each user it corrected.

    The replay is authoritative: a vote retracted on a capped day gave back what it had
    earned, and the replay then lets a later vote of that day earn its full amount. The kept
    rows take their turn in time order, so each loss meets the floor where it happened."""
    before = dict(User.objects.values_list("pk", "reputation"))
    ReputationChange.objects.filter(cause__in=REPLAYED_CAUSES).exclude(
        cause__in=VOTE_CAUSES, vote__isnull=True
    ).delete()
    User.objects.update(reputation=1 + F("imported_reputation"))
    events: list[tuple] = [
        (row.created_at, 0, row) for row in ReputationChange.objects.exclude(amount=0)
    ]
    votes = Vote.objects.select_related("post").filter(post__deleted_at__isnull=True)
    events.extend((vote.cast_at, 1, vote) for vote in votes)
    accepted = Post.objects.filter(
        accepted_answer__isnull=False, deleted_at__isnull=True, accept_imported=False
    ).select_related("accepted_answer__parent")
    events.extend((q.accepted_at or q.created_at, 2, q.accepted_answer) for q in accepted)
    for when, kind, row in sorted(events, key=lambda event: (event[0], event[1])):
        if kind == 0:
            User.objects.filter(pk=row.user_id).update(reputation=F("reputation") + row.amount)
        elif kind == 1:
            vote_reputation(row)
        else:
            accept_reputation(row, when=when)
    after = dict(User.objects.values_list("pk", "reputation"))
    return [(pk, before[pk], after[pk]) for pk in sorted(after) if before.get(pk) != after[pk]]
