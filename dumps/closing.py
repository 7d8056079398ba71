"""Close reasons between Stack Exchange ids and the site's ``CloseReason`` rows.

A closure (PostHistory type 10) carries the reason id in ``Comment``: old ids (before 2013)
and current ones (101–105). Each maps to one of the default reasons; the source's own label
is kept in the notice as ``source_reason`` so history stays honest ("Too localized" is not
"Needs more focus", even if that is its nearest reason today)."""

from __future__ import annotations

from dataclasses import dataclass

from moderation.models import CloseReason, CloseReasonKind
from moderation.notices import CloseNotice, DuplicateTarget, NoticeVoter, ReasonSnapshot

DUPLICATE = "duplicate"
OFF_TOPIC = "off-topic"
NEEDS_DETAILS = "Needs details or clarity"
NEEDS_FOCUS = "Needs more focus"
OPINION = "Opinion-based"

#: Comment of a type-10 row → (local reason, the source site's label).
SOURCE_REASONS: dict[int, tuple[str, str]] = {
    1: (DUPLICATE, "Exact duplicate"),
    2: (OFF_TOPIC, "Off topic"),
    3: (OPINION, "Subjective and argumentative"),
    4: (NEEDS_DETAILS, "Not a real question"),
    7: (NEEDS_FOCUS, "Too localized"),
    10: (NEEDS_DETAILS, "General reference"),
    20: (OFF_TOPIC, "Noise or pointless"),
    101: (DUPLICATE, "Duplicate"),
    102: (OFF_TOPIC, "Off-topic"),
    103: (NEEDS_DETAILS, "Unclear what you're asking"),
    104: (NEEDS_FOCUS, "Too broad"),
    105: (OPINION, "Primarily opinion-based"),
}

#: The source label of a closure Posts.xml records (``ClosedDate``) without a close event.
UNKNOWN_CLOSURE = "unknown (no close event in the dump)"
#: … and of one read as a duplicate from its PostLinks.xml duplicate link (LinkTypeId 3).
INFERRED_DUPLICATE = "duplicate (inferred from PostLinks.xml: no close event in the dump)"

#: Local reason → the current Stack Exchange id written by the exporter.
EXPORT_IDS = {DUPLICATE: 101, OFF_TOPIC: 102, NEEDS_DETAILS: 103, NEEDS_FOCUS: 104, OPINION: 105}


def _synthetic(name: str, kind: str = CloseReasonKind.STANDARD) -> dict:
    """A snapshot for a reason the site no longer has (renamed or removed in the admin)."""
    return {
        "id": None,
        "name": name,
        "brief_description": "",
        "post_notice": f"This question was closed as “{name}”.",
        "asker_guidance": "",
        "kind": kind,
    }


@dataclass
class ResolvedReason:
    reason: dict
    group: dict | None
    source_reason: str
    source_reason_id: str

    @property
    def name(self) -> str:
        return self.reason["name"]

    @property
    def is_duplicate(self) -> bool:
        return self.reason.get("kind") == CloseReasonKind.DUPLICATE


