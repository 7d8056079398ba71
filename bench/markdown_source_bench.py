"""Fidelity and cost of the Markdown source given to imported posts without history
(``dumps.importer.markdown_source``): each question's and answer's sanitised HTML is
converted to Markdown, rendered again, and the links, images, code, list items, emphasis
and quotes of both compared. The same comparison for the HTML rendered as Markdown (the
source imports had before) is printed beside it. No pass/fail: numbers only.

    .venv/bin/python bench/markdown_source_bench.py [DUMP_FOLDER]
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DUMP = ROOT.parent / "shared" / "stackexchange" / "french.meta"
KEPT = {"a", "img", "code", "pre", "li", "em", "strong", "blockquote", "kbd", "sub", "sup"}


#: Tags Markdown writes differently with the same meaning.
SAME_AS = {"b": "strong", "i": "em"}


class Parts(HTMLParser):
    """(tag, href/src or whitespace-normalised text) counted; ``b``/``i`` read as
    ``strong``/``em``, and the ``code`` inside a ``pre`` as part of the ``pre``."""

    def __init__(self, html: str):
        super().__init__()
        self.found: Counter = Counter()
        self.open: list[list] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        tag = SAME_AS.get(tag, tag)
        attributes = dict(attrs)
        if tag == "code" and self.open and self.open[-1][0] == "pre":
            return
        if tag == "a":
            self.found[("a", attributes.get("href"))] += 1
        elif tag == "img":
            self.found[("img", attributes.get("src"))] += 1
        elif tag in KEPT:
            self.open.append([tag, ""])

    def handle_data(self, data):
        for item in self.open:
            item[1] += data

    def handle_endtag(self, tag):
        tag = SAME_AS.get(tag, tag)
        if self.open and self.open[-1][0] == tag:
            kind, text = self.open.pop()
            self.found[(kind, " ".join(text.split()))] += 1


def main() -> int:
    dump = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DUMP
    posts_file = dump / "Posts.xml"
    if not posts_file.exists():
        print(f"No Posts.xml in {dump}: nothing to measure.")
        return 0
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qasite.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()
    from core.markdown import render_post, sanitize_html
    from dumps.importer.markdown_source import html_to_markdown
    from dumps.source import DumpSource

    bodies = []
    with DumpSource(dump) as source, source.open("Posts.xml") as posts:
        for row in posts.rows():
            if row.get("PostTypeId") in ("1", "2"):
                bodies.append(sanitize_html(row.get("Body") or ""))
    started = time.perf_counter()
    sources = [html_to_markdown(html) for html in bodies]
    seconds = time.perf_counter() - started
    same = {"converted": 0, "html as Markdown": 0}
    lost: Counter = Counter()
    for html, markdown in zip(bodies, sources, strict=True):
        expected = Parts(html).found
        for label, text in (("converted", markdown), ("html as Markdown", html)):
            found = Parts(render_post(text)).found
            if found == expected:
                same[label] += 1
            elif label == "converted":
                lost.update(kind for kind, _ in (expected - found))
    count = max(len(bodies), 1)
    print(f"{dump.name}: {len(bodies):,} questions and answers")
    print(f"conversion: {seconds:.2f} s, {1000 * seconds / count:.2f} ms per post")
    for label, value in same.items():
        print(f"{label:>17}: {value:,} of {len(bodies):,} keep every part ({value / count:.1%})")
    if lost:
        print("parts changed by the conversion:", ", ".join(f"{k} {v}" for k, v in lost.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
