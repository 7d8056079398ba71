"""Policy what-if (docs/rules.md, "Policy what-if"): the recorded close and reopen votes
replayed in order under other thresholds, another aging window or another review consensus,
next to the same replay under the policy each event recorded. Read-only: at most two
streamed SELECTs (the events; the Leave open / Leave closed reviews when a consensus is
proposed), read as tuples, never as model instances."""

from __future__ import annotations

import heapq
import json
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db.models import Case, Value, When
from django.db.models.fields.json import KT

from core.conf import qasite_setting
from moderation.models import Decision, EventKind, ModerationEvent, Review, ReviewQueue

LEAVE_OPEN = "review_leave_open"
LEAVE_CLOSED = "review_leave_closed"
REPLAYED = (
    EventKind.CLOSE_VOTE,
    EventKind.CLOSE_VOTE_RETRACTED,
    EventKind.CLOSED,
    EventKind.REOPEN_VOTE,
    EventKind.REOPEN_VOTE_RETRACTED,
    EventKind.REOPENED,
    EventKind.CLOSE_VOTES_CLEARED,
    EventKind.REOPEN_VOTES_CLEARED,
)
#: What a question first seen through one of these was: closed before the replay began.
REOPEN_SIDE = frozenset(
    {
        EventKind.REOPEN_VOTE,
        EventKind.REOPEN_VOTE_RETRACTED,
        EventKind.REOPENED,
        EventKind.REOPEN_VOTES_CLEARED,
        LEAVE_CLOSED,
    }
)


@dataclass(frozen=True)
class Policy:
    """The numbers a replay applies; ``None`` is "as recorded": each event's own policy."""

    close_votes: int | None = None
    reopen_votes: int | None = None
    aging_days: int | None = None
    leave_open: int | None = None
    leave_closed: int | None = None

    @property
    def reads_reviews(self) -> bool:
        return self.leave_open is not None or self.leave_closed is not None


class Entry(NamedTuple):
    """One line of the replayed log: an event, or a Leave open / Leave closed review."""

    at: datetime
    source: int  # 0 an event, 1 a review: the order of a tie
    pk: int
    question: int
    kind: str
    actor: int | None
    binding: bool  # a moderator's vote, clear or review, which acts alone
    close_votes: int  # the recorded policy (the settings in force then)
    reopen_votes: int
    aging_days: int
    imported: bool = False
    voters: list | None = None  # an imported closure's or reopening's voters
    task: int | None = None


@dataclass
class Outcome:
    """What one policy did in the window: closures and reopenings, the time each took, and
    how many of each fell in each week."""

    closed: int = 0
    reopened: int = 0
    questions_closed: set = field(default_factory=set)
    questions_reopened: set = field(default_factory=set)
    close_hours: list = field(default_factory=list)
    reopen_hours: list = field(default_factory=list)
    untimed: int = 0  # imported closures and reopenings: their votes' times are unknown
    votes_ignored: int = 0  # votes on a question the replay had already closed (or reopened)
    weeks: Counter = field(default_factory=Counter)

    def record(self, kind: str, question: int, at: datetime, since: datetime | None) -> None:
        hours = self.close_hours if kind == "closed" else self.reopen_hours
        setattr(self, kind, getattr(self, kind) + 1)
        getattr(self, f"questions_{kind}").add(question)
        if since is None:
            self.untimed += 1
        else:
            hours.append((at - since).total_seconds() / 3600)
        self.weeks[week_of(at), kind] += 1

    def summary(self) -> dict:
        return {
            "closed": self.closed,
            "reopened": self.reopened,
            "questions_closed": len(self.questions_closed),
            "questions_reopened": len(self.questions_reopened),
            "close_median": _median(self.close_hours),
            "close_mean": _mean(self.close_hours),
            "reopen_median": _median(self.reopen_hours),
            "reopen_mean": _mean(self.reopen_hours),
            "untimed": self.untimed,
            "votes_ignored": self.votes_ignored,
        }


def _median(values: list) -> float | None:
    return statistics.median(values) if values else None


def _mean(values: list) -> float | None:
    return statistics.fmean(values) if values else None


def week_of(at: datetime) -> date:
    """The Monday (UTC) of ``at``'s week."""
    day = at.date()
    return day - timedelta(days=day.weekday())


