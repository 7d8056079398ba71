"""Serial voting (docs/rules.md, "Serial voting"): one member's many votes on another's posts
in a short window are found by one aggregate query, reversed through threads' service with
the reputation they moved, and recorded in the moderation log; the dashboard lists them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from core.conf import qasite_setting
from moderation.models import EventKind, ModerationEvent
from moderation.services import event_record
from threads import services as threads_services
from threads.models import Vote


def serial_setting(name: str) -> int:
    return qasite_setting(f"SERIAL_VOTING.{name}")


@dataclass(frozen=True)
class Detection:
    """A voter's votes of one direction (+1 or -1) on one receiver's posts in the window."""

    voter_id: int
    receiver_id: int
    value: int
    count: int
    first: datetime
    last: datetime


def _window_votes(*, since: datetime, until: datetime):
    return Vote.objects.filter(cast_at__gte=since, cast_at__lte=until, post__author__isnull=False)


def serial_votes_find(*, since: datetime, until: datetime) -> list[Detection]:
    """The (voter, receiver, direction) triples with at least ``SERIAL_VOTES_MIN`` votes cast
    in [since, until]: one query, counted by the database."""
    rows = (
        _window_votes(since=since, until=until)
        .values("user_id", "post__author_id", "value")
        .annotate(count=Count("pk"), first=Min("cast_at"), last=Max("cast_at"))
        .filter(count__gte=serial_setting("SERIAL_VOTES_MIN"))
        .order_by("user_id", "post__author_id", "value")
    )
    return [
        Detection(r["user_id"], r["post__author_id"], r["value"], r["count"], r["first"], r["last"])
        for r in rows
    ]


@transaction.atomic
def _reverse(detection: Detection, *, since, until, users: dict):
    """Reverse one detection and record it; None when, under the locks, fewer votes than
    the threshold remain (a second run for the same window)."""
    votes = _window_votes(since=since, until=until).filter(
        user_id=detection.voter_id,
        post__author_id=detection.receiver_id,
        value=detection.value,
    )
    reversed_ = threads_services.votes_reverse(
        votes=votes, at_least=serial_setting("SERIAL_VOTES_MIN")
    )
    if not reversed_.count:
        return None
    voter, receiver = users[detection.voter_id], users[detection.receiver_id]
    direction = "up" if detection.value > 0 else "down"
    return event_record(
        kind=EventKind.SERIAL_VOTING_REVERSED,
        user=voter,
        reason=f"{reversed_.count} {direction}votes on posts by {receiver.name}",
        details={
            "voter_id": detection.voter_id,
            "voter_name": voter.name,
            "receiver_id": detection.receiver_id,
            "receiver_name": receiver.name,
            "direction": direction,
            "count": reversed_.count,
            "reputation_reversed": reversed_.reputation.get(detection.receiver_id, 0),
            "voter_refund": reversed_.reputation.get(detection.voter_id, 0),
            "first_vote_at": detection.first.isoformat(),
            "last_vote_at": detection.last.isoformat(),
        },
    )


def serial_voting_reverse(*, hours: int | None = None, now=None) -> list[ModerationEvent]:
    """The daily job: find serial voting in the last ``hours`` (``SERIAL_WINDOW_HOURS`` by
    default) and reverse each detection in its own transaction. Idempotent: reversed votes
    are gone, so a second run for the same window finds nothing more."""
    until = now or timezone.now()
    since = until - timedelta(hours=hours or serial_setting("SERIAL_WINDOW_HOURS"))
    detections = serial_votes_find(since=since, until=until)
    ids = {pk for d in detections for pk in (d.voter_id, d.receiver_id)}
    users = get_user_model().objects.in_bulk(ids)
    events = (_reverse(d, since=since, until=until, users=users) for d in detections)
    return [event for event in events if event is not None]


@dataclass(frozen=True)
class DetectionRow:
    """A recorded reversal, for the dashboard."""

    when: datetime
    voter_id: int
    voter_name: str
    receiver_id: int
    receiver_name: str
    direction: str
    count: int
    reputation_reversed: int


def recent_detections() -> list[DetectionRow]:
    """The latest ``SERIAL_DETECTIONS_SHOWN`` reversals, newest first: one query (the names
    are in each event's details)."""
    events = (
        ModerationEvent.objects.filter(kind=EventKind.SERIAL_VOTING_REVERSED)
        .only("created_at", "details")
        .order_by("-created_at", "-pk")[: serial_setting("SERIAL_DETECTIONS_SHOWN")]
    )
    return [
        DetectionRow(
            when=event.created_at,
            voter_id=event.details["voter_id"],
            voter_name=event.details["voter_name"],
            receiver_id=event.details["receiver_id"],
            receiver_name=event.details["receiver_name"],
            direction=event.details["direction"],
            count=event.details["count"],
            reputation_reversed=event.details["reputation_reversed"],
        )
        for event in events
    ]
