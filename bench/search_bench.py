"""Search latency without the page cache: varied queries drawn from the site's own titles
and tags, each asked once by a logged-in user (whose pages are never cached), one at a
time, in this process; then the searches a page runs besides (the question page's Related
sidebar for random questions, as its one query; the ask form's similar questions for their
titles), called directly. Prints p50 / p95 / max per kind of query. No pass/fail.

    .venv/bin/python bench/search_bench.py [--queries N] [--database-url URL]

The default database is the one `make bench` built (bench/results/bench-100000.sqlite3).
"""

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import in_process

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = ROOT / "bench" / "results" / "bench-100000.sqlite3"


def queries(count: int, seed: int = 7) -> dict[str, list[str]]:
    """Kinds of query, each from titles and tags picked at random (the same every run)."""
    from threads.models import Post, Tag
    from threads.search.query import content_words

    pick = random.Random(seed)
    newest = Post.objects.questions().order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [pick.randint(1, newest) for _ in range(count * 3)]
    titles = list(Post.objects.filter(pk__in=ids).values_list("title", flat=True))
    words = [found for found in map(content_words, titles) if len(found) >= 2]
    tags = list(Tag.objects.order_by("-usage_count").values_list("name", flat=True)[:20])
    kinds: dict[str, list[str]] = {
        "two words": [],
        "a phrase": [],
        "a word and a [tag]": [],
        "a [tag] alone": [],
    }
    for found in words[:count]:
        first, second = pick.sample(found, 2)
        kinds["two words"].append(f"{first} {second}")
        kinds["a phrase"].append(f'"{found[0]} {found[1]}"')
        kinds["a word and a [tag]"].append(f"{first} [{pick.choice(tags)}]")
        kinds["a [tag] alone"].append(f"[{pick.choice(tags)}]")
    return kinds


def sidebar_calls(count: int, seed: int = 7) -> dict[str, list[Callable[[], object]]]:
    """The Related sidebar's query and the similar questions of random questions."""
    from threads import search, selectors
    from threads.models import Post

    pick = random.Random(seed)
    newest = Post.objects.questions().order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [pick.randint(1, newest) for _ in range(count * 3)]
    found = Post.objects.questions().filter(pk__in=ids).prefetch_related("tags")[:count]

    def related(question: Post):
        section = search.Section(search.related_questions(question=question), key="search_rank")
        return search.posts_by_section({"related": section})

    return {
        "related (sidebar)": [partial(related, question) for question in found],
        "similar (ask form)": [
            partial(selectors.similar_questions, title=question.title) for question in found
        ],
    }


def timed(kind: str, calls: list[Callable[[], object]]) -> None:
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{kind:22} {len(times):4} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f}")


def searched(client, text: str) -> None:
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=100, help="per kind (default 100)")
    parser.add_argument("--database-url", default=f"sqlite:///{DEFAULT_DATABASE}")
    options = parser.parse_args()
    if (
        options.database_url.startswith("sqlite:///")
        and not Path(options.database_url.removeprefix("sqlite:///")).exists()
    ):
        sys.exit(f"No database at {options.database_url}: run `make bench` first.")
    in_process.setup(options.database_url)

    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.filter(is_active=True).order_by("pk").first())
    client.get("/search/?q=warm+up")
    print(f"{'query':22} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, asked in queries(options.queries).items():
        timed(kind, [partial(searched, client, text) for text in asked])
    for kind, calls in sidebar_calls(options.queries).items():
        timed(kind, calls)


if __name__ == "__main__":
    main()
