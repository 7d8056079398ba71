"""The policy what-if's replay (moderation.whatif.compare) over a year of synthetic events
for many questions: how long the replay of the log takes under the recorded policy and a
proposed one, without and with the reviews of a proposed consensus. Prints times; no
pass/fail.

    .venv/bin/python bench/whatif_bench.py [--questions 100000] [--seed 14]
        [--database-url URL]

The default database is a fresh SQLite file under bench/results/ (migrated here); set
--database-url to an empty PostgreSQL database to measure there. The rows are bulk-inserted
as the services would have recorded them (votes, closures, reopenings, retractions, review
clears), not cast through the services.
"""

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import in_process

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = ROOT / "bench" / "results" / "whatif.sqlite3"
START = datetime(2024, 1, 1, tzinfo=UTC)
YEAR = timedelta(days=365)


def setup(database_url: str) -> None:
    in_process.setup(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _votes(rng, question, kind, at, voters, policy, rows, *, threshold=3, aging=14):
    """Votes on ``question`` from ``at`` a couple of days apart, as the services record
    them: the threshold-th pending vote records the outcome at once, a vote
    ``aging`` days after the last pending one finds them aged away, and now and then a
    close vote is retracted. Returns when the outcome happened, or None."""
    from moderation.models import EventKind, ModerationEvent

    outcome = EventKind.CLOSED if kind == EventKind.CLOSE_VOTE else EventKind.REOPENED
    retracted = EventKind.CLOSE_VOTE_RETRACTED if outcome == EventKind.CLOSED else None
    pending: dict[int, datetime] = {}

    def event(kind, when, actor=None, details=None):
        rows.append(
            ModerationEvent(
                post_id=question,
                question_id=question,
                kind=kind,
                actor_id=actor,
                details=details or {},
                policy=policy,
                created_at=when,
            )
        )

    for voter in rng.sample(voters, rng.choice((1, 2, 2, 3, 3, 3, 4))):
        at += timedelta(minutes=10, hours=rng.expovariate(1 / 48))
        if at >= START + YEAR:
            return None
        if pending and at >= max(pending.values()) + timedelta(days=aging):
            pending.clear()
        event(kind, at, voter, {"binding": False})
        pending[voter] = at
        if len(pending) >= threshold:
            event(outcome, at)
            return at
        if retracted and rng.random() < 0.03:
            del pending[voter]
            event(retracted, at + timedelta(minutes=5), voter)
    return None


def build(questions: int, seed: int) -> dict:
    """``questions`` questions over a year; about a third get close votes, about a third of
    the closed ones reopen votes, and some Close tasks three "Leave open" reviews."""
    from django.contrib.auth import get_user_model

    from moderation.models import (
        Decision,
        EventKind,
        ModerationEvent,
        Review,
        ReviewQueue,
        ReviewTask,
        TaskState,
    )
    from moderation.services import policy_in_force
    from threads.models import Post, PostKind

    rng = random.Random(seed)
    policy = policy_in_force()
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"wb{n}", password="!unusable") for n in range(300)], batch_size=1000
    )
    voters = [user.pk for user in users]
    counts = {"questions": 0, "events": 0, "reviews": 0}
    for first in range(0, questions, 5000):
        created = [START + YEAR * rng.random() for _ in range(min(5000, questions - first))]
        posts = Post.objects.bulk_create(
            [
                Post(
                    kind=PostKind.QUESTION,
                    title=f"Benchmark question number {first + n}",
                    body="A question body long enough for the benchmark.",
                    body_html="<p>A question body long enough for the benchmark.</p>",
                    author_id=rng.choice(voters),
                    created_at=at,
                    last_activity_at=at,
                    changed_at=at,
                )
                for n, at in enumerate(created)
            ],
            batch_size=1000,
        )
        events, tasks, reviews = [], [], []
        for post, at in zip(posts, created, strict=True):
            if rng.random() >= 0.35:
                continue
            closed = _votes(rng, post.pk, EventKind.CLOSE_VOTE, at, voters, policy, events)
            if closed is None and rng.random() < 0.2:  # left open by review
                when = at + timedelta(days=rng.uniform(1, 10))
                if when < START + YEAR:
                    tasks.append(
                        ReviewTask(
                            queue=ReviewQueue.CLOSE,
                            post_id=post.pk,
                            state=TaskState.COMPLETED,
                            created_at=at,
                        )
                    )
                    reviews.append((rng.sample(voters, 3), when))
                    events.append(
                        ModerationEvent(
                            post_id=post.pk,
                            question_id=post.pk,
                            kind=EventKind.CLOSE_VOTES_CLEARED,
                            details={"cleared": 1},
                            policy=policy,
                            created_at=when + timedelta(hours=3),
                        )
                    )
            if closed is not None and rng.random() < 0.35:
                _votes(rng, post.pk, EventKind.REOPEN_VOTE, closed, voters, policy, events)
        ModerationEvent.objects.bulk_create(events, batch_size=2000)
        ReviewTask.objects.bulk_create(tasks, batch_size=2000)
        Review.objects.bulk_create(
            [
                Review(
                    task=task,
                    reviewer_id=reviewer,
                    decision=Decision.LEAVE_OPEN,
                    created_at=when + timedelta(hours=hour),
                )
                for task, (reviewers, when) in zip(tasks, reviews, strict=True)
                for hour, reviewer in enumerate(reviewers)
            ],
            batch_size=2000,
        )
        counts["questions"] += len(posts)
        counts["events"] += len(events)
        counts["reviews"] += 3 * len(tasks)
    return counts


def timed(label: str, **kwargs) -> None:
    from moderation.whatif import compare

    started = time.perf_counter()
    result = compare(start=START, end=START + YEAR, include_imported=True, **kwargs)
    seconds = time.perf_counter() - started
    recorded, proposed = result.recorded.summary(), result.proposed.summary()
    differ = len(result.recorded.questions_closed ^ result.logged.questions_closed)
    print(
        f"  {label:44} {seconds:6.2f} s   closed {recorded['closed']:>6,} → "
        f"{proposed['closed']:>6,}, reopened {recorded['reopened']:>5,} → "
        f"{proposed['reopened']:>5,} (log: {result.logged.closed:,} closed; "
        f"recorded replay differs on {differ})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    database_url = in_process.database_url(options.database_url, DEFAULT_DATABASE)
    setup(database_url)
    from moderation.whatif import Policy

    started = time.perf_counter()
    counts = build(options.questions, options.seed)
    print(
        f"Policy what-if over a year ({database_url.split(':')[0]}): {counts['questions']:,} "
        f"questions, {counts['events']:,} events, {counts['reviews']:,} reviews "
        f"(built in {time.perf_counter() - started:.0f} s)"
    )
    timed("recorded vs recorded (nothing proposed)", proposed=Policy())
    timed("close at 2 votes", proposed=Policy(close_votes=2))
    timed("close at 4, reopen at 2, aging 3 days", proposed=Policy(4, 2, 3))
    timed("consensus 2 (reads the reviews too)", proposed=Policy(leave_open=2, leave_closed=2))


if __name__ == "__main__":
    main()
