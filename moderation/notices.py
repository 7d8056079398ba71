"""The close notice: what a closed question says about its closure, as it was at closure.

``threads.Post.close_notice`` stores it as JSON for moderation, without reading it; moderation
writes it (``CloseNotice.as_json``) and reads it (``CloseNotice.of``) through these types
only. Imports (``dumps``) write the same shape, with the source site's label of the reason.
Reading is lenient: a notice stored by an older version, or a field missing from an import,
reads as empty rather than failing the page.
"""

from dataclasses import dataclass, field
from typing import Any

from moderation.models import CloseReasonKind


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


@dataclass(frozen=True)
class ReasonSnapshot:
    """A close reason's texts in force at closure (``CloseReason.snapshot``)."""

    id: int | None = None
    name: str = ""
    kind: str = ""
    brief_description: str = ""
    post_notice: str = ""
    asker_guidance: str = ""

    @classmethod
    def from_json(cls, data: Any) -> "ReasonSnapshot | None":
        data = _mapping(data)
        if not data:
            return None
        return cls(
            id=data.get("id"),
            **{
                name: _text(data.get(name))
                for name in ("name", "kind", "brief_description", "post_notice", "asker_guidance")
            },
        )

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "brief_description": self.brief_description,
            "post_notice": self.post_notice,
            "asker_guidance": self.asker_guidance,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class NoticeVoter:
    id: int | None  # None: a voter known only by name (deleted, or from an import)
    name: str
    binding: bool = False  # a moderator's vote, which closed alone


@dataclass(frozen=True)
class DuplicateTarget:
    id: int
    title: str


@dataclass(frozen=True)
class CloseComment:
    voter: str
    comment: str


#: What a notice says of a reason that promises the voters' comment when none was recorded
#: (an imported closure: dumps do not hold it).
UNRECORDED_COMMENT = (
    "This question is off-topic for this site; the voters' comment saying why is not recorded here."
)


@dataclass(frozen=True)
class CloseNotice:
    reason: ReasonSnapshot | None
    group: ReasonSnapshot | None = None  # the off-topic group of a site-specific reason
    voters: tuple[NoticeVoter, ...] = ()
    duplicates: tuple[DuplicateTarget, ...] = ()
    comments: tuple[CloseComment, ...] = ()  # the voters' comments on the outcome's reason
    closed_at: str | None = None  # ISO 8601
    #: Imported closures: the source site's name and id of the reason, when they differ.
    source: dict = field(default_factory=dict)

    @property
    def is_duplicate(self) -> bool:
        return self.reason is not None and self.reason.kind == CloseReasonKind.DUPLICATE

    @property
    def label(self) -> str:
        """The word the question's title is marked with."""
        return "duplicate" if self.is_duplicate else "closed"

    @property
    def reason_notice(self) -> str:
        """The reason's text on the notice: its post notice (else its name), unless it
        promises the voters' comment ("Something else") and none was recorded."""
        reason = self.reason or ReasonSnapshot()
        if reason.kind == CloseReasonKind.SOMETHING_ELSE and not self.comments:
            return UNRECORDED_COMMENT
        return reason.post_notice or reason.name

    @property
    def source_reason(self) -> str:
        return _text(self.source.get("source_reason"))

    @classmethod
    def of(cls, question) -> "CloseNotice | None":
        """The notice of a closed question, None for an open one."""
        if question.closed_at is None:
            return None
        return cls.from_json(question.close_notice)

    @classmethod
    def from_json(cls, data: Any) -> "CloseNotice":
        data = _mapping(data)
        return cls(
            reason=ReasonSnapshot.from_json(data.get("reason")),
            group=ReasonSnapshot.from_json(data.get("group")),
            voters=tuple(
                NoticeVoter(
                    id=item.get("id"),
                    name=_text(item.get("name")),
                    binding=bool(item.get("binding")),
                )
                for item in _items(data.get("voters"))
            ),
            duplicates=tuple(
                DuplicateTarget(id=item.get("id"), title=_text(item.get("title")))
                for item in _items(data.get("duplicates"))
            ),
            comments=tuple(
                CloseComment(voter=_text(item.get("voter")), comment=_text(item.get("comment")))
                for item in _items(data.get("comments"))
            ),
            closed_at=data.get("closed_at"),
            source={key: data[key] for key in ("source_reason", "source_reason_id") if key in data},
        )

    def as_json(self) -> dict:
        """The stored shape (``threads.Post.close_notice``)."""
        return {
            "reason": self.reason.as_json() if self.reason else None,
            "group": self.group.as_json() if self.group else None,
            "voters": [
                {"id": voter.id, "name": voter.name, "binding": voter.binding}
                for voter in self.voters
            ],
            "duplicates": [{"id": target.id, "title": target.title} for target in self.duplicates],
            "comments": [{"voter": item.voter, "comment": item.comment} for item in self.comments],
            "closed_at": self.closed_at,
            **self.source,
        }
