"""Review bans (docs/rules.md, "Review bans"): failed audits ban a reviewer from every review
queue, each automatic ban longer than the last within a lookback, and a moderator may lift
one early. The rows are ``ReviewSuspension``; ``rules.active_review_suspension`` enforces
them."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.conf import qasite_setting
from moderation import rules, signals
from moderation.models import Review, ReviewSuspension
from moderation.services import ModerationError


def setting(name: str):
    return qasite_setting("REVIEW")[name]


def next_ban_days(*, reviewer, now) -> int:
    """The length of the reviewer's next automatic ban: the n-th of ``AUDIT_BAN_DAYS`` for
    their n-th ban within ``AUDIT_BAN_LOOKBACK_DAYS`` (lifted ones included), then the last."""
    lookback = now - timedelta(days=setting("AUDIT_BAN_LOOKBACK_DAYS"))
    earlier = ReviewSuspension.objects.filter(user=reviewer, starts_at__gt=lookback).count()
    lengths = setting("AUDIT_BAN_DAYS")
    return lengths[min(earlier, len(lengths) - 1)]


def ban_after_failed_audits(reviewer) -> ReviewSuspension | None:
    """Ban ``reviewer`` once ``AUDIT_FAILURES_TO_SUSPEND`` audits failed within the window
    and since their last ban ended (its failures never count twice). Called inside the
    review's transaction, under the reviewer's row lock."""
    now = timezone.now()
    window = setting("AUDIT_FAILURE_WINDOW_DAYS")
    failures = Review.objects.filter(
        reviewer=reviewer, audit_passed=False, created_at__gte=now - timedelta(days=window)
    )
    last = ReviewSuspension.objects.filter(user=reviewer).order_by("-starts_at", "-pk").first()
    if last is not None:
        failures = failures.filter(created_at__gt=last.ended_at)
    failed = failures.count()
    if failed < setting("AUDIT_FAILURES_TO_SUSPEND"):
        return None
    days = next_ban_days(reviewer=reviewer, now=now)
    ban = ReviewSuspension.objects.create(
        user=reviewer,
        reason=f"{failed} failed review audits within {window} days",
        starts_at=now,
        ends_at=now + timedelta(days=days),
    )
    signals.review_suspended.send(sender=ReviewSuspension, suspension=ban)
    return ban


@transaction.atomic
def review_ban_lift(*, actor, ban: ReviewSuspension) -> ReviewSuspension:
    """End ``ban`` now, recording who lifted it and when."""
    rules.check_lift_review_ban_permission(actor)
    ban = ReviewSuspension.objects.select_for_update().select_related("user").get(pk=ban.pk)
    now = timezone.now()
    if ban.lifted_at is not None:
        raise ModerationError("This review ban was already lifted.")
    if ban.ends_at <= now:
        raise ModerationError("This review ban has already ended.")
    ban.lifted_at, ban.lifted_by = now, actor
    ban.save(update_fields=["lifted_at", "lifted_by"])
    return ban


def dashboard_bans(*, recent: int = 20) -> dict:
    """The bans in force (soonest end first) and the latest ``recent`` others, lifts
    included: one query."""
    now = timezone.now()
    in_force = Q(ends_at__gt=now, lifted_at__isnull=True)
    latest_over = ReviewSuspension.objects.exclude(in_force).order_by("-starts_at", "-pk")
    bans = list(
        ReviewSuspension.objects.filter(in_force | Q(pk__in=latest_over.values("pk")[:recent]))
        .select_related("user", "lifted_by")
        .order_by("-starts_at", "-pk")
    )
    active = sorted((ban for ban in bans if ban.in_force(now)), key=lambda ban: ban.ends_at)
    return {"active": active, "recent": [ban for ban in bans if not ban.in_force(now)]}
