"""`make bench`: throughput and latency of the main pages against the floor.

Builds a site (demo data + `generate_data`) in its own database, serves it the way
`make serve` does (gunicorn, DEBUG off, whitenoise), and measures each page with wrk (or a
small Python load generator when wrk is missing) in alternating pairs with the floor — a
trivial view behind the project's own middleware — so machine noise hits both sides of
each ratio alike. Prints req/s, p50 and p95 per page, the ratio to the floor, and the SQL
queries each page costs (cold and with a warm cache). It reports; it never fails.

Options: --questions N (default 20000), --rounds R (pairs per page, default 3),
--seconds S (per run, default 4), --connections C (default 16), --keep (reuse the
database from an earlier run), --only TEXT (only the pages whose name has TEXT).
Set BENCH_DATABASE_URL to measure on PostgreSQL.
"""

import argparse
import os
import re
import secrets
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

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: Django's unmasked secret format
LUA_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %f %f %f %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status))
end
"""
LUA_VOTE = """
local n = 0
request = function()
  n = n + 1
  local vote = (n % 2 == 1) and "up" or "none"
  return wrk.format("POST", nil, nil, "vote=" .. vote)
end
"""


def run(*args: str, env: dict, quiet: bool = True) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout or ""


def environment(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        HTTPS_ONLY="false",
        SECRET_KEY=secrets.token_urlsafe(50),  # this run's server and commands share it
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def prepare(env: dict, questions: int, keep: bool) -> None:
    if keep and "BENCH_READY" in run("shell", "-c", READY_CHECK, env=env):
        print("Reusing the benchmark database.")
        return
    print(f"Building the site: demo data and {questions} generated questions…", flush=True)
    started = time.monotonic()
    run("migrate", "--noinput", env=env)
    run("load_demo", "--quiet", env=env)
    print(run("generate_data", "--questions", str(questions), env=env).strip().splitlines()[-1])
    run("collectstatic", "--noinput", env=env)
    print(f"Built in {time.monotonic() - started:.0f} s.")


READY_CHECK = (
    "from threads.models import Post; "
    "print('BENCH_READY' if Post.objects.count() > 1000 else 'EMPTY')"
)

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from threads.models import Post
user = get_user_model().objects.get(username="trusted")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
seed = Post.objects.questions().order_by("pk").first()
# A question the user never voted on: votes lock after a while, so one left from an
# earlier run could no longer be changed.
target = (Post.objects.questions().exclude(author=user).exclude(votes__user=user)
    .order_by("-pk").first())
tag = "python"
print("BENCH", json.dumps({"session": session.session_key, "seed": seed.get_absolute_url(),
    "vote": f"/posts/{target.pk}/vote/", "tag": f"/questions/tagged/{tag}/"}))
"""

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


def bench_value(output: str):
    import json

    line = next(line for line in output.splitlines() if line.startswith("BENCH"))
    return json.loads(line[len("BENCH ") :])


def wait_until_up(process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            sys.exit("gunicorn exited early")
        try:
            urllib.request.urlopen(f"{BASE}/health/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not start")


def wrk(url: str, *, seconds: int, connections: int, headers: dict, script: str) -> tuple:
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


def python_load(url: str, *, seconds: int, connections: int, headers: dict, script: str):
    """A bounded fallback when wrk is missing: threads issuing requests for ``seconds``."""
    body = b"vote=up" if "POST" in script else None
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
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--only", default="", help="measure only pages whose name has this")
    options = parser.parse_args()

    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{results / f'bench-{options.questions}.sqlite3'}"
    )
    env = environment(database_url)
    prepare(env, options.questions, options.keep)
    info = bench_value(run("shell", "-c", SETUP, env=env))
    load = wrk if shutil.which("wrk") else python_load
    print(f"Load generator: {'wrk' if load is wrk else 'Python threads (wrk not found)'}")

    logged_in = {"Cookie": f"sessionid={info['session']}; csrftoken={CSRF}"}
    pages = {
        "question page, anonymous": (info["seed"], {}, ""),
        "question page, logged in": (info["seed"], logged_in, ""),
        "question list": ("/questions/", {}, ""),
        "question list, page 1000": (deep_page_url(env), {}, ""),
        "tag page": (info["tag"], {}, ""),
        "search": ("/search/?q=random+forest", {}, ""),
        "vote POST (XHR)": (
            info["vote"],
            {
                **logged_in,
                "X-CSRFToken": CSRF,
                "X-Requested-With": "XMLHttpRequest",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": BASE + "/",
            },
            LUA_VOTE,
        ),
    }
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "qasite.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(server)
        measure = {"seconds": options.seconds, "connections": options.connections}
        print(f"\n{'page':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'× floor':>8}  errors")
        floor_runs = []
        for name, (url, headers, script) in pages.items():
            if options.only not in name:
                continue
            ratios, runs = [], []
            for _ in range(options.rounds):
                floor = load(f"{BASE}/health/", headers={}, script="", **measure)
                page = load(f"{BASE}{url}", headers=headers, script=script, **measure)
                floor_runs.append(floor)
                runs.append(page)
                if floor[0]:
                    ratios.append(page[0] / floor[0])
            rps = statistics.median(run[0] for run in runs)
            p50 = statistics.median(run[1] for run in runs)
            p95 = statistics.median(run[2] for run in runs)
            errors = sum(max(0, run[3]) for run in runs)
            ratio = statistics.median(ratios) if ratios else 0.0
            print(f"{name:28} {rps:8.0f} {p50:8.1f} {p95:8.1f} {ratio:8.2f}  {errors}")
        floor_rps = statistics.median(run[0] for run in floor_runs)
        floor_p50 = statistics.median(run[1] for run in floor_runs)
        print(f"{'floor (/health/)':28} {floor_rps:8.0f} {floor_p50:8.1f}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)

    query_pages = {
        "question page, anonymous": [info["seed"], False],
        "question page, logged in": [info["seed"], True],
        "question list": ["/questions/", False],
        "question list, page 1000": [pages["question list, page 1000"][0], False],
        "tag page": [info["tag"], False],
        "search": ["/search/?q=random+forest", False],
    }
    import json

    counts = bench_value(
        run("shell", "-c", QUERIES.replace("PAGES", json.dumps(query_pages)), env=env)
    )
    print("\nSQL queries per page (cold cache / warm cache; logged-in counts include the")
    print("user lookup):")
    for name, (cold, warm) in counts.items():
        print(f"  {name:28} {cold:3} / {warm}")


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
    cursor = bench_value(run("shell", "-c", script, env=env))
    return f"/questions/?after={cursor}" if cursor else "/questions/?page=1000"


if __name__ == "__main__":
    main()
