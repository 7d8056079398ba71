"""The moderation part of the demo, made through ``moderation.services`` like a person's
votes: the seed question's debate (two pending "career advice" close votes, so ``closer3``
can close it and the asker or ``moderator`` can reopen it) and one generated question
closed as a duplicate of another."""

from moderation import services
from moderation.models import CloseReason, CloseReasonKind
from threads.models import Post

CAREER_REASON_PREFIX = "Career advice"


def seed_close_votes(*, question: Post, demo_users: dict) -> None:
    career = CloseReason.objects.get(name__startswith=CAREER_REASON_PREFIX)
    for username in ("closer1", "closer2"):
        services.close_vote_cast(voter=demo_users[username], question=question, reason=career)


def duplicate_closure(*, demo_users: dict) -> Post | None:
    """Close the newest generated question without answers as a duplicate of the newest
    answered question whose tags it shares; None when the data has no such pair."""
    duplicate = CloseReason.objects.get(kind=CloseReasonKind.DUPLICATE)
    generated = Post.objects.questions().visible().filter(closed_at__isnull=True)
    for question in generated.filter(answer_count=0).order_by("-created_at")[:20]:
        tags = list(question.tags.names())
        target = (
            generated.filter(answer_count__gt=0, tags__name__in=tags)
            .exclude(pk=question.pk)
            .order_by("-score")
            .first()
        )
        if target is None:
            continue
        for username in ("closer1", "closer2", "closer3"):
            services.close_vote_cast(
                voter=demo_users[username],
                question=question,
                reason=duplicate,
                duplicate_of=target,
            )
        return question
    return None
