"""`make loadtest`: the mixed load on a production-shaped site, then the integrity check.

Builds (or, with --keep, reuses) a site on PostgreSQL and Redis: the release step, the demo
data and `generate_data`, then MEMBERS members with known passwords (``load0000``…,
password ``qasite-demo``, reputation 3000) and a session each. Starts a web host as
`make web` does (gunicorn, no migration) and an RQ worker as `make worker` does, runs
bench/locustfile.py headless (50 users, 85% reads, 15% writes through the HTML forms) and
prints throughput and p50/p95/p99 per kind of request, the refusals apart from the errors;
then stops the servers and runs `manage.py check_integrity`. It reports; it never fails
on slow numbers (the machine may be shared: say so with the numbers).

Options: --users N (50), --seconds S (180), --questions N (10000), --keep, --port P (8571).
LOAD_DATABASE_URL and LOAD_REDIS_URL choose the database and Redis (bench/stack.py has the
defaults); the database is the load test's own: `generate_data` adds to it.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stack  # noqa: E402


def options(description: str, port: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--questions", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="reuse the database of a run before")
    parser.add_argument("--port", type=int, default=port)
    return parser.parse_args()


def setup(given: argparse.Namespace) -> tuple[dict, Path, Path]:
    """The run's environment, its log folder, and the targets file with fresh sessions."""
    env = stack.environment(
        os.environ.get("LOAD_DATABASE_URL", stack.DEFAULT_DATABASE_URL),
        os.environ.get("LOAD_REDIS_URL", stack.DEFAULT_REDIS_URL),
    )
    stack.prepare(env, given.questions, given.keep)
    logs = Path(tempfile.mkdtemp(prefix="qasite-load-"))
    targets = logs / "targets.json"
    stack.write_targets(env, targets)
    print(f"Logs and locust's CSV in {logs}")
    return env, logs, targets


def integrity(env: dict) -> bool:
    print("\nIntegrity check after the load:")
    result = subprocess.run(
        [stack.PYTHON, "manage.py", "check_integrity", "--limit", "10"], cwd=stack.ROOT, env=env
    )
    return result.returncode == 0


def main() -> None:
    given = options(__doc__.splitlines()[0], 8571)
    env, logs, targets = setup(given)
    processes: list = []
    try:
        base = stack.start_web(given.port, env, processes, logs)
        stack.start_worker(env, processes, logs / "worker.log", "load-worker")
        print(f"Load: {given.users} users for {given.seconds} s against {base}…", flush=True)
        started = time.monotonic()
        prefix = stack.run_locust(
            hosts=[base],
            users=given.users,
            seconds=given.seconds,
            targets=targets,
            logs=logs,
            env=env,
        )
        print(f"Ran {time.monotonic() - started:.0f} s.\n")
        stack.report(prefix)
    finally:
        stack.stop(processes)
    integrity(env)


if __name__ == "__main__":
    main()
