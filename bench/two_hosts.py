"""`make two-hosts`: two web hosts, one state (README, "Deployment").

Runs two gunicorn instances as `make web` starts them (host A on --port, host B on the next
port) against the same PostgreSQL and Redis, with one RQ worker per "host", then prints what
shows they share everything a request depends on:

1. a session made by logging in on A (the real login form) is logged in on B;
2. a page B has cached changes on B's next request after a write through A (the page cache
   and its invalidation live in Redis);
3. a job enqueued by a request to A is done by B's worker while A's worker is stopped (one
   queue in Redis);

then runs the mixed load (bench/locustfile.py) with each simulated user on A or B, and the
integrity check. Options as bench/load.py (default 120 s).
"""

import json
import random
import re
import sys
import time
from pathlib import Path

import requests
from rq.job import Job
from rq.registry import FinishedJobRegistry

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402
import stack  # noqa: E402
from html_forms import Forms  # noqa: E402

PASSWORD = "qasite-demo"  # demo.factories.DEMO_PASSWORD, the load members' password


def submit(session: requests.Session, base: str, page: str, action: str, **fields):
    """GET ``page`` on ``base``, POST its form whose action matches ``action`` with
    ``fields`` added (CSRF token from the page, as a browser sends it)."""
    form = Forms(session.get(base + page, timeout=30).text).find(action)
    if form is None:
        sys.exit(f"no form for {action} on {base}{page}")
    data = {**form["fields"], **fields}
    return session.post(
        base + form["action"],
        data=data,
        headers={"Referer": base + page},
        allow_redirects=False,
        timeout=30,
    )


def show(label: str, passed: bool, detail: str) -> bool:
    print(f"  [{'ok' if passed else 'FAILED'}] {label}: {detail}")
    return passed


def check_session(a: str, b: str, member: str, member_id: int) -> requests.Session:
    browser = requests.Session()
    answer = submit(
        browser, a, "/accounts/login/", r"/accounts/login/", login=member, password=PASSWORD
    )
    logged_in = answer.status_code == 302
    page = browser.get(f"{b}/users/{member_id}/data/", allow_redirects=False, timeout=30)
    show(
        "session: log in on A, use the cookie on B",
        logged_in and page.status_code == 200,
        f"login on A answered {answer.status_code}; B's owner-only page /users/{member_id}/data/ "
        f"answered {page.status_code}",
    )
    return browser


def check_page_cache(a: str, b: str, browser: requests.Session, question: str) -> None:
    reader = requests.Session()
    reader.get(b + question, timeout=30)  # B caches the anonymous page
    cached = reader.get(b + question, timeout=30).text
    text = f"Two hosts check {int(time.time())}: the same page everywhere."
    post = question.split("/")[2]
    answer = submit(browser, a, f"/posts/{post}/comments/", r"/comments/$", body=text)
    after = reader.get(b + question, timeout=30).text
    show(
        "page cache: write on A, next read on B",
        text not in cached and text in after,
        f"comment posted through A ({answer.status_code}); B's cached page "
        f"{'shows it' if text in after else 'does NOT show it'} on the next request",
    )


def check_jobs(a: str, browser, member_id: int, env: dict, restart_worker_a) -> None:
    """Host A's worker is stopped (a paused one would still hold its blocking pop on the
    queue, and Redis would hand it the job), a job is queued by a request to A, B's worker
    must do it; then A's worker starts again (``restart_worker_a``)."""
    import redis

    connection = redis.Redis.from_url(env["REDIS_URL"])
    queue = stack.manage(
        "shell", "-c", "from django.conf import settings; print(settings.TASK_QUEUE)", env=env
    ).split()[-1]
    finished = FinishedJobRegistry(queue, connection=connection)
    before = set(finished.get_job_ids())
    answer = submit(browser, a, f"/users/{member_id}/data/", r"/data/export/$")
    done = set()
    for _ in range(240):
        done = set(finished.get_job_ids()) - before
        if done:
            break
        time.sleep(0.5)
    restart_worker_a()
    workers = {Job.fetch(job_id, connection=connection).worker_name for job_id in done}
    show(
        "queue: enqueue through A, done by B's worker",
        bool(done) and workers == {"host-b-worker"},
        f"export requested on A ({answer.status_code}) with A's worker stopped; job(s) "
        f"{sorted(done) or 'none'} done by {sorted(workers) or 'nobody'}",
    )


def main() -> None:
    given = load.options(__doc__.splitlines()[0], 8573)
    given.seconds = given.seconds if "--seconds" in sys.argv else 120
    env, logs, targets_path = load.setup(given)
    targets = json.loads(targets_path.read_text())
    processes: list = []
    try:
        a = stack.start_web(given.port, env, processes, logs)
        b = stack.start_web(given.port + 1, env, processes, logs)

        def start_worker_a():
            stack.start_worker(env, processes, logs / "worker-a.log", "host-a-worker")

        start_worker_a()
        worker_a = processes[-1]
        stack.start_worker(env, processes, logs / "worker-b.log", "host-b-worker")
        time.sleep(3)  # the workers register
        print(f"Host A {a}, host B {b}; one PostgreSQL, one Redis ({env['REDIS_URL']}).")
        # A member picked at random: an earlier run's export would make this one a no-op.
        index = random.randrange(len(targets["member_ids"]))
        member, member_id = f"load{index:04d}", targets["member_ids"][index]
        browser = check_session(a, b, member, member_id)
        check_page_cache(a, b, browser, targets["open_questions"][0])
        stack.stop([worker_a])
        check_jobs(a, browser, member_id, env, start_worker_a)
        print(f"\nLoad: {given.users} users for {given.seconds} s, each on A or B…", flush=True)
        prefix = stack.run_locust(
            hosts=[a, b],
            users=given.users,
            seconds=given.seconds,
            targets=targets_path,
            logs=logs,
            env=env,
        )
        stack.report(prefix)
        for host in (a, b):
            served = requests.get(
                f"{host}/metrics/",
                headers={"Authorization": f"Bearer {env['METRICS_TOKEN']}"},
                timeout=30,
            ).text
            total = sum(
                float(value)
                for value in re.findall(
                    r"^django_http_requests_total_by_transport_total\{[^}]*\} (\S+)$",
                    served,
                    re.MULTILINE,
                )
            )
            print(f"  {host} served {total:.0f} requests (its /metrics/)")
    finally:
        stack.stop(processes)
    load.integrity(env)


if __name__ == "__main__":
    main()
