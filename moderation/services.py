"""Every moderation action goes through one of these functions (views, review queues and the
Django admin alike). Thresholds are counted from vote rows under the question's row lock,
so parallel voters crossing a threshold close or reopen a question exactly once; the state
change itself is ``threads.services``' job. Each action checks its rule (``moderation.rules``)
on the row it locked, whichever entry point calls it."""

from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.privileges import is_moderator
from core.conf import qasite_setting
from moderation import aging, rules, signals, tasks
from moderation.models import (
    CloseReason,
    CloseVote,
    EventKind,
    ModerationEvent,
    ReopenVote,
    ReviewQueue,
    TaskState,
    VoteState,
)
from moderation.notices import (
    CloseComment,
    CloseNotice,
    DuplicateTarget,
    NoticeVoter,
    ReasonSnapshot,
)
from threads import limits
from threads import services as threads_services
from threads.models import PERMANENT_LOCK_UNTIL, LockKind, Post

LOCK_DURATIONS = {
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "7d": timedelta(days=7),
    "permanent": None,
}


class ModerationError(Exception):
    """A request the rules allow but the data refuses (a second vote, a bad duplicate
    target…); its message is shown to the person as is."""


#: Every setting that can decide a closure's, reopening's or review's outcome (docs/rules.md,
#: "Closing and reopening", "Review queues"); the whole ``REVIEW`` table is added to them.
POLICY_SETTINGS = (
    "CLOSE_VOTES_TO_CLOSE",
    "REOPEN_VOTES_TO_REOPEN",
    "CLOSE_VOTE_AGING_DAYS",
    "REVOTE_AFTER_AGING_DAYS",
    "REOPEN_REVIEW_EDIT_DAYS",
    "ANSWER_GRACE_AFTER_CLOSE_HOURS",
    "PRIVILEGES.CAST_CLOSE_VOTES",
    "PRIVILEGES.CLOSE_OWN_QUESTION",
    "RATE_LIMITS.CLOSE_VOTES_PER_DAY",
    "FLAGS.SPAM_OR_RUDE_TO_DELETE",
)


def policy_in_force() -> dict:
    """The settings an action was taken under, recorded with each event: every threshold,
    window and privilege of closing, reopening and reviewing, keyed by its lowercased name."""
    policy = {name.rpartition(".")[2].lower(): qasite_setting(name) for name in POLICY_SETTINGS}
    policy.update({name.lower(): value for name, value in qasite_setting("REVIEW").items()})
    return policy


def event_record(
    *,
    kind: EventKind,
    post: Post | None = None,
    user=None,
    actor=None,
    reason: str = "",
    details: dict | None = None,
) -> ModerationEvent:
    """Append an event about a ``post`` or, for actions on a member, a ``user``."""
    if (post is None) == (user is None):
        raise ValueError("An event is about a post or a member.")
    event = ModerationEvent.objects.create(
        kind=kind,
        post=post,
        question_id=post.question_id if post is not None else None,
        user=user,
        actor=actor,
        actor_name=actor.name if actor is not None else "Community",
        reason=reason[:200],
        details=details or {},
        policy=policy_in_force(),
    )
    signals.event_recorded.send(sender=ModerationEvent, event=event)
    return event


def _locked_question(question: Post) -> Post:
    return (
        Post.objects.select_related("author")
        .select_for_update(no_key=True, of=("self",))
        .get(pk=question.pk)
    )


def _voter(vote) -> dict:
    return {"id": vote.voter_id, "name": vote.voter.name, "binding": vote.binding}


def _refuse_second_vote(mine, action: str, now) -> None:
    """One close (or reopen) vote per voter: ``mine`` are the voter's votes that count
    against another one. A retraction is final; a vote that aged away allows another
    ``REVOTE_AFTER_AGING_DAYS`` after it aged (docs/rules.md, "Time windows")."""
    if mine.filter(state=VoteState.RETRACTED).exists():
        raise ModerationError(f"You retracted your {action} vote; you can't vote again here.")
    if mine.filter(state=VoteState.PENDING).exists():
        raise ModerationError(f"You have already voted to {action} this question.")
    aged = mine.filter(state=VoteState.AGED, ended_at__gt=now - aging.revote_wait())
    last_aged = aged.order_by("-ended_at").values_list("ended_at", flat=True).first()
    if last_aged is not None:
        again = last_aged + aging.revote_wait()
        raise ModerationError(
            f"Your {action} vote here aged away on {last_aged:%b %d, %Y}; you may vote to "
            f"{action} this question again from {again:%b %d, %Y at %H:%M} UTC."
        )


