"""Reading pages in tests as a person would."""

import html
import re

from django.urls import reverse

TAG_RE = re.compile(r"<[^>]+>")
PUNCTUATION_RE = re.compile(r" ([.,;:!?)])")


HIDDEN_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)


def text_of(page) -> str:
    """What a reader sees of a response, its bytes or its HTML: tags stripped, entities
    decoded, whitespace collapsed."""
    content = getattr(page, "content", page)
    if isinstance(content, bytes):
        content = content.decode()
    content = HIDDEN_RE.sub(" ", content)  # scripts and data blocks (JSON-LD) are not read
    text = " ".join(html.unescape(TAG_RE.sub(" ", content)).split())
    return PUNCTUATION_RE.sub(r"\1", text)  # "question ." was "question</a>."


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))
