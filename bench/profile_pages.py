"""Where a page's time goes: the main pages requested in this process (Django's test
client, DEBUG off, warm caches) under pyinstrument, printing each page's call tree. The
vote POST (XHR) alternates an upvote and its retraction on the seed question.

    .venv/bin/python bench/profile_pages.py [--database-url URL] [--requests N] [--only TEXT]

The database is one `make bench` built (default: bench/results/bench-20000.sqlite3); with
REDIS_URL set the cache and sessions are Redis, as in production. It reports; no pass/fail.
"""

import argparse
import os

import in_process

PAGES = {
    "question page, anonymous": ("seed", False),
    "question page, logged in": ("seed", True),
    "home page": ("/", False),
    "home page, logged in": ("/", True),
    "tag page": ("/questions/tagged/python/", False),
    "vote POST": ("vote", True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", default="")
    parser.add_argument("--quiet", action="store_true", help="only the time per request")
    options = parser.parse_args()
    default = in_process.ROOT / "bench" / "results" / "bench-20000.sqlite3"
    in_process.setup(options.database_url or os.environ.get("DATABASE_URL", f"sqlite:///{default}"))

    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler

    from threads.models import Post

    seed = Post.objects.questions().order_by("pk").first()
    member = get_user_model().objects.get(username="trusted")
    for name, (url, logged_in) in PAGES.items():
        if options.only not in name:
            continue
        client = Client()
        if logged_in:
            client.force_login(member)
        request = _request(client, url, seed)
        for number in range(5):  # warm the caches
            request(number)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for number in range(options.requests):
            request(number)
        profiler.stop()
        session = profiler.last_session
        wall, cpu = (
            1000 * value / options.requests for value in (session.duration, session.cpu_time)
        )
        print(f"\n=== {name}: {cpu:.2f} ms CPU ({wall:.2f} ms wall) a request")
        if not options.quiet:
            print(
                profiler.output_text(
                    show_all=bool(os.environ.get("PROFILE_ALL")),
                    color=False,
                    time="percent_of_total",
                )
            )


def _request(client, url: str, seed):
    """One request of the page, numbered: a GET, or the vote's up and retraction in turn."""
    if url != "vote":
        url = seed.get_absolute_url() if url == "seed" else url
        return lambda number: client.get(url)
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}

    def vote(number: int):
        response = client.post(
            f"/posts/{seed.pk}/vote/", {"vote": "none" if number % 2 else "up"}, **xhr
        )
        assert response.status_code == 200, response.content
        return response

    return vote


if __name__ == "__main__":
    main()