def _votes_complete(model, question: Post, *, queue: str, outcome: str) -> None:
    """The question was closed (or reopened): its pending votes did it, and its review
    tasks in ``queue`` are done."""
    model.objects.filter(question=question, state=VoteState.PENDING).update(
        state=VoteState.COMPLETED, ended_at=timezone.now()
    )
    tasks.tasks_finish(post=question, queues=[queue], state=TaskState.COMPLETED, outcome=outcome)


# Close votes ------------------------------------------------------------------------------


def duplicate_target_check(*, question: Post, target: Post | None) -> Post:
    if target is None:
        raise ModerationError("Choose the question this one duplicates.")
    if target.pk == question.pk:
        raise ModerationError("A question can't be a duplicate of itself.")
    if not target.is_question or target.is_deleted:
        raise ModerationError("The duplicate target must be an existing question.")
    if not target.answers.visible().exists():
        raise ModerationError(
            "The duplicate target has no answers yet: a duplicate must point to a question "
            "that is already answered."
        )
    return target


COMMENT_MAX = CloseVote._meta.get_field("comment").max_length


def _reason_check(reason: CloseReason, comment: str) -> None:
    if len(comment) > COMMENT_MAX:
        raise ModerationError(f"Keep the comment under {COMMENT_MAX} characters.")
    if not reason.is_active or (reason.parent_id and not reason.parent.is_active):
        raise ModerationError("This close reason is no longer in use.")
    if reason.is_group:
        raise ModerationError("Choose one of the off-topic reasons.")
    if reason.requires_comment and not comment.strip():
        raise ModerationError(f"“{reason.name}” needs a comment saying why.")


def _age_votes(model, question: Post, last_vote_at, now) -> None:
    """Mark the pending votes of ``model`` that aged away (``aging``), ended when they aged:
    their voters' wait before voting again counts from then."""
    aged_at = aging.aged_at(last_vote_at)
    if aged_at is not None and now >= aged_at:
        model.objects.filter(question=question, state=VoteState.PENDING).update(
            state=VoteState.AGED, ended_at=aged_at
        )


def _age_close_votes(question: Post, now) -> None:
    _age_votes(CloseVote, question, question.last_close_vote_at, now)


def _pending_close_votes(question: Post) -> list[CloseVote]:
    return list(
        CloseVote.objects.filter(question=question, state=VoteState.PENDING)
        .select_related("voter", "reason__parent", "duplicate_of")
        .order_by("created_at", "pk")
    )


def _outcome_reason(votes: list[CloseVote], binding: CloseVote | None) -> CloseReason:
    """A binding vote's reason wins; otherwise the plurality, ties to the earliest vote."""
    if binding is not None:
        return binding.reason
    counts = Counter(vote.reason_id for vote in votes)
    top = max(counts.values())
    return next(vote.reason for vote in votes if counts[vote.reason_id] == top)


def _close_notice(
    reason: CloseReason, votes: list[CloseVote], duplicates: list[Post]
) -> CloseNotice:
    group = reason.parent
    return CloseNotice(
        reason=ReasonSnapshot.from_json(reason.snapshot()),
        group=ReasonSnapshot.from_json(group.snapshot()) if group else None,
        voters=tuple(
            NoticeVoter(id=vote.voter_id, name=vote.voter.name, binding=vote.binding)
            for vote in votes
        ),
        duplicates=tuple(DuplicateTarget(id=post.pk, title=post.title) for post in duplicates),
        comments=tuple(
            CloseComment(voter=vote.voter.name, comment=vote.comment)
            for vote in votes
            if vote.comment and vote.reason_id == reason.pk
        ),
        closed_at=timezone.now().isoformat(),
    )


def _close(question: Post, votes: list[CloseVote], binding: CloseVote | None) -> None:
    reason = _outcome_reason(votes, binding)
    counted = [binding] if binding is not None else votes
    duplicates = list(
        dict.fromkeys(
            vote.duplicate_of
            for vote in votes
            if vote.reason_id == reason.pk and vote.duplicate_of is not None
        )
    )
    notice = _close_notice(reason, counted, duplicates).as_json()
    if not threads_services.question_close(
        question=question, notice=notice, duplicate_of=duplicates
    ):
        return
    _votes_complete(CloseVote, question, queue=ReviewQueue.CLOSE, outcome="closed")
    event_record(
        kind=EventKind.CLOSED,
        post=question,
        actor=binding.voter if binding is not None else None,
        reason=str(reason),
        details=notice,
    )


def _store_close_count(question: Post) -> int:
    votes = _pending_close_votes(question)
    threads_services.question_pending_votes_set(
        question=question,
        close=len(votes),
        last_close_vote_at=votes[-1].created_at if votes else None,
    )
    return len(votes)


