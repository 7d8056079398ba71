"""API throughput against the floor: requests/s, p50 and p95 of the API's list and detail
reads (anonymous, and with a read token), each run right after a run of the floor
(bench/floor/: one view returning "ok"), as `make bench` measures the pages (bench/run.py,
whose site build, servers and load generators this reuses). Reports; never fails, never a
test.

    .venv/bin/python bench/api_bench.py [--questions N] [--rounds R] [--seconds S]
                                        [--connections C] [--keep]

Set BENCH_DATABASE_URL to measure on PostgreSQL.
"""

import argparse
import os
import shutil

import run as site_bench

TOKEN = """
import json
from django.contrib.auth import get_user_model
from api.tokens import token_create
from threads.models import Post
user = get_user_model().objects.get(username="trusted")
_, plain = token_create(user=user, name="api bench", scopes=["read"], days=1)
seed = Post.objects.questions().visible().order_by("-score", "pk").first()
print("BENCH", json.dumps({"token": plain, "question": seed.pk}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()

    results = site_bench.ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    sqlite = results / f"bench-{options.questions}.sqlite3"
    database_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{sqlite}")
    env = site_bench.environment(database_url)
    own = "BENCH_DATABASE_URL" not in os.environ
    site_bench.prepare(env, options.questions, options.keep, sqlite if own else None)
    info = site_bench.bench_value(site_bench.run("shell", "-c", TOKEN, env=env))
    load = site_bench.wrk if shutil.which("wrk") else site_bench.python_load
    print(f"Load generator: {'wrk' if load is site_bench.wrk else 'Python threads'}")

    bearer = {"Authorization": f"Bearer {info['token']}"}
    detail = f"/api/v1/questions/{info['question']}/"
    endpoints = {
        "API questions list": ("/api/v1/questions/", {}, ""),
        "API questions list, token": ("/api/v1/questions/", bearer, ""),
        "API questions list, 100": ("/api/v1/questions/?page_size=100", {}, ""),
        "API question detail": (detail, {}, ""),
        "API question detail, token": (detail, bearer, ""),
        "API users list": ("/api/v1/users/", {}, ""),
    }
    processes: list = []
    try:
        site = site_bench.start_server("qasite.wsgi", site_bench.SITE_PORT, env, processes)
        floor_env = dict(env, DJANGO_SETTINGS_MODULE="floor.settings")
        floor = site_bench.start_server(
            "floor.wsgi",
            site_bench.FLOOR_PORT,
            floor_env,
            processes,
            pythonpath=str(site_bench.ROOT / "bench"),
        )
        site_bench.wait_until_up(site, f"{site_bench.BASE}/health/")
        site_bench.wait_until_up(floor, site_bench.FLOOR)
        measure = {"seconds": options.seconds, "connections": options.connections}
        samples = site_bench.measure_rounds(endpoints, load, options.rounds, measure)
    finally:
        site_bench.stop(processes)
    site_bench.report(samples, options)


if __name__ == "__main__":
    main()
