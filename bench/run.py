"""`make bench`: throughput and latency of the main pages against an honest floor.

Builds a site (demo data + `generate_data`) in its own database, serves it the way
`make serve` does (gunicorn, DEBUG off, whitenoise), and measures each page with wrk (or a
small Python load generator when wrk is missing) against the floor: a separate minimal
Django project (bench/floor/: one view returning "ok", no apps, no middleware) served by the
same gunicorn and Python with the same workers and threads. The site's own `/health/` is
not the floor: it pays for the site's middleware, which made every ratio look better than
it is; it is measured as a page instead, so the middleware's cost shows.

Both servers are up at once on different ports. Each round walks through the pages, each
page right after a floor run, so machine noise (2 cores, other jobs) hits both sides of a
ratio alike; rounds repeat the walk so a burst of noise spoils one sample per page, not
one page. Prints, per page, the median over the rounds with the spread (min–max) of req/s,
p50 and the ratio to the floor, so a reader can tell noise from change; then the SQL
queries each page costs (cold and with a warm cache). It reports; it never fails.

Options: --questions N (default 20000), --rounds R (default 5), --seconds S (per run,
default 4), --connections C (default 16), --keep (reuse the database from an earlier run),
--only TEXT (only the pages whose name has TEXT). The production configuration is
BENCH_DATABASE_URL (PostgreSQL) with BENCH_REDIS_URL (or REDIS_URL): the cache and the
sessions on Redis. Both servers run with gunicorn.conf.py, as `make serve` does, unless
BENCH_GUNICORN_ARGS names other options; BENCH_PORT moves them (default 8765 and 8766).
"""

import argparse
import os
import re
import secrets
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import create_database, manage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# The site's port and the floor's (the next one): BENCH_PORT, so parallel runs do not clash.
SITE_PORT = int(os.environ.get("BENCH_PORT", "8765"))
FLOOR_PORT = SITE_PORT + 1
BASE = f"http://127.0.0.1:{SITE_PORT}"
FLOOR = f"http://127.0.0.1:{FLOOR_PORT}/"
# Both servers alike, as `make serve` runs the site: its gunicorn.conf.py (threaded workers),
# or BENCH_GUNICORN_ARGS (e.g. "--workers 2 --threads 4") to compare another setup.
GUNICORN = shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", "")) or [
    "--config",
    str(ROOT / "gunicorn.conf.py"),
]
GUNICORN += ["--log-level", "warning"]
VOTERS, VOTED_QUESTIONS = 400, 2000  # the vote POSTs are spread over them (see LUA_VOTE)
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: Django's unmasked secret format
LUA_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %f %f %f %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status))
end
"""
# Each request an upvote by another voter on another question, so neither the daily vote
# limit nor one row's lock is what is measured: request k of a run goes to voter k mod
# VOTERS, question (k div VOTERS) mod VOTED_QUESTIONS, from an offset drawn for each run so
# runs (and wrk's threads) do not repeat pairs. SESSIONS, POSTS and OFFSET are filled in.
LUA_VOTE = """
local sessions = {SESSIONS}
local posts = {POSTS}
n = OFFSET
local threads = 0
setup = function(thread)
  thread:set("n", OFFSET + threads * 1000003)
  threads = threads + 1
