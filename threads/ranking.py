"""The time-dependent ranks of the question lists (docs/rules.md, "Question lists"): Hot,
Week and Month, and the link count behind Frequent. A periodic job (``rank_questions``:
``manage.py rank_questions`` or RQ's cron, ``threads/cron.py``) writes them into stored
columns of ``Post``, so the tabs are plain index scans and stay the same between runs."""

import math
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.conf import qasite_setting
from threads import page_state
from threads.models import Post, PostLink

#: Hot scores are stored as integers (keyset cursors carry integers): the formula times this.
HOT_SCALE = 1_000_000
BATCH = 500


def hot_score(
    *,
    views: int,
    answers: int,
    score: int,
    answer_score: int,
    age_hours: float,
    idle_hours: float,
) -> float:
    """Stack Exchange's hot-question formula, made monotonic (docs/rules.md, "Hot"):

    ``(W·log10(views) + answers·max(score, 0)/D + answer_score)
    / (1 + age/2 + idle/2) ** G``

    where ``answer_score`` is the sum of the positive answer scores, ``age`` the hours since
    the question was asked and ``idle`` the hours since its last activity (at most ``age``);
    ``W``, ``D`` and ``G`` are ``HOT_VIEW_WEIGHT``, ``HOT_ANSWER_DIVISOR`` and
    ``HOT_GRAVITY``. It never falls when views, answers, the score or the answers' scores
    grow, and never rises with age or idleness; it is never negative."""
    conf = qasite_setting("LISTS")
    age = max(0.0, age_hours)
    idle = min(max(0.0, idle_hours), age)
    numerator = (
        conf["HOT_VIEW_WEIGHT"] * math.log10(max(views, 1))
        + max(answers, 0) * max(score, 0) / conf["HOT_ANSWER_DIVISOR"]
        + max(answer_score, 0)
    )
    return numerator / (1 + age / 2 + idle / 2) ** conf["HOT_GRAVITY"]


def _hours(since: datetime, now: datetime) -> float:
    return (now - since).total_seconds() / 3600


def _link_counts() -> dict[int, int]:
    """Per question, how many other questions link to it (a link in any of their posts, or
    a duplicate closure): Stack Exchange's "frequent"."""
    source = Coalesce("post__parent_id", "post_id")
    rows = (
        PostLink.objects.filter(post__deleted_at__isnull=True, target__parent__isnull=True)
        .exclude(post_id=F("target_id"))
        .exclude(post__parent_id=F("target_id"))
        .values("target_id")
        .annotate(count=Count(source, distinct=True))
    )
    return {row["target_id"]: row["count"] for row in rows}


def rank_questions(*, now: datetime | None = None) -> int:
    """Write every question's ranks as of ``now``; returns how many rows changed. Rows
    outside the windows are reset, so a question drops out of Hot, Week and Month once it
    is older than their window."""
    now = now or timezone.now()
    conf = qasite_setting("LISTS")
    hot_since = now - timedelta(days=conf["HOT_WINDOW_DAYS"])
    week_since = now - timedelta(days=conf["WEEK_DAYS"])
    month_since = now - timedelta(days=conf["MONTH_DAYS"])
    questions = list(
        Post.objects.questions()
        .visible()
        .filter(
            Q(last_activity_at__gte=hot_since)
            | Q(created_at__gte=min(week_since, month_since))
            | Q(link_count__gt=0)
            | Q(hot_rank__gt=0)
            | Q(week_rank__isnull=False)
            | Q(month_rank__isnull=False)
        )
        .only(
            "pk",
            "kind",
            "score",
            "view_count",
            "answer_count",
            "created_at",
            "last_activity_at",
            "hot_rank",
            "week_rank",
            "month_rank",
            "link_count",
        )
    )
    links = _link_counts()
    answer_scores: dict[int, int] = defaultdict(int)
    hot_ids = [q.pk for q in questions if q.last_activity_at >= hot_since]
    for start in range(0, len(hot_ids), BATCH):
        rows = (
            Post.objects.answers()
            .visible()
            .filter(parent_id__in=hot_ids[start : start + BATCH])
            .values("parent_id")
            .annotate(
                total=Sum(
                    Case(When(score__gt=0, then="score"), default=0, output_field=IntegerField())
                )
            )
        )
        for row in rows:
            answer_scores[row["parent_id"]] = row["total"] or 0
    changed = []
    for question in questions:
        ranks = {
            "hot_rank": 0,
            "week_rank": question.score if question.created_at >= week_since else None,
            "month_rank": question.score if question.created_at >= month_since else None,
            "link_count": links.pop(question.pk, 0),
        }
        if question.last_activity_at >= hot_since:
            hot = hot_score(
                views=question.view_count,
                answers=question.answer_count,
                score=question.score,
                answer_score=answer_scores[question.pk],
                age_hours=_hours(question.created_at, now),
                idle_hours=_hours(question.last_activity_at, now),
            )
            ranks["hot_rank"] = round(hot * HOT_SCALE)
        if any(getattr(question, name) != value for name, value in ranks.items()):
            for name, value in ranks.items():
                setattr(question, name, value)
            question.changed_at = now  # the lists showing it change (their cache validator)
            changed.append(question)
    # Linked questions outside the windows (older ones are the usual "frequent" questions).
    if links:
        extra = (
            Post.objects.questions().visible().filter(pk__in=list(links)).only("pk", "link_count")
        )
        for question in extra:
            if question.link_count != links[question.pk]:
                question.link_count = links[question.pk]
                question.changed_at = now
                changed.append(question)
    with transaction.atomic():
        page_state.changed()  # the lists
        Post.objects.bulk_update(
            changed,
            ["hot_rank", "week_rank", "month_rank", "link_count", "changed_at"],
            batch_size=BATCH,
        )
    return len(changed)
