"""A member's moderation record, for moderators (docs/rules.md, "Suspensions and moderator
messages"): everything the site recorded about the member on one page, each section one
query whatever the member's history (the lists show the latest ``RECORD_ROWS``). Reviews
are counted as the reviewer calibration pages count them (``moderation.calibration``)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from core.conf import qasite_setting
from desk.models import Annotation, ModeratorMessage, Suspension
from moderation.calibration import Calibration, calibration_of
from moderation.models import (
    CloseVote,
    Flag,
    FlagState,
    ReopenVote,
    ReviewSuspension,
    VoteState,
)
from threads.models import Post


def _rate(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


@dataclass
class Tally:
    """Counts by outcome and the rate of the one that matters (None: nothing decided)."""

    counts: dict[str, int] = field(default_factory=dict)
    rate: float | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _flag_tally(flags) -> Tally:
    counts = dict(flags.values_list("state").annotate(n=Count("pk")).order_by())
    counts = {state.value: counts.get(state.value, 0) for state in FlagState}
    decided = counts[FlagState.HELPFUL] + counts[FlagState.DECLINED]
    return Tally(counts, _rate(counts[FlagState.HELPFUL], decided))


def flags_raised(member) -> Tally:
    """The member's flags by outcome; the rate is the helpful share of those decided."""
    return _flag_tally(Flag.objects.filter(flagger=member))


def flags_on_content(member) -> Tally:
    """Flags others raised on the member's posts and comments, by outcome; the rate is the
    share found helpful (that is, the problem was real)."""
    return _flag_tally(Flag.objects.filter(Q(post__author=member) | Q(comment__author=member)))


def _vote_tally(model, member) -> Tally:
    """Votes by state; the rate is the share counted in an outcome among those that ended
    (counted, aged away or cleared by review; pending and retracted ones say nothing)."""
    counts = dict(
        model.objects.filter(voter=member).values_list("state").annotate(n=Count("pk")).order_by()
    )
    counts = {state.value: counts.get(state.value, 0) for state in VoteState}
    ended = counts[VoteState.COMPLETED] + counts[VoteState.AGED] + counts[VoteState.CLEARED]
    return Tally(counts, _rate(counts[VoteState.COMPLETED], ended))


@dataclass
class Record:
    member: object
    flags_raised: Tally
    flags_on_content: Tally
    close_votes: Tally
    reopen_votes: Tally
    reviews: Calibration
    conversations: list
    suspensions: list
    review_bans: list
    deleted_posts: list
    annotations: list


def record_of(member) -> Record:
    """The whole record: a fixed number of queries."""
    rows = qasite_setting("DESK")["RECORD_ROWS"]
    return Record(
        member=member,
        flags_raised=flags_raised(member),
        flags_on_content=flags_on_content(member),
        close_votes=_vote_tally(CloseVote, member),
        reopen_votes=_vote_tally(ReopenVote, member),
        reviews=calibration_of(reviewer=member),
        conversations=list(
            ModeratorMessage.objects.filter(user=member)
            .annotate(size=Count("messages"))
            .order_by("-created_at", "-pk")[:rows]
        ),
        suspensions=list(
            Suspension.objects.filter(user=member)
            .select_related("moderator", "lifted_by")
            .order_by("-starts_at", "-pk")[:rows]
        ),
        review_bans=list(
            ReviewSuspension.objects.filter(user=member).order_by("-starts_at", "-pk")[:rows]
        ),
        deleted_posts=list(
            Post.objects.filter(author=member, deleted_at__isnull=False)
            .select_related("parent")
            .order_by("-deleted_at", "-pk")[:rows]
        ),
        annotations=list(Annotation.objects.filter(user=member)[:rows]),
    )
