"""The reputation changes feed (the profile's reputation tab) and summary (a line in a menu):
reads of the ledger (docs/architecture.md, Decisions: "Reputation is a ledger"), grouped and
counted by the database so a page costs a constant number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, QuerySet, Subquery, Sum

from threads.models import VOTE_CAUSES, Post, PostKind, ReputationCause, ReputationChange
from threads.reputation import utc_day

#: The words of each cause in the feed, as on Stack Exchange ("+10 upvote ×3").
CAUSE_WORDS = {
    ReputationCause.UPVOTED: "upvote",
    ReputationCause.DOWNVOTED: "downvote",
    ReputationCause.DOWNVOTED_ANSWER: "you downvoted an answer",
    ReputationCause.ACCEPTED: "accepted",
    ReputationCause.ACCEPTER: "you accepted an answer",
    ReputationCause.EDIT_APPROVED: "edit approved",
    ReputationCause.SPAM_PENALTY: "deleted as spam or rude",
    ReputationCause.VOTING_CORRECTED: "voting corrected",
}
GAIN_CAUSES = frozenset(
    {
        ReputationCause.UPVOTED,
        ReputationCause.ACCEPTED,
        ReputationCause.ACCEPTER,
        ReputationCause.EDIT_APPROVED,
    }
)
CAUSE_ORDER = {cause: index for index, cause in enumerate(ReputationCause.values)}
#: What the feed shows of a change's post, read by join (no query per post).
CHANGE_POST_FIELDS = (
    "post_id",
    "post__kind",
    "post__title",
    "post__deleted_at",
    "post__parent__title",
    "post__parent__deleted_at",
)


def signed(amount: int) -> str:
    """An amount with its sign in text: "+10", "−2" (a minus sign), "0"."""
    if amount > 0:
        return f"+{amount}"
    return f"\u2212{-amount}" if amount < 0 else "0"


def change_label(cause: str, amount: int) -> str:
    """The words of a change: its cause; "reversed" when the amount has the sign opposite to
    the cause's (a gain taken back, a penalty returned; a correction goes either way);
    "daily cap reached" for a vote that earned nothing (docs/rules.md, "Reputation")."""
    words = CAUSE_WORDS.get(cause, cause)
    if amount == 0 and cause in VOTE_CAUSES:
        return f"{words} (daily cap reached)"
    if (
        amount
        and cause != ReputationCause.VOTING_CORRECTED
        and (amount > 0) != (cause in GAIN_CAUSES)
    ):
        return f"{words} reversed"
    return words


def _change_post(row: dict) -> tuple[str, str | None, bool]:
    """(title, url, deleted) of a change's post from ``CHANGE_POST_FIELDS``; no link to a
    deleted post or to an answer of a deleted question."""
    if row["post_id"] is None:
        return "", None, False
    is_question = row["post__kind"] == PostKind.QUESTION
    title = row["post__title"] if is_question else row["post__parent__title"]
    deleted = row["post__deleted_at"] is not None or (
        not is_question and row["post__parent__deleted_at"] is not None
    )
    post = Post(pk=row["post_id"], kind=row["post__kind"], title=title)
    return title, None if deleted else post.get_absolute_url(), deleted


class _Described:
    """What a change of ``amount`` for ``cause`` is called, and its signed amount."""

    cause: str
    amount: int

    @property
    def label(self) -> str:
        return change_label(self.cause, self.amount)

    @property
    def signed_amount(self) -> str:
        return signed(self.amount)


@dataclass(frozen=True)
class ReputationLine(_Described):
    """The changes of one cause and one amount on one post in one day: "+10 upvote ×3"."""

    cause: str
    amount: int
    count: int

    @property
    def total(self) -> int:
        return self.amount * self.count


class _SignedTotal:
    total: int

    @property
    def signed_total(self) -> str:
        return signed(self.total)


@dataclass
class ReputationPostGroup(_SignedTotal):
    """A day's changes on one post (``post_id`` None: the changes tied to no post)."""

    post_id: int | None
    title: str
    url: str | None
    deleted: bool
    latest: datetime
    lines: list[ReputationLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)


@dataclass
class ReputationDay(_SignedTotal):
    """One UTC day of the feed: its total and its post groups, latest first."""

    day: date
    posts: list[ReputationPostGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.posts)


def reputation_days(*, user) -> QuerySet:
    """The UTC days on which ``user``'s reputation changed, newest first: the feed is
    paginated by day."""
    return (
        ReputationChange.objects.filter(user=user)
        .order_by("-day")
        .values_list("day", flat=True)
        .distinct()
    )


def reputation_feed(*, user, days) -> list[ReputationDay]:
    """``user``'s changes on ``days`` (a page of ``reputation_days``), grouped by day, then
    by post, then by cause and amount, counted by the database: one query whatever the
    number of changes."""
    feed = {day: ReputationDay(day=day) for day in days}
    rows = (
        ReputationChange.objects.filter(user=user, day__in=list(feed))
        .values("day", "cause", "amount", *CHANGE_POST_FIELDS)
        .annotate(count=Count("pk"), latest=Max("created_at"))
        .order_by()
    )
    groups: dict[tuple, ReputationPostGroup] = {}
    for row in rows:
        group = groups.get((row["day"], row["post_id"]))
        if group is None:
            title, url, deleted = _change_post(row)
            group = ReputationPostGroup(row["post_id"], title, url, deleted, row["latest"])
            groups[row["day"], row["post_id"]] = group
            feed[row["day"]].posts.append(group)
        group.latest = max(group.latest, row["latest"])
        group.lines.append(ReputationLine(row["cause"], row["amount"], row["count"]))
    for group in groups.values():
        group.lines.sort(key=lambda line: (CAUSE_ORDER.get(line.cause, 0), -line.amount))
    for entry in feed.values():
        entry.posts.sort(key=lambda group: (group.latest, group.post_id or 0), reverse=True)
    return list(feed.values())


@dataclass(frozen=True)
class ReputationEntry(_Described):
    """One ledger row, ready to show."""

    amount: int
    cause: str
    title: str
    url: str | None
    created_at: datetime


@dataclass(frozen=True)
class ReputationSummary:
    """The change of the current UTC day and the latest change (None: no change yet)."""

    today: int
    latest: ReputationEntry | None

    @property
    def signed_today(self) -> str:
        return signed(self.today)


def reputation_summary(*, user) -> ReputationSummary:
    """``user``'s reputation today and latest change, for a line in a menu: one query."""
    today = (
        ReputationChange.objects.filter(user=user, day=utc_day())
        .order_by()
        .values("user_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    row = (
        ReputationChange.objects.filter(user=user)
        .annotate(today=Subquery(today))
        .order_by("-created_at", "-pk")
        .values("amount", "cause", "created_at", "today", *CHANGE_POST_FIELDS)
        .first()
    )
    if row is None:
        return ReputationSummary(today=0, latest=None)
    title, url, _ = _change_post(row)
    latest = ReputationEntry(row["amount"], row["cause"], title, url, row["created_at"])
    return ReputationSummary(today=row["today"] or 0, latest=latest)