class _Question:
    __slots__ = ("closed", "votes", "last", "since", "tasks")

    def __init__(self, closed: bool):
        self.closed = closed
        self.votes: dict = {}  # pending votes of the kind the state calls for: voter → time
        self.last: datetime | None = None  # the last pending vote, from which they age
        self.since: datetime | None = None  # the first vote since the state last changed
        self.tasks: Counter | None = None  # Leave open / Leave closed reviews per task


class Replay:
    """One policy applied to the log, entry by entry (docs/rules.md, "Policy what-if")."""

    def __init__(self, policy: Policy, start: datetime):
        self.policy = policy
        self.start = start
        self.outcome = Outcome()
        self.questions: dict[int, _Question] = {}

    def feed(self, entry: Entry) -> None:
        question = self.questions.get(entry.question)
        if question is None:
            question = self.questions[entry.question] = _Question(entry.kind in REOPEN_SIDE)
        kind, closing = entry.kind, not question.closed
        if kind in (EventKind.CLOSE_VOTE, EventKind.REOPEN_VOTE):
            if closing == (kind == EventKind.CLOSE_VOTE):
                self._vote(question, entry)
            else:
                self.outcome.votes_ignored += 1
        elif kind in (EventKind.CLOSE_VOTE_RETRACTED, EventKind.REOPEN_VOTE_RETRACTED):
            if closing == (kind == EventKind.CLOSE_VOTE_RETRACTED):
                self._age(question, entry)
                question.votes.pop(entry.actor, None)
                question.last = max(question.votes.values(), default=None)
        elif kind in (EventKind.CLOSED, EventKind.REOPENED):
            if entry.imported and closing == (kind == EventKind.CLOSED):
                self._imported(question, entry)
        elif kind in (EventKind.CLOSE_VOTES_CLEARED, EventKind.REOPEN_VOTES_CLEARED):
            consensus = self.policy.leave_open if closing else self.policy.leave_closed
            if closing == (kind == EventKind.CLOSE_VOTES_CLEARED) and (
                consensus is None or entry.actor is not None
            ):
                self._clear(question)
        elif not entry.binding and closing == (kind == LEAVE_OPEN):
            consensus = self.policy.leave_open if closing else self.policy.leave_closed
            if consensus is None:
                return  # the recorded clears stand for the recorded consensus
            tasks = question.tasks = question.tasks or Counter()
            tasks[entry.task] += 1
            if tasks[entry.task] == consensus:
                self._clear(question)

    def _threshold(self, question: _Question, entry: Entry) -> int:
        if question.closed:
            return self.policy.reopen_votes or entry.reopen_votes
        return self.policy.close_votes or entry.close_votes

    def _age(self, question: _Question, entry: Entry) -> None:
        days = self.policy.aging_days or entry.aging_days
        if question.last is not None and entry.at >= question.last + timedelta(days=days):
            self._clear(question)

    def _vote(self, question: _Question, entry: Entry) -> None:
        self._age(question, entry)
        voter = entry.actor if entry.actor is not None else ("event", entry.pk)
        question.votes[voter] = question.last = entry.at
        question.since = question.since or entry.at
        if entry.binding or len(question.votes) >= self._threshold(question, entry):
            self._change(question, entry, question.since)

    def _imported(self, question: _Question, entry: Entry) -> None:
        """An imported closure or reopening: its voters are known, not when they voted."""
        voters = entry.voters or []
        proposed = self.policy.close_votes if not question.closed else self.policy.reopen_votes
        if (
            proposed is None
            or len(voters) >= proposed
            or any(isinstance(v, dict) and v.get("binding") for v in voters)
        ):
            self._change(question, entry, None)

    def _clear(self, question: _Question) -> None:
        question.votes.clear()
        question.last = None

    def _change(self, question: _Question, entry: Entry, since: datetime | None) -> None:
        kind = "reopened" if question.closed else "closed"
        question.closed = not question.closed
        self._clear(question)
        question.since = None
        if entry.at >= self.start:
            self.outcome.record(kind, entry.question, entry.at, since)