@transaction.atomic
def close_vote_cast(
    *,
    voter,
    question: Post,
    reason: CloseReason,
    duplicate_of: Post | None = None,
    comment: str = "",
) -> CloseVote:
    """Cast a close vote; the threshold-th vote (or a moderator's) closes the question."""
    _reason_check(reason, comment)
    if reason.is_duplicate:
        duplicate_target_check(question=question, target=duplicate_of)
    else:
        duplicate_of = None
    if not is_moderator(voter):
        limits.check_daily(
            user=voter,
            rows=CloseVote.objects.filter(voter=voter, created_at__gte=limits.utc_midnight()),
            name="CLOSE_VOTES_PER_DAY",
            what="close votes",
        )
    question = _locked_question(question)
    rules.check_cast_close_vote_permission(voter, question)
    now = timezone.now()
    _age_close_votes(question, now)
    _refuse_second_vote(CloseVote.objects.filter(question=question, voter=voter), "close", now)
    vote = CloseVote.objects.create(
        question=question,
        voter=voter,
        reason=reason,
        duplicate_of=duplicate_of,
        comment=comment.strip(),
        binding=is_moderator(voter),
        created_at=now,
    )
    event_record(
        kind=EventKind.CLOSE_VOTE,
        post=question,
        actor=voter,
        reason=str(reason),
        details={
            "duplicate_of": duplicate_of.pk if duplicate_of else None,
            "comment": vote.comment,
            "binding": vote.binding,
        },
    )
    votes = _pending_close_votes(question)
    if vote.binding or len(votes) >= qasite_setting("CLOSE_VOTES_TO_CLOSE"):
        _close(question, votes, vote if vote.binding else None)
    else:
        _store_close_count(question)
        tasks.task_enqueue(queue=ReviewQueue.CLOSE, post=question)
    return vote


@transaction.atomic
def close_vote_retract(*, voter, question: Post) -> bool:
    """Withdraw a pending close vote; final for that question."""
    question = _locked_question(question)
    rules.check_retract_vote_permission(voter, question)
    _age_close_votes(question, timezone.now())
    vote = CloseVote.objects.filter(question=question, voter=voter, state=VoteState.PENDING).first()
    if vote is None:
        return False
    CloseVote.objects.filter(pk=vote.pk).update(state=VoteState.RETRACTED, ended_at=timezone.now())
    _store_close_count(question)
    event_record(
        kind=EventKind.CLOSE_VOTE_RETRACTED, post=question, actor=voter, reason=str(vote.reason)
    )
    return True


def close_vote_of(*, voter, question: Post) -> CloseVote | None:
    """The voter's close vote that decides what they may do now: a pending one that still
    counts (aged votes don't), or a retraction (final for the question)."""
    vote = (
        CloseVote.objects.filter(
            question=question, voter=voter, state__in=[VoteState.PENDING, VoteState.RETRACTED]
        )
        .select_related("reason__parent")
        .order_by("-created_at", "-pk")
        .first()
    )
    counting = aging.close_votes_counting(question)
    if vote is not None and vote.state == VoteState.PENDING and not counting:
        return None
    return vote


def _votes_clear(*, model, store, kind: EventKind, reason: str, actor, question: Post) -> bool:
    """End a question's pending votes of ``model`` as cleared by review, ``store`` the new
    count on the question and record ``kind``; False when none were pending."""
    question = _locked_question(question)
    cleared = model.objects.filter(question=question, state=VoteState.PENDING).update(
        state=VoteState.CLEARED, ended_at=timezone.now()
    )
    store(question)
    if not cleared:
        return False
    event_record(kind=kind, post=question, actor=actor, reason=reason, details={"cleared": cleared})
    return True


@transaction.atomic
def close_votes_clear(*, actor, question: Post) -> bool:
    """A Close review that ends in "Leave open" clears the pending votes."""
    return _votes_clear(
        model=CloseVote,
        store=_store_close_count,
        kind=EventKind.CLOSE_VOTES_CLEARED,
        reason="Left open by review",
        actor=actor,
        question=question,
    )


# Reopen votes -----------------------------------------------------------------------------


def _pending_reopen_votes(question: Post) -> list[ReopenVote]:
    return list(
        ReopenVote.objects.filter(question=question, state=VoteState.PENDING)
        .select_related("voter")
        .order_by("created_at", "pk")
    )


def _reopen(question: Post, votes: list[ReopenVote], binding: ReopenVote | None) -> None:
    counted = [binding] if binding is not None else votes
    threads_services.question_reopen(question=question)
    _votes_complete(ReopenVote, question, queue=ReviewQueue.REOPEN, outcome="reopened")
    event_record(
        kind=EventKind.REOPENED,
        post=question,
        actor=binding.voter if binding is not None else None,
        details={"voters": [_voter(vote) for vote in counted]},
    )


def _store_reopen_count(question: Post, votes: list[ReopenVote] | None = None) -> None:
    if votes is None:
        votes = _pending_reopen_votes(question)
    threads_services.question_pending_votes_set(
        question=question,
        reopen=len(votes),
        last_reopen_vote_at=votes[-1].created_at if votes else None,
    )


