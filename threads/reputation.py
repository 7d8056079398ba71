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


def amount_for(key: str) -> int:
    return qasite_setting("REPUTATION")[key]


def utc_day(moment=None) -> date:
    return (moment or timezone.now()).astimezone(UTC).date()


def reputation_credit(
    *,
    user_id: int,
    amount: int,
    cause: ReputationCause,
    post: Post | None = None,
    vote: Vote | None = None,
    when=None,
) -> ReputationChange | None:
    """Add one ledger row and apply it to the user with ``F()``. Gains from votes are
    capped per UTC day; the user's row is locked first so parallel votes respect the cap.
    Must run inside the caller's transaction."""
    when = when or timezone.now()
    day = utc_day(when)
    if cause in VOTE_CAUSES and amount > 0:
        User.objects.select_for_update(no_key=True).filter(pk=user_id).first()
        earned = (
            ReputationChange.objects.filter(
                user_id=user_id, day=day, cause__in=VOTE_CAUSES, amount__gt=0
            ).aggregate(total=Sum("amount"))["total"]
            or 0
        )
        amount = max(0, min(amount, amount_for("DAILY_VOTE_CAP") - earned))
    change = ReputationChange.objects.create(
        user_id=user_id, amount=amount, cause=cause, post=post, vote=vote, day=day, created_at=when
    )
    if amount:
        User.objects.filter(pk=user_id).update(reputation=F("reputation") + amount)
    return change


def reputation_revert(changes) -> None:
    """Undo ledger rows (a retracted vote, an unaccepted answer): subtract what they applied."""
    for change in list(changes):
        if change.amount:
            User.objects.filter(pk=change.user_id).update(
                reputation=F("reputation") - change.amount
            )
        change.delete()


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


@transaction.atomic
def reputation_recount() -> list[tuple[int, int, int]]:
    """Replay the ledger from votes and accepts (in time order, caps included), keep the
    other rows (approved edits, penalties) and set every user's reputation to
    1 + imported + ledger. Returns ``(user_id, old, new)`` for each user it corrected.

    The replay is authoritative: a vote retracted on a capped day gave back what it had
    earned, and the replay then lets a later vote of that day earn its full amount."""
    before = dict(User.objects.values_list("pk", "reputation"))
    ReputationChange.objects.filter(cause__in=REPLAYED_CAUSES).delete()
    User.objects.update(reputation=1 + F("imported_reputation"))
    kept = ReputationChange.objects.values("user_id").annotate(total=Sum("amount")).order_by()
    for row in kept:
        User.objects.filter(pk=row["user_id"]).update(reputation=F("reputation") + row["total"])
    events: list[tuple] = []
    votes = Vote.objects.select_related("post").filter(post__deleted_at__isnull=True)
    events.extend((vote.cast_at, 0, vote) for vote in votes)
    accepted = Post.objects.filter(
        accepted_answer__isnull=False, deleted_at__isnull=True, accept_imported=False
    ).select_related("accepted_answer__parent")
    events.extend((q.accepted_at or q.created_at, 1, q.accepted_answer) for q in accepted)
    for when, kind, row in sorted(events, key=lambda event: (event[0], event[1])):
        if kind == 0:
            vote_reputation(row)
        else:
            accept_reputation(row, when=when)
    after = dict(User.objects.values_list("pk", "reputation"))
    return [(pk, before[pk], after[pk]) for pk in sorted(after) if before.get(pk) != after[pk]]