class ReasonMap:
    """The site's reasons, read once per import."""

    def __init__(self):
        reasons = list(CloseReason.objects.select_related("parent").order_by("order", "pk"))
        tops = [reason for reason in reasons if reason.parent_id is None]
        self.duplicate = next((r for r in tops if r.kind == CloseReasonKind.DUPLICATE), None)
        self.group = next((r for r in tops if r.kind == CloseReasonKind.OFF_TOPIC), None)
        children = [r for r in reasons if self.group and r.parent_id == self.group.pk]
        self.children = {child.name.lower(): child for child in children}
        self.something_else = next(
            (r for r in children if r.kind == CloseReasonKind.SOMETHING_ELSE), None
        )
        self.by_name = {r.name.lower(): r for r in tops if r.kind == CloseReasonKind.STANDARD}

    def _duplicate(self) -> dict:
        if self.duplicate is None:
            return _synthetic("Duplicate", CloseReasonKind.DUPLICATE)
        return self.duplicate.snapshot()

    def _off_topic(self, sub_reason: str | None) -> tuple[dict, dict | None]:
        if self.group is None:
            return _synthetic("Off-topic"), None
        child = self.children.get((sub_reason or "").lower()) or self.something_else
        reason = child.snapshot() if child else _synthetic("Something else")
        return reason, self.group.snapshot()

    def resolve(self, comment: str | None, sub_reason: str | None = None) -> ResolvedReason:
        raw = (comment or "").strip()
        try:
            known = SOURCE_REASONS.get(int(raw))
        except ValueError:
            known = None
        if known is None:
            reason, group = self._off_topic(None)
            label = f"unknown close reason {raw}" if raw else "unknown close reason"
            return ResolvedReason(reason, group, label, raw)
        local, label = known
        if local == DUPLICATE:
            return ResolvedReason(self._duplicate(), None, label, raw)
        if local == OFF_TOPIC:
            reason, group = self._off_topic(sub_reason)
            return ResolvedReason(reason, group, label, raw)
        found = self.by_name.get(local.lower())
        return ResolvedReason(found.snapshot() if found else _synthetic(local), None, label, raw)

    def unknown_closure(self) -> ResolvedReason:
        """For a question closed in Posts.xml without a close event in PostHistory."""
        reason, group = self._off_topic(None)
        return ResolvedReason(reason, group, UNKNOWN_CLOSURE, "")

    def inferred_duplicate(self) -> ResolvedReason:
        """For such a question with a duplicate link in PostLinks.xml: closed as a
        duplicate of the link's target."""
        return ResolvedReason(self._duplicate(), None, INFERRED_DUPLICATE, "")


def is_unknown_closure(notice: CloseNotice) -> bool:
    """Whether an imported closure's reason is unknown (``ReasonMap.unknown_closure``)."""
    return notice.source_reason == UNKNOWN_CLOSURE


def close_notice(
    resolved: ResolvedReason, voters: list[dict], duplicates: list[dict], when
) -> dict:
    """An imported closure's notice (``moderation.notices.CloseNotice``, stored as JSON),
    with the source's name and id of the reason."""
    return CloseNotice(
        reason=ReasonSnapshot.from_json(resolved.reason),
        group=ReasonSnapshot.from_json(resolved.group),
        voters=tuple(
            NoticeVoter(id=voter["id"], name=voter["name"], binding=voter["binding"])
            for voter in voters
        ),
        duplicates=tuple(
            DuplicateTarget(id=item["id"], title=item["title"]) for item in duplicates
        ),
        closed_at=when.isoformat() if when else None,
        source={
            "source_reason": resolved.source_reason,
            "source_reason_id": resolved.source_reason_id,
        },
    ).as_json()


def export_id(notice: CloseNotice) -> int:
    """The Stack Exchange id for a closure's notice: the source's own id for an imported
    closure (so "Too localized" stays itself), else 101–105."""
    source_id = str(notice.source.get("source_reason_id") or "")
    if source_id.isdigit() and int(source_id) in SOURCE_REASONS:
        return int(source_id)
    kind = notice.reason.kind if notice.reason else ""
    if kind == CloseReasonKind.DUPLICATE:
        return EXPORT_IDS[DUPLICATE]
    if notice.group or kind in (CloseReasonKind.OFF_TOPIC, CloseReasonKind.SOMETHING_ELSE):
        return EXPORT_IDS[OFF_TOPIC]
    name = (notice.reason.name if notice.reason else "").lower()
    for local in (NEEDS_DETAILS, NEEDS_FOCUS, OPINION):
        if name == local.lower():
            return EXPORT_IDS[local]
    return EXPORT_IDS[OFF_TOPIC]


def off_topic_sub_reason(notice: CloseNotice) -> str | None:
    """The off-topic sub-reason's own name (``snapshot()`` names it "Off-topic: …")."""
    if not notice.group:
        return None
    name = notice.reason.name if notice.reason else ""
    prefix = f"{notice.group.name}: "
    return name[len(prefix) :] if name.startswith(prefix) else name