def _age_reopen_votes(question: Post, now) -> None:
    _age_votes(ReopenVote, question, question.last_reopen_vote_at, now)


@transaction.atomic
def reopen_vote_cast(*, voter, question: Post) -> ReopenVote:
    """Cast a reopen vote; the threshold-th vote (or a moderator's) reopens the question."""
    question = _locked_question(question)
    rules.check_cast_reopen_vote_permission(voter, question)
    now = timezone.now()
    _age_reopen_votes(question, now)
    mine = ReopenVote.objects.filter(
        question=question, voter=voter, created_at__gte=question.closed_at
    )
    _refuse_second_vote(mine, "reopen", now)
    vote = ReopenVote.objects.create(
        question=question, voter=voter, binding=is_moderator(voter), created_at=now
    )
    event_record(
        kind=EventKind.REOPEN_VOTE, post=question, actor=voter, details={"binding": vote.binding}
    )
    votes = _pending_reopen_votes(question)
    if vote.binding or len(votes) >= qasite_setting("REOPEN_VOTES_TO_REOPEN"):
        _reopen(question, votes, vote if vote.binding else None)
    else:
        _store_reopen_count(question, votes)
        tasks.task_enqueue(queue=ReviewQueue.REOPEN, post=question)
    return vote


@transaction.atomic
def reopen_vote_retract(*, voter, question: Post) -> bool:
    question = _locked_question(question)
    rules.check_retract_vote_permission(voter, question)
    _age_reopen_votes(question, timezone.now())
    updated = ReopenVote.objects.filter(
        question=question, voter=voter, state=VoteState.PENDING
    ).update(state=VoteState.RETRACTED, ended_at=timezone.now())
    if not updated:
        return False
    _store_reopen_count(question)
    event_record(kind=EventKind.REOPEN_VOTE_RETRACTED, post=question, actor=voter)
    return True


def reopen_vote_of(*, voter, question: Post) -> ReopenVote | None:
    """The voter's reopen vote since the question was closed that decides what they may do
    now: a pending one that still counts (aged votes don't), or a retraction (final)."""
    if question.closed_at is None:
        return None
    vote = (
        ReopenVote.objects.filter(
            question=question,
            voter=voter,
            state__in=[VoteState.PENDING, VoteState.RETRACTED],
            created_at__gte=question.closed_at,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if vote is not None and vote.state == VoteState.PENDING and aging.reopen_votes_aged(question):
        return None
    return vote


@transaction.atomic
def reopen_votes_clear(*, actor, question: Post) -> bool:
    """A Reopen review that ends in "Leave closed" clears the pending reopen votes."""
    return _votes_clear(
        model=ReopenVote,
        store=lambda question: _store_reopen_count(question, []),
        kind=EventKind.REOPEN_VOTES_CLEARED,
        reason="Left closed by review",
        actor=actor,
        question=question,
    )


# Locks, protection, deletion -------------------------------------------------------------


@transaction.atomic
def post_lock(*, actor, post: Post, kind: str, duration: str) -> bool:
    rules.check_lock_post_permission(actor, post)
    if kind not in LockKind.values:
        raise ModerationError("Choose a kind of lock.")
    if duration not in LOCK_DURATIONS:
        raise ModerationError("Choose how long the lock lasts.")
    length = LOCK_DURATIONS[duration]
    until = PERMANENT_LOCK_UNTIL if length is None else timezone.now() + length
    if not threads_services.post_lock(post=post, kind=kind, until=until):
        return False
    event_record(
        kind=EventKind.LOCKED,
        post=post,
        actor=actor,
        reason=LockKind(kind).label,
        details={"kind": kind, "duration": duration, "until": until.isoformat()},
    )
    return True


@transaction.atomic
def post_unlock(*, actor, post: Post) -> bool:
    rules.check_lock_post_permission(actor, post)
    if not threads_services.post_unlock(post=post):
        return False
    event_record(kind=EventKind.UNLOCKED, post=post, actor=actor)
    return True


@transaction.atomic
def question_protect(*, actor, question: Post, protect: bool = True) -> bool:
    rules.check_protect_question_permission(actor, question)
    if not threads_services.question_protect(question=question, protect=protect):
        return False
    event_record(
        kind=EventKind.PROTECTED if protect else EventKind.UNPROTECTED, post=question, actor=actor
    )
    return True


def post_delete(*, actor, post: Post) -> bool:
    """Deletion is threads' transition; its signal records the event (see handlers)."""
    return threads_services.post_delete(actor=actor, post=post)


def post_undelete(*, actor, post: Post) -> bool:
    return threads_services.post_undelete(actor=actor, post=post)
