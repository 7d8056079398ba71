"""The site as production runs it, for `bench/load.py` and `bench/two_hosts.py`: one
PostgreSQL database and one Redis, the release step, web hosts started with `make web`
(gunicorn, no migration) and RQ workers with `make worker`, and locust against them.

Everything here runs subprocesses; the callers stop what they started (``stop``)."""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LOCUST = str(Path(PYTHON).parent / "locust")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/qasite_ops"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
#: The members the writes take in turn (bench/locustfile.py): enough that none meets a rate
#: limit (a comment every 15 s, 40 votes a day) over a run of a few minutes.
MEMBERS = 400
MEMBER_REPUTATION = 3000  # votes, comments, flags, close votes and reviews


def environment(database_url: str, redis_url: str) -> dict:
    """The environment of every process of one run: the same secret key for all hosts."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="false",
        HTTPS_ONLY="false",
        SECRET_KEY=os.environ.get("LOAD_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        METRICS_TOKEN=secrets.token_urlsafe(16),
        # Longer than a simulated user's pause (bench/locustfile.py: up to 2 s): with
        # gunicorn's default of 2 s, a connection closed just as the client reuses it is a
        # reset that no proxy-fronted browser would see.
        GUNICORN_CMD_ARGS=os.environ.get("GUNICORN_CMD_ARGS", "--keep-alive 5"),
    )
    return env


def manage(*args: str, env: dict, quiet: bool = True) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout or ""


READY_CHECK = (
    "from threads.models import Post; "
    "print('LOAD_READY' if Post.objects.count() > 1000 else 'EMPTY')"
)


def create_database(url: str) -> None:
    """The PostgreSQL database named in ``url``, created if this machine has none yet
    (SQLite files are created by `migrate`)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if connection.execute(query, [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict, questions: int, keep: bool) -> None:
    """The release step and the data: demo data plus ``questions`` generated ones. With
    ``keep``, a database built before is reused (`generate_data` adds to what is there)."""
    create_database(env["DATABASE_URL"])
    print("Release step: migrate and collectstatic…", flush=True)
    manage("migrate", "--noinput", env=env)
    if not (keep and (ROOT / "staticfiles" / "staticfiles.json").exists()):
        manage("collectstatic", "--noinput", env=env)
    if keep and "LOAD_READY" in manage("shell", "-c", READY_CHECK, env=env):
        print("Reusing the database.")
        return
    print(f"Building the site: demo data and {questions} generated questions…", flush=True)
    started = time.monotonic()
    manage("load_demo", "--quiet", env=env)
    print(manage("generate_data", "--questions", str(questions), env=env).strip().splitlines()[-1])
    manage("rank_questions", env=env)
    print(f"Built in {time.monotonic() - started:.0f} s.")


TARGETS = """
import json, random
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.utils.module_loading import import_string
from demo.factories import DEMO_PASSWORD
from demo.users import user_get_or_create
from threads.models import Post, Tag
SessionStore = import_string(settings.SESSION_ENGINE + ".SessionStore")
hashed = make_password(DEMO_PASSWORD)
sessions, member_ids = [], []
for n in range(MEMBERS):
    user, _ = user_get_or_create(username=f"load{n:04d}", display_name=f"Load {n:04d}",
                                 reputation=REPUTATION, password=hashed)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
    member_ids.append(user.pk)
visible = Post.objects.questions().visible()
rng = random.Random(7)
ids = list(visible.values_list("pk", flat=True))
sample = rng.sample(ids, min(3000, len(ids)))
questions = [q.get_absolute_url() for q in visible.filter(pk__in=sample)]
open_ids = list(visible.filter(closed_at__isnull=True, locked_until__isnull=True)
                .values_list("pk", flat=True))
open_sample = rng.sample(open_ids, min(1000, len(open_ids)))
open_questions = [q.get_absolute_url() for q in visible.filter(pk__in=open_sample)]
close_targets = rng.sample(open_ids, min(150, len(open_ids)))
tags = list(Tag.objects.filter(usage_count__gt=0).order_by("-usage_count")
            .values_list("name", flat=True)[:200])
from moderation.models import CloseReason, CloseReasonKind
# Reasons that need nothing more (not a duplicate's target, a comment, or a group's choice).
reasons = CloseReason.objects.filter(is_active=True).exclude(
    kind__in=[CloseReasonKind.DUPLICATE, CloseReasonKind.SOMETHING_ELSE]
).exclude(kind=CloseReasonKind.OFF_TOPIC, parent=None)
close_reasons = [str(pk) for pk in reasons.values_list("pk", flat=True)]
users = list(Post.objects.exclude(author=None).values_list("author", flat=True).distinct()[:2000])
print("TARGETS", json.dumps({"sessions": sessions, "member_ids": member_ids,
    "questions": questions,
    "open_questions": open_questions, "close_targets": close_targets,
    "close_reasons": close_reasons, "tags": tags,
    "users": users}))
"""


def write_targets(env: dict, path: Path) -> dict:
    """The members (``load0000``…, password ``DEMO_PASSWORD``, reputation 3000) with a fresh
    session each, and what the locustfile reads and writes, into ``path``."""
    script = TARGETS.replace("MEMBERS", str(MEMBERS)).replace("REPUTATION", str(MEMBER_REPUTATION))
    output = manage("shell", "-c", script, env=env)
    line = next(line for line in output.splitlines() if line.startswith("TARGETS "))
    path.write_text(line[len("TARGETS ") :])
    return json.loads(path.read_text())


def start(command: list[str], env: dict, processes: list, log: Path) -> subprocess.Popen:
    """A process in its own group (``stop`` ends it and its children), output to ``log``."""
    handle = log.open("w")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    processes.append(process)
    return process


def start_web(port: int, env: dict, processes: list, logs: Path) -> str:
    """A web host as production starts one (`make web`), waited for until ``/ready/``."""
    base = f"http://127.0.0.1:{port}"
    process = start(
        ["make", "--no-print-directory", "web", f"PORT={port}", f"BIN={Path(PYTHON).parent}"],
        env,
        processes,
        logs / f"web-{port}.log",
    )
    for _ in range(300):
        if process.poll() is not None:
            sys.exit(f"the web host on {port} exited early: see {logs / f'web-{port}.log'}")
        try:
            urllib.request.urlopen(f"{base}/ready/", timeout=2).read()
            return base
        except OSError:
            time.sleep(0.2)
    sys.exit(f"the web host on {port} did not become ready")


def start_worker(env: dict, processes: list, log: Path, name: str) -> None:
    """An RQ worker as production starts one (`make worker`), named ``name``."""
    start(
        [PYTHON, "manage.py", "worker", "--name", name],
        env,
        processes,
        log,
    )


def stop(processes: list) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_locust(
    *, hosts: list[str], users: int, seconds: int, targets: Path, logs: Path, env: dict
) -> Path:
    """Locust headless against ``hosts`` (spread per simulated user); returns the CSV prefix."""
    prefix = logs / "locust"
    locust_env = dict(env, LOAD_TARGETS=str(targets), LOAD_HOSTS=",".join(hosts))
    command = [
        LOCUST,
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        hosts[0],
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 10)),
        "--run-time",
        f"{seconds}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
    ]
    with (logs / "locust.log").open("w") as log:
        subprocess.run(command, cwd=ROOT, env=locust_env, stdout=log, stderr=subprocess.STDOUT)
    return prefix


def report(prefix: Path) -> dict:
    """Print throughput, p50/p95/p99 and failures per kind from locust's CSV; returns the
    aggregate row."""
    import csv

    with Path(f"{prefix}_stats.csv").open() as stats:
        rows = list(csv.DictReader(stats))
    print(f"{'kind':<32}{'requests':>9}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7} ms")
    total = {}
    for row in rows:
        name = row["Name"] if row["Type"] else "all"
        if name == "Aggregated":
            total = row
            name = "ALL"
        print(
            f"{name[:31]:<32}{row['Request Count']:>9}{row['Failure Count']:>6}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open() as lines:
            failed = list(csv.DictReader(lines))
        for row in failed[:10]:
            print(f"  failure: {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")
    return total