# Reading the log --------------------------------------------------------------------------


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _events(start: datetime, end: datetime, include_imported: bool) -> Iterator[Entry]:
    rows = ModerationEvent.objects.filter(
        created_at__gte=start, created_at__lt=end, kind__in=REPLAYED
    )
    if not include_imported:
        rows = rows.exclude(policy__has_key="imported_from")
    rows = rows.order_by("created_at", "pk").values_list(
        "created_at",
        "pk",
        "question_id",
        "kind",
        "actor_id",
        KT("details__binding"),
        KT("policy__close_votes_to_close"),
        KT("policy__reopen_votes_to_reopen"),
        KT("policy__close_vote_aging_days"),
        KT("policy__imported_from"),
        Case(
            When(policy__has_key="imported_from", then=KT("details__voters")), default=Value(None)
        ),
    )
    close_votes = qasite_setting("CLOSE_VOTES_TO_CLOSE")
    reopen_votes = qasite_setting("REOPEN_VOTES_TO_REOPEN")
    aging_days = qasite_setting("CLOSE_VOTE_AGING_DAYS")
    for at, pk, question, kind, actor, binding, close, reopen, aging, site, voters in rows.iterator(
        chunk_size=5000
    ):
        yield Entry(
            at,
            0,
            pk,
            question,
            kind,
            actor,
            binding in (1, "true"),
            _int(close, close_votes),
            _int(reopen, reopen_votes),
            _int(aging, aging_days),
            site is not None,
            json.loads(voters) if isinstance(voters, str) else voters,
        )


def _reviews(start: datetime, end: datetime) -> Iterator[Entry]:
    queues = {ReviewQueue.CLOSE: LEAVE_OPEN, ReviewQueue.REOPEN: LEAVE_CLOSED}
    rows = (
        Review.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            task__is_audit=False,
            task__queue__in=list(queues),
            decision__in=[Decision.LEAVE_OPEN, Decision.EDIT, Decision.LEAVE_CLOSED],
        )
        .order_by("created_at", "pk")
        .values_list(
            "created_at",
            "pk",
            "task__post_id",
            "task__queue",
            "task_id",
            "reviewer__is_moderator",
            "reviewer__is_superuser",
        )
    )
    for at, pk, question, queue, task, moderator, superuser in rows.iterator(chunk_size=5000):
        yield Entry(
            at, 1, pk, question, queues[queue], None, moderator or superuser, 0, 0, 0, task=task
        )


def log_entries(
    start: datetime, end: datetime, *, include_imported: bool, reviews: bool
) -> Iterable[Entry]:
    """The log from ``start`` to ``end`` in order of time, with the reviews if asked."""
    events = _events(start, end, include_imported)
    if not reviews:
        return events
    return heapq.merge(events, _reviews(start, end), key=lambda e: (e.at, e.source, e.pk))


@dataclass
class Comparison:
    start: datetime
    end: datetime
    logged: Outcome  # the closures and reopenings the log records in the window
    recorded: Outcome
    proposed: Outcome

    def weeks(self) -> list[dict]:
        """One row per week of the window, for the chart and its table."""
        first, last = week_of(self.start), week_of(self.end - timedelta(microseconds=1))
        rows = []
        while first <= last:
            row = {"week": first}
            for name in ("logged", "recorded", "proposed"):
                outcome = getattr(self, name)
                row[name] = {k: outcome.weeks[first, k] for k in ("closed", "reopened")}
            rows.append(row)
            first += timedelta(days=7)
        return rows


def compare(
    *, start: datetime, end: datetime, proposed: Policy, include_imported: bool
) -> Comparison:
    """Replay the log of ``start``–``end`` under the recorded policy and under ``proposed``
    in one pass. Votes from one aging window (the longer) before ``start`` are replayed too,
    so votes pending when the window opens still count; only outcomes inside it are told."""
    lead = max(proposed.aging_days or 0, qasite_setting("CLOSE_VOTE_AGING_DAYS"))
    replays = [Replay(Policy(), start), Replay(proposed, start)]
    logged = Outcome()
    entries = log_entries(
        start - timedelta(days=lead),
        end,
        include_imported=include_imported,
        reviews=proposed.reads_reviews,
    )
    for entry in entries:
        if entry.kind in (EventKind.CLOSED, EventKind.REOPENED) and entry.at >= start:
            logged.record(entry.kind, entry.question, entry.at, None)
        for replay in replays:
            replay.feed(entry)
    return Comparison(start, end, logged, replays[0].outcome, replays[1].outcome)
