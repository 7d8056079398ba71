"""Highlighted excerpts. The backends mark matches in *plain text* with two private-use
characters; here the text is escaped and only those marks become ``<mark>`` elements, so no
markup from a post ever reaches the page unescaped."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.markdown import plain_text

START = "\ue000"
STOP = "\ue001"
_MARKS_RE = re.compile(f"([{START}{STOP}])")
EXCERPT_LENGTH = 240


def marked_html(text: str) -> SafeString:
    """Escape ``text`` and turn START…STOP into ``<mark>…</mark>``: balanced whatever the
    input holds (a stray mark character in a post is simply dropped)."""
    parts: list[str] = []
    inside = False
    for piece in _MARKS_RE.split(" ".join(text.split())):
        if piece == START:
            if not inside:
                parts.append("<mark>")
                inside = True
        elif piece == STOP:
            if inside:
                parts.append("</mark>")
                inside = False
        else:
            parts.append(escape(piece))
    if inside:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def excerpt_html(body: str) -> SafeString:
    """The start of a post's text, escaped (results of a query without words)."""
    text = plain_text(body, EXCERPT_LENGTH).replace(START, "").replace(STOP, "")
    return marked_html(text)