end
request = function()
  n = n + 1
  local voter = n % #sessions
  local post = posts[math.floor(n / #sessions) % #posts + 1]
  local headers = {}
  for key, value in pairs(wrk.headers) do headers[key] = value end
  headers["Cookie"] = "sessionid=" .. sessions[voter + 1] .. "; csrftoken=CSRF"
  return wrk.format("POST", "/posts/" .. post .. "/vote/", headers, "vote=up")
end
"""


def environment(database_url: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        HTTPS_ONLY="false",
        SECRET_KEY=secrets.token_urlsafe(50),  # this run's server and commands share it
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def prepare(env: dict, questions: int, keep: bool, sqlite: Path | None) -> None:
    """Builds the site, from an empty database when it is our own SQLite file:
    `generate_data` adds to what is there, so a second build would double the site."""
    create_database(env["DATABASE_URL"])
    if keep:
        manage("migrate", "--noinput", env=env)  # a kept database gets the new migrations
        if "BENCH_READY" in manage("shell", "-c", READY_CHECK, env=env):
            print("Reusing the benchmark database.")
            return
    if sqlite:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
    print(f"Building the site: demo data and {questions} generated questions…", flush=True)
    started = time.monotonic()
    manage("migrate", "--noinput", env=env)
    manage("load_demo", "--quiet", env=env)
    print(manage("generate_data", "--questions", str(questions), env=env).strip().splitlines()[-1])
    manage("collectstatic", "--noinput", env=env)
    print(f"Built in {time.monotonic() - started:.0f} s.")


READY_CHECK = (
    "from threads.models import Post; "
    "print('BENCH_READY' if Post.objects.count() > 1000 else 'EMPTY')"
)

SETUP = """
import json
from importlib import import_module
from django.contrib.auth import get_user_model
from django.conf import settings
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from threads.models import Post
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
User = get_user_model()

def login(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key

user = User.objects.get(username="trusted")
seed = Post.objects.questions().order_by("pk").first()
# Voters with the upvote privilege, each logged in once, and the questions they vote on.
names = [f"benchvoter{n}" for n in range(VOTERS)]
have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
User.objects.bulk_create([User(username=name, display_name=name, password="!unusable")
    for name in names if name not in have])
User.objects.filter(username__in=names).update(reputation=1000)
voters = [login(voter) for voter in User.objects.filter(username__in=names)]
voted = list(Post.objects.questions().filter(deleted_at__isnull=True, locked_until__isnull=True)
    .exclude(author__username__in=names).order_by("-pk").values_list("pk", flat=True)
    [:VOTED_QUESTIONS])
tag = "python"
# An inbox worth reading: 200 notices about the user's questions, a fifth unread.
from notifications.models import Kind, Notification
from django.utils import timezone
if Notification.objects.filter(recipient=user).count() < 200:
    about = list(Post.objects.questions().order_by("-pk")[:200])
    Notification.objects.bulk_create([
        Notification(recipient=user, kind=Kind.ANSWER, source=f"bench:{post.pk}", post=post,
                     question=post, title=post.title, created_at=timezone.now(),
                     read_at=None if index % 5 == 0 else timezone.now())
        for index, post in enumerate(about)
    ], ignore_conflicts=True)
print("BENCH", json.dumps({"session": login(user), "seed": seed.get_absolute_url(),
    "voters": voters, "voted": voted, "tag": f"/questions/tagged/{tag}/"}))
""".replace("VOTERS", str(VOTERS)).replace("VOTED_QUESTIONS", str(VOTED_QUESTIONS))

QUERIES = """
import json
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
pages = json.loads('PAGES')
out = {}
for name, (url, logged_in) in pages.items():
    client = Client(HTTP_HOST="127.0.0.1")
    if logged_in:
        client.force_login(get_user_model().objects.get(username="trusted"))
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    out[name] = [len(cold), len(warm)]
print("BENCH", json.dumps(out))
"""


def vote_script(info: dict) -> str:
    """LUA_VOTE for one run: the voters' sessions, the questions, a fresh offset."""
    return (
        LUA_VOTE.replace("SESSIONS", ",".join(f'"{key}"' for key in info["voters"]))
        .replace("POSTS", ",".join(map(str, info["voted"])))
        .replace("OFFSET", str(secrets.randbelow(10**9)))
        .replace("CSRF", CSRF)
    )


def bench_value(output: str):
    import json

    line = next(line for line in output.splitlines() if line.startswith("BENCH"))
    return json.loads(line[len("BENCH ") :])


def start_server(app: str, port: int, env: dict, processes: list, *, pythonpath: str = ""):
    """Gunicorn from this Python's environment, ``GUNICORN`` settings; ``processes`` gets it
    so the caller stops it whatever happens next."""
    command = [str(Path(PYTHON).parent / "gunicorn"), app, "--bind", f"127.0.0.1:{port}"]
    if pythonpath:
        command += ["--pythonpath", pythonpath]
    process = subprocess.Popen(command + GUNICORN, cwd=ROOT, env=env, start_new_session=True)
    processes.append(process)
    return process


def wait_until_up(process: subprocess.Popen, url: str) -> None:
    for _ in range(200):
        if process.poll() is not None:
            sys.exit(f"gunicorn for {url} exited early")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"gunicorn for {url} did not start")


def stop(processes: list) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=10)


def wrk(url: str, *, seconds: int, connections: int, headers: dict, script) -> tuple:
    script = script() if callable(script) else script
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + LUA_REPORT)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", lua.name]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True).stdout
    os.unlink(lua.name)
    match = re.search(r"^BENCH (\S+) (\S+) (\S+) (\d+)$", output, re.M)
    if not match:
        return (0.0, 0.0, 0.0, -1)
    rps, p50, p95, errors = match.groups()
    return float(rps), float(p50), float(p95), int(errors)


