"""Accepting an answer, and taking the accept back."""

from django.db import transaction
from django.utils import timezone

from threads import limits, rules, signals
from threads.models import (
    Post,
    ReputationChange,
)
from threads.reputation import (
    ACCEPT_CAUSES,
    accept_reputation,
    reputation_revert,
)
from threads.services._common import _bump_version


def _unaccept_locked(question: Post) -> None:
    if question.accepted_answer_id is None:
        return
    reputation_revert(
        ReputationChange.objects.filter(
            post_id=question.accepted_answer_id, cause__in=ACCEPT_CAUSES
        )
    )
    Post.objects.filter(pk=question.pk).update(accepted_answer=None, accepted_at=None)


class _AcceptedChanged(Exception):
    pass


def _lock_for_accepting(answer: Post) -> Post:
    """Lock the users whose reputation (un)accepting changes — the asker, the answer's
    author and the author of the answer accepted now — then the question: users before
    posts, as votes lock them, or an accept racing a vote could deadlock. If another
    accept got in between, the savepoint's rollback releases these locks and it starts
    over (locking one more user while holding the question would break the order)."""
    while True:
        try:
            with transaction.atomic():
                asker, accepted_author = (
                    Post.objects.filter(pk=answer.parent_id)
                    .values_list("author_id", "accepted_answer__author_id")
                    .get()
                )
                limits.lock_users(asker, answer.author_id, accepted_author)
                question = Post.objects.select_for_update(no_key=True).get(pk=answer.parent_id)
                now_accepted = (
                    Post.objects.filter(pk=question.accepted_answer_id)
                    .values_list("author_id", flat=True)
                    .first()
                    if question.accepted_answer_id
                    else None
                )
                if now_accepted != accepted_author:
                    raise _AcceptedChanged
                return question
        except _AcceptedChanged:
            continue


def _check_accept(user, answer: Post, question: Post) -> None:
    answer = Post.objects.get(pk=answer.pk)
    answer.parent = question
    rules.check_accept_answer_permission(user, answer)


@transaction.atomic
def answer_accept(*, user, answer: Post) -> bool:
    """Mark ``answer`` accepted (replacing any other); False if it already is."""
    question = _lock_for_accepting(answer)
    _check_accept(user, answer, question)
    if question.accepted_answer_id == answer.pk:
        return False
    _unaccept_locked(question)
    now = timezone.now()
    Post.objects.filter(pk=question.pk).update(
        accepted_answer=answer, accepted_at=now, accept_imported=False
    )
    answer.parent = question
    accept_reputation(answer, when=now)
    _bump_version(question.pk)
    signals.answer_accepted.send(sender=Post, answer=answer, user=user, accepted_at=now)
    return True


@transaction.atomic
def answer_unaccept(*, user, answer: Post) -> bool:
    question = _lock_for_accepting(answer)
    _check_accept(user, answer, question)
    if question.accepted_answer_id != answer.pk:
        return False
    _unaccept_locked(question)
    _bump_version(question.pk)
    return True
