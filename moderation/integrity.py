"""The integrity check (README, "After an incident"; ``manage.py check_integrity``): every
stored counter and state against the rows it sums, each check one aggregate query over the
whole site, so it runs in seconds on a large one.

Posts brought from elsewhere (the ``imported_posts`` point: a dump's posts, the demo's seed
thread) keep the score of their source, which has no vote rows here, and closures the source
may not have logged: the score and closure checks leave them out; every other check covers
them."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from moderation.imported import imported_posts
from moderation.models import EventKind, ModerationEvent
from threads.models import Post, PostKind, Tag

User = get_user_model()


@dataclass
class Finding:
    """One check's outcome: how many rows it read and the ids of those that disagree,
    each with what was stored and what the rows say."""

    name: str
    description: str
    checked: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


def _summed(queryset, group: str, aggregate):
    """A subquery: ``aggregate`` over ``queryset``'s rows grouped on ``group`` = the outer
    row, 0 when there are none (for relations without a reverse name)."""
    rows = queryset.filter(**{group: OuterRef("pk")}).order_by().values(group)
    return Coalesce(Subquery(rows.annotate(n=aggregate).values("n")), 0)


def _local_posts():
    """Posts written on this site (not imported), as a queryset."""
    posts = Post.objects.all()
    for contribution in imported_posts.contributions():
        posts = posts.exclude(pk__in=contribution.render())
    return posts


def _compare(finding: Finding, rows, stored: str, expected, label: str) -> Finding:
    """Count ``rows`` and list those whose ``stored`` differs from the aggregate
    ``expected`` (one grouped query over the join)."""
    finding.checked = rows.count()
    annotated = rows.annotate(expected=expected)
    wrong = annotated.exclude(**{stored: F("expected")}).values_list("pk", stored, "expected")
    finding.problems = [
        (pk, f"{label} {have}, rows say {want}") for pk, have, want in wrong.order_by("pk")
    ]
    return finding


def check_scores() -> Finding:
    """A local post's score, up and down counts are the sum and counts of its votes."""
    local = _local_posts()
    posts = local.annotate(
        vote_sum=Coalesce(Sum("votes__value"), 0),
        ups=Count("votes", filter=Q(votes__value__gt=0)),
        downs=Count("votes", filter=Q(votes__value__lt=0)),
    )
    finding = Finding("scores", "post score = sum of its votes (imported posts left out)")
    finding.checked = local.count()
    wrong = posts.exclude(score=F("vote_sum"), up_votes=F("ups"), down_votes=F("downs"))
    finding.problems = [
        (pk, f"score {score} (+{up} -{down}), votes say {vote_sum} (+{ups} -{downs})")
        for pk, score, up, down, vote_sum, ups, downs in wrong.order_by("pk").values_list(
            "pk", "score", "up_votes", "down_votes", "vote_sum", "ups", "downs"
        )
    ]
    return finding


def check_answer_counts() -> Finding:
    """A question's answer count is its answers not deleted."""
    questions = Post.objects.filter(kind=PostKind.QUESTION)
    answers = Count("answers", filter=Q(answers__deleted_at__isnull=True))
    finding = Finding("answer_count", "question answer_count = its answers not deleted")
    return _compare(finding, questions, "answer_count", answers, "answer_count")


def check_comment_counts() -> Finding:
    """A post's comment count is its comments not deleted."""
    comments = Count("comments", filter=Q(comments__deleted_at__isnull=True))
    finding = Finding("comment_count", "post comment_count = its comments not deleted")
    return _compare(finding, Post.objects.all(), "comment_count", comments, "comment_count")


def check_closures() -> Finding:
    """A local question's "closed" events outnumber its "reopened" ones by exactly one
    when it is closed, and equal them when it is open."""
    events = ModerationEvent.objects.all()
    questions = (
        _local_posts()
        .filter(kind=PostKind.QUESTION)
        .annotate(
            closed_events=_summed(events, "question", Count("pk", filter=Q(kind=EventKind.CLOSED))),
            reopened_events=_summed(
                events, "question", Count("pk", filter=Q(kind=EventKind.REOPENED))
            ),
        )
        .annotate(
            expected=ExpressionWrapper(
                F("reopened_events") + Case(When(closed_at__isnull=False, then=1), default=0),
                output_field=IntegerField(),
            )
        )
    )
    finding = Finding(
        "closures", "each closure has its one 'closed' event in the log (imported left out)"
    )
    finding.checked = questions.count()
    wrong = questions.exclude(closed_events=F("expected")).values_list(
        "pk", "closed_at", "closed_events", "reopened_events"
    )
    finding.problems = [
        (pk, f"{'closed' if closed_at else 'open'}, {closed} closed / {reopened} reopened events")
        for pk, closed_at, closed, reopened in wrong.order_by("pk")
    ]
    return finding


def check_reputation() -> Finding:
    """A member's reputation is 1 + imported reputation + their ledger, and never below 1
    (the ledger holds what was applied after the floor: docs/rules.md, "Reputation")."""
    users = User.objects.annotate(
        expected=ExpressionWrapper(
            1 + F("imported_reputation") + Coalesce(Sum("reputation_changes__amount"), 0),
            output_field=IntegerField(),
        )
    )
    finding = Finding("reputation", "reputation = 1 + imported + ledger, at least 1")
    finding.checked = User.objects.count()
    wrong = users.filter(~Q(reputation=F("expected")) | Q(reputation__lt=1)).values_list(
        "pk", "reputation", "expected"
    )
    finding.problems = [
        (pk, f"reputation {have}, ledger says {want}") for pk, have, want in wrong.order_by("pk")
    ]
    return finding


def check_tag_counts() -> Finding:
    """A tag's usage count is its questions not deleted."""
    questions = Count(
        "tagged_posts",
        filter=Q(
            tagged_posts__content_object__kind=PostKind.QUESTION,
            tagged_posts__content_object__deleted_at__isnull=True,
        ),
    )
    finding = Finding("tag_counts", "tag usage_count = its questions not deleted")
    return _compare(finding, Tag.objects.all(), "usage_count", questions, "usage_count")


def check_accepted_answers() -> Finding:
    """An accepted answer is an answer of that question."""
    questions = Post.objects.filter(kind=PostKind.QUESTION, accepted_answer__isnull=False)
    finding = Finding("accepted", "accepted answer belongs to its question")
    finding.checked = questions.count()
    wrong = questions.exclude(accepted_answer__parent=F("pk")).values_list("pk", "accepted_answer")
    finding.problems = [
        (pk, f"accepted answer {answer} is not one of its answers")
        for pk, answer in wrong.order_by("pk")
    ]
    return finding


CHECKS = (
    check_scores,
    check_answer_counts,
    check_comment_counts,
    check_closures,
    check_reputation,
    check_tag_counts,
    check_accepted_answers,
)


def integrity_check() -> list[Finding]:
    """Every check, in order."""
    return [check() for check in CHECKS]