def python_load(url: str, *, seconds: int, connections: int, headers: dict, script):
    """A bounded fallback when wrk is missing: threads issuing requests for ``seconds``
    (the vote POST goes to one question as one voter: it soon meets the daily limit)."""
    body = b"vote=up" if script else None
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            request = urllib.request.Request(url, data=body, headers=headers)
            started = time.monotonic()
            try:
                urllib.request.urlopen(request, timeout=10).read()
            except OSError:
                errors[0] += 1
            latencies.append((time.monotonic() - started) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not latencies:
        return (0.0, 0.0, 0.0, errors[0])
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return len(latencies) / seconds, statistics.median(latencies), p95, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--only", default="", help="measure only pages whose name has this")
    options = parser.parse_args()

    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    sqlite = results / f"bench-{options.questions}.sqlite3"
    database_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{sqlite}")
    redis_url = os.environ.get("BENCH_REDIS_URL", os.environ.get("REDIS_URL", ""))
    env = environment(database_url, redis_url)
    print(f"Database: {database_url.split('@')[-1]}; cache: {redis_url or 'local memory'}")
    own = "BENCH_DATABASE_URL" not in os.environ
    prepare(env, options.questions, options.keep, sqlite if own else None)
    info = bench_value(manage("shell", "-c", SETUP, env=env))
    load = wrk if shutil.which("wrk") else python_load
    print(f"Load generator: {'wrk' if load is wrk else 'Python threads (wrk not found)'}")

    logged_in = {"Cookie": f"sessionid={info['session']}; csrftoken={CSRF}"}
    pages = {
        "site /health/ (middleware)": ("/health/", {}, ""),
        "question page, anonymous": (info["seed"], {}, ""),
        "question page, logged in": (info["seed"], logged_in, ""),
        "home page": ("/", {}, ""),
        "question list": ("/questions/", {}, ""),
        "question list, page 1000": (deep_page_url(env), {}, ""),
        "tag page": (info["tag"], {}, ""),
        "search": ("/search/?q=random+forest", {}, ""),
        "inbox page, logged in": ("/inbox/", logged_in, ""),
        "vote POST (XHR)": (
            f"/posts/{info['voted'][0]}/vote/",
            {
                **logged_in,
                "X-CSRFToken": CSRF,
                "X-Requested-With": "XMLHttpRequest",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": BASE + "/",
            },
            lambda: vote_script(info),
        ),
    }
    processes: list = []
    try:
        site = start_server("qasite.wsgi", SITE_PORT, env, processes)
        floor_env = dict(env, DJANGO_SETTINGS_MODULE="floor.settings")
        floor = start_server(
            "floor.wsgi", FLOOR_PORT, floor_env, processes, pythonpath=str(ROOT / "bench")
        )
        wait_until_up(site, f"{BASE}/health/")
        wait_until_up(floor, FLOOR)
        measured = {name: page for name, page in pages.items() if options.only in name}
        measure = {"seconds": options.seconds, "connections": options.connections}
        samples = measure_rounds(measured, load, options.rounds, measure)
    finally:
        stop(processes)
    report(samples, options)

    query_pages = {
        "question page, anonymous": [info["seed"], False],
        "question page, logged in": [info["seed"], True],
        "question list": ["/questions/", False],
        "question list, page 1000": [pages["question list, page 1000"][0], False],
        "tag page": [info["tag"], False],
        "search": ["/search/?q=random+forest", False],
        "inbox page, logged in": ["/inbox/", True],
    }
    import json

    counts = bench_value(
        manage("shell", "-c", QUERIES.replace("PAGES", json.dumps(query_pages)), env=env)
    )
    print("\nSQL queries per page (cold cache / warm cache; logged-in counts include the")
    print("user lookup):")
    for name, (cold, warm) in counts.items():
        print(f"  {name:28} {cold:3} / {warm}")


def measure_rounds(pages: dict, load, rounds: int, measure: dict) -> dict:
    """``rounds`` walks through the pages, each page right after a floor run: returns, per
    page, its (floor run, page run) pairs, a run being (req/s, p50 ms, p95 ms, errors)."""
    samples: dict[str, list[tuple]] = {name: [] for name in pages}
    for number in range(1, rounds + 1):
        print(f"Round {number}/{rounds}…", flush=True)
        for name, (url, headers, script) in pages.items():
            floor = load(FLOOR, headers={}, script="", **measure)
            page = load(f"{BASE}{url}", headers=headers, script=script, **measure)
            samples[name].append((floor, page))
    return samples


WIDTH = 22  # a median and its (min–max)


def spread(values: list[float], digits: int) -> str:
    """The median, then (min–max): the range says how much of a difference is noise."""
    low, middle, high = min(values), statistics.median(values), max(values)
    return f"{middle:8.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def report(samples: dict, options) -> None:
    floor_runs = [floor for pairs in samples.values() for floor, _ in pairs]
    if not floor_runs:
        print("No page matches --only.")
        return
    print(
        f"\nMedians over {options.rounds} rounds, (min–max) across them; {options.seconds} s "
        f"per run, {options.connections} connections;\nboth servers: gunicorn "
        f"{' '.join(GUNICORN[:-2]).replace(str(ROOT) + '/', '')}.\n"
        "× floor: the page's req/s over the floor's, run just before it in the same round;\n"
        "1.00 is as fast as an empty Django project (bench/floor/).\n"
    )
    span = f"{'(min–max)':<{WIDTH - 9}}"
    print(
        f"{'page':28} {'req/s':>8} {span} {'p50 ms':>8} {span} {'p95 ms':>7} {'× floor':>8} {span}",
        "errors",
    )
    for name, pairs in samples.items():
        runs = [page for _, page in pairs]
        ratios = [page[0] / floor[0] for floor, page in pairs if floor[0]] or [0.0]
        errors = sum(max(0, run[3]) for run in runs)
        print(row(name, runs), f"{spread(ratios, 2):<{WIDTH}}", errors)
    floor_errors = sum(max(0, run[3]) for run in floor_runs)
    print(row("floor (bench/floor/)", floor_runs), " " * WIDTH, floor_errors)


def row(name: str, runs: list[tuple]) -> str:
    rps = spread([run[0] for run in runs], 0)
    p50 = spread([run[1] for run in runs], 1)
    p95 = statistics.median(run[2] for run in runs)
    return f"{name:28} {rps:<{WIDTH}} {p50:<{WIDTH}} {p95:7.1f}"


def deep_page_url(env: dict) -> str:
    """The list 1000 pages down, as following "Next" reaches it (a keyset cursor)."""
    script = (
        "from threads import selectors; from core.pagination import keyset_page; "
        "from core.conf import qasite_setting; "
        "per = qasite_setting('QUESTIONS_PER_PAGE'); "
        "qs = selectors.question_list(sort='newest', params={}); "
        "rows = list(qs.order_by('-created_at', '-pk').values_list('created_at', 'pk')"
        "[per * 999 - 1: per * 999]); "
        "from core.pagination import _encode; "
        "print('BENCH', '\"' + (_encode(list(rows[0])) if rows else '') + '\"')"
    )
    cursor = bench_value(manage("shell", "-c", script, env=env))
    return f"/questions/?after={cursor}" if cursor else "/questions/?page=1000"


if __name__ == "__main__":
    main()
