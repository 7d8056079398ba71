"""What a delivery says (docs/architecture.md, "webhooks"): only what the public may see:
ids, titles, URLs, tags, a close reason's name, timestamps. Never a flag's text or its
flagger, a moderator's note or reason text, nor anything about deleted content beyond its
id. Each builder returns the ``data`` of one event."""

from django.conf import settings

from moderation.notices import CloseNotice
from threads.models import Post


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _stamp(value) -> str | None:
    return value.isoformat() if value is not None else None


def question(post: Post) -> dict:
    """A question as anyone may read it; only its id once deleted."""
    if post.is_deleted:
        return {"id": post.pk, "deleted": True}
    return {
        "id": post.pk,
        "title": post.title,
        "url": _url(post.get_absolute_url()),
        "tags": sorted(tag.name for tag in post.tags.all()),
        "created_at": _stamp(post.created_at),
        "closed_at": _stamp(post.closed_at),
    }


def post_ref(post: Post) -> dict:
    """A question or an answer named by its id and its question's public fields."""
    question_post = post if post.is_question else post.parent
    ref = {"id": post.pk, "type": "question" if post.is_question else "answer"}
    if post.is_deleted or question_post.is_deleted:
        ref["deleted"] = True
        ref["question_id"] = question_post.pk
        return ref
    ref["url"] = _url(post.get_absolute_url())
    ref["question"] = question(question_post)
    return ref


def close_reason(event) -> dict:
    """The reason's public name and kind, not the voters' comments."""
    notice = CloseNotice.from_json(event.details)
    reason = notice.reason
    return {
        "label": notice.label,
        "reason": reason.name if reason else "",
        "duplicate_of": [item.id for item in notice.duplicates],
    }
