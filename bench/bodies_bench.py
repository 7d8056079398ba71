"""Body rendering benchmark: every post body and comment of a dump through what the importer
renders them with (``core.markdown.sanitize_html`` and ``render_comment``), without math and
with it (docs/rules.md, "Text and math"), against the bare nh3 pass the importer ran before.

Prints, per dump, the count, the seconds and the microseconds per body of each, and how
many bodies gained MathML or links. No pass/fail: numbers only.

    .venv/bin/python bench/bodies_bench.py DUMP_FOLDER [DUMP_FOLDER…]
"""

from __future__ import annotations

import os
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qasite.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from core.markdown import POST_TAGS, _clean, render_comment, sanitize_html  # noqa: E402


def texts(path: Path, attribute: str) -> list[str]:
    if not path.exists():
        return []
    return [row.get(attribute) or "" for _, row in ElementTree.iterparse(path) if row.tag == "row"]


def timed(label: str, function, items: list[str]) -> list[str]:
    started = time.perf_counter()
    results = [function(item) for item in items]
    seconds = time.perf_counter() - started
    per_item = seconds / len(items) * 1e6 if items else 0.0
    print(f"  {label:<34} {len(items):>7,} {seconds:>8.3f} s {per_item:>9.1f} µs each")
    return results


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 0
    for folder in map(Path, sys.argv[1:]):
        bodies = texts(folder / "Posts.xml", "Body")
        comments = texts(folder / "Comments.xml", "Text")
        print(f"{folder.name}: {len(bodies):,} bodies, {len(comments):,} comments")
        before = timed("bodies: nh3 only (before)", lambda b: _clean(b, POST_TAGS), bodies)
        plain = timed("bodies: sanitize_html", sanitize_html, bodies)
        math = timed(
            "bodies: sanitize_html(math=True)", lambda b: sanitize_html(b, math=True), bodies
        )
        timed(
            "comments: render_comment(math=False)",
            lambda c: render_comment(c, math=False),
            comments,
        )
        timed("comments: render_comment", render_comment, comments)
        linked = sum(a.count("<a ") != b.count("<a ") for a, b in zip(plain, before, strict=True))
        with_math = sum("<math" in html for html in math)
        print(f"  bodies that gained links: {linked:,}; with MathML under --math: {with_math:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
