"""Structured data of a question page: schema.org's ``QAPage`` as JSON-LD, for search
engines (docs/architecture.md, "Feeds and discovery"). Built from the thread the page
already loaded: no query. It is a data block (``<script type="application/ld+json">``),
which browsers never execute, so the Content-Security-Policy forbidding inline scripts
allows it; ``<``, ``>`` and ``&`` are escaped as in ``json_script``, so no title or body
can close the element."""

import json
from html import unescape

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from threads.models import Post

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
DESCRIPTION_LENGTH = 300


def _text(post: Post) -> str:
    """The post's rendered text without markup, as plain text (entities decoded)."""
    return unescape(strip_tags(post.body_html)).strip()


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _person(post: Post) -> dict:
    person = {"@type": "Person", "name": post.display_author or "Community"}
    if post.author_id and post.author is not None:
        person["url"] = _absolute(post.author.get_absolute_url())
    return person


def _answer(question: Post, answer: Post) -> dict:
    return {
        "@type": "Answer",
        "text": _text(answer),
        "dateCreated": answer.created_at,
        "upvoteCount": answer.score,
        "url": _absolute(f"{question.get_absolute_url()}#answer-{answer.pk}"),
        "author": _person(answer),
    }


def question_page_data(question: Post, answers: list[Post]) -> dict:
    """The ``QAPage`` of ``question`` and its visible ``answers`` (deleted ones, which 10k
    users see on the page, are left out)."""
    visible = [answer for answer in answers if answer.deleted_at is None]
    accepted = [a for a in visible if a.pk == question.accepted_answer_id]
    suggested = [a for a in visible if a.pk != question.accepted_answer_id]
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": _text(question),
        "answerCount": len(visible),
        "upvoteCount": question.score,
        "dateCreated": question.created_at,
        "author": _person(question),
        "url": _absolute(question.get_absolute_url()),
    }
    if accepted:
        entity["acceptedAnswer"] = _answer(question, accepted[0])
    if suggested:
        entity["suggestedAnswer"] = [_answer(question, answer) for answer in suggested]
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


def json_ld(data: dict) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` element, escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def description(post: Post) -> str:
    """The post's text without markup, cut for ``og:description``."""
    text = " ".join(_text(post).split())
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1] + "…"
