"""Fan-out of one answer to a question with many participants: how long posting the answer
takes (the answer, its counters and every follower's notification in one transaction), next
to posting an answer to a question nobody follows. Prints medians and spread; no pass/fail.

    .venv/bin/python bench/fanout_bench.py [--participants 500] [--answers 10]
        [--database-url URL]

The default database is a fresh SQLite file under bench/results/ (migrated here); set
--database-url to an empty PostgreSQL database to measure there.
"""

import argparse
import secrets
import statistics
import time
from pathlib import Path

import in_process

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = ROOT / "bench" / "results" / "fanout.sqlite3"


def setup(database_url: str) -> None:
    """Django on ``database_url``, migrated."""
    in_process.setup(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(participants: int):
    """A question followed by ``participants`` people, and one nobody follows. The people
    are bulk-inserted without passwords: hashing 500 passwords would take longer than the
    benchmark."""
    from django.contrib.auth import get_user_model

    from demo.factories import QuestionFactory
    from notifications.models import Follow

    run = secrets.token_hex(3)
    people = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"fan{run}-{index}", email=f"fan{run}-{index}@example.com")
            for index in range(participants + 2)
        ]
    )
    asker, answerer, quiet_asker = people[0], people[1], people[2]
    get_user_model().objects.filter(pk=answerer.pk).update(reputation=200)
    busy = QuestionFactory(author=asker, tags=["bench"])
    Follow.objects.bulk_create(
        [Follow(user=person, question=busy) for person in people[3:]], ignore_conflicts=True
    )
    quiet = QuestionFactory(author=quiet_asker, tags=["bench"])
    Follow.objects.filter(question=quiet).delete()  # nobody follows, not even the asker
    return busy, quiet, answerer


def time_answers(question, answerer, count: int) -> list[float]:
    from threads import services

    body = "An answer long enough to pass validation, posted by the fan-out benchmark."
    times = []
    for index in range(count):
        started = time.perf_counter()
        services.answer_create(author=answerer, question=question, body=f"{body} #{index}")
        times.append((time.perf_counter() - started) * 1000)
    return times


def describe(name: str, times: list[float]) -> str:
    return (
        f"  {name:34} median {statistics.median(times):7.1f} ms "
        f"(min {min(times):.1f} – max {max(times):.1f}, n={len(times)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    database_url = in_process.database_url(options.database_url, DEFAULT_DATABASE)
    setup(database_url)
    from notifications.models import Notification

    busy, quiet, answerer = build(options.participants)
    before = Notification.objects.count()
    quiet_times = time_answers(quiet, answerer, options.answers)
    busy_times = time_answers(busy, answerer, options.answers)
    written = Notification.objects.count() - before
    print(f"Fan-out of an answer ({database_url.split(':')[0]}):")
    print(describe("question nobody follows", quiet_times))
    print(describe(f"question with {options.participants} followers", busy_times))
    extra = statistics.median(busy_times) - statistics.median(quiet_times)
    per = extra / max(options.participants - 1, 1) * 1000
    print(f"  fan-out cost: {extra:.1f} ms per answer, {per:.0f} µs per recipient")
    print(f"  notifications written: {written} ({options.answers} answers)")


if __name__ == "__main__":
    main()
