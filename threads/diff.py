"""Diffs of revision texts as HTML (escaped input): inline (word by word, ``<ins>`` /
``<del>``) or side by side (line by line, words marked within changed lines), of the
Markdown source or of the rendered text a reader sees (docs/rules.md, "Revisions").

Changes are never told by colour alone: ``<del>`` is struck through and ``<ins>``
underlined (static/css/qasite.css), and each carries a visually hidden word ("removed",
"added") for screen readers."""

import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import zip_longest

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.markdown import render_post

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
_SAID = '<span class="visually-hidden">{}: </span>'


def _deleted(text: str) -> str:
    said = "" if not text.strip() else _SAID.format("removed")
    return f"{said}<del>{escape(text)}</del>"


def _inserted(text: str) -> str:
    said = "" if not text.strip() else _SAID.format("added")
    return f"{said}<ins>{escape(text)}</ins>"


def _opcodes(before: list[str], after: list[str]):
    return difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()


def html_diff(old: str, new: str) -> SafeString:
    """Word by word, deletions and insertions in place."""
    return mark_safe(_words(old, new, left=True, right=True))  # noqa: S308 - escaped


def _words(old: str, new: str, *, left: bool, right: bool) -> str:
    """A word diff keeping the deleted pieces (``left``), the inserted ones (``right``) or
    both; every piece is escaped."""
    before, after = TOKEN_RE.findall(old or ""), TOKEN_RE.findall(new or "")
    parts: list[str] = []
    for op, a1, a2, b1, b2 in _opcodes(before, after):
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if left and a2 > a1:
            parts.append(_deleted("".join(before[a1:a2])))
        if right and b2 > b1:
            parts.append(_inserted("".join(after[b1:b2])))
    return "".join(parts)


@dataclass(frozen=True)
class SideRow:
    """One line of a side-by-side diff: the old line and the new (None where there is no
    line on that side), and ``change``: same, changed, removed or added."""

    old: SafeString | None
    new: SafeString | None
    change: str


def side_by_side(old: str, new: str) -> list[SideRow]:
    """Line by line; in a changed line, the words removed (left) and added (right)."""
    before, after = (old or "").splitlines(), (new or "").splitlines()
    rows: list[SideRow] = []
    for op, a1, a2, b1, b2 in _opcodes(before, after):
        if op == "equal":
            rows += [
                SideRow(_safe(escape(line)), _safe(escape(line)), "same") for line in before[a1:a2]
            ]
            continue
        for left, right in zip_longest(before[a1:a2], after[b1:b2]):
            if left is None:
                rows.append(SideRow(None, _safe(_inserted(right)), "added"))
            elif right is None:
                rows.append(SideRow(_safe(_deleted(left)), None, "removed"))
            else:
                rows.append(
                    SideRow(
                        _safe(_words(left, right, left=True, right=False)),
                        _safe(_words(left, right, left=False, right=True)),
                        "changed",
                    )
                )
    return rows


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - built from escaped pieces only


_BLOCKS = frozenset(
    {"p", "li", "pre", "blockquote", "tr", "br", "hr", "div", "table", "ul", "ol", "dd", "dt"}
    | {f"h{level}" for level in range(1, 7)}
)


class _TextOf(HTMLParser):
    """The text a reader sees in rendered HTML, one line per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS or (tag == "math" and ("display", "block") in attrs):
            self.parts.append("\n")
        if tag == "img":
            alt = dict(attrs).get("alt") or ""
            self.parts.append(f"[image{': ' + alt if alt else ''}]")

    def handle_endtag(self, tag):
        if tag in _BLOCKS or tag == "math":
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def rendered_text(markdown: str) -> str:
    """What ``markdown`` reads like once rendered (the site's pipeline), as plain lines:
    markup gone, a line per paragraph, list item or heading; blank lines collapsed."""
    parser = _TextOf()
    parser.feed(render_post(markdown or ""))
    parser.close()
    lines = (
        re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return "\n".join(line for line in lines if line)
