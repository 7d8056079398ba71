"""Editing a post and rolling it back to an earlier revision."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.conf import qasite_setting
from threads import rules, signals
from threads.models import (
    Post,
    Revision,
    RevisionKind,
)
from threads.services._common import (
    _apply_content,
    _check_edit_input,
    _current_tags,
    _edit_prologue,
    _name,
)
from threads.services.tags import normalize_tag_names
from threads.validation import normalize_newlines


@transaction.atomic
def post_edit(
    *,
    editor,
    post: Post,
    title: str,
    body: str,
    tags: list[str] | None = None,
    summary: str = "",
    base_stamp: str | None = None,
) -> Revision | None:
    """Save an edit as a revision. Edits by the same editor within ``EDIT_FOLD_MINUTES``
    fold into their previous revision. Returns None when nothing changed; raises
    ``StaleEdit`` when ``base_stamp`` no longer matches the latest revision."""
    body = normalize_newlines(body)
    post, latest = _edit_prologue(
        post, user=editor, check=rules.check_edit_post_permission, base_stamp=base_stamp
    )
    tag_names = normalize_tag_names(tags) if post.is_question and tags is not None else None
    current_tags = _current_tags(post)
    _check_edit_input(editor, post, title=title, body=body, tags=tag_names, current=current_tags)
    unchanged = (
        post.body == body
        and (not post.is_question or post.title == title.strip())
        and (tag_names is None or sorted(tag_names) == current_tags)
    )
    if unchanged:
        return None
    _apply_content(post, editor=editor, title=title, body=body, tags=tag_names)
    tags_text = " ".join(tag_names if tag_names is not None else current_tags)
    fold_window = timedelta(minutes=qasite_setting("EDIT_FOLD_MINUTES"))
    if (
        latest is not None
        and latest.editor_id == getattr(editor, "pk", None)
        and latest.kind in (RevisionKind.INITIAL, RevisionKind.EDIT)
        and timezone.now() - latest.created_at < fold_window
        and (post.closed_at is None or latest.created_at > post.closed_at)
    ):
        latest.title, latest.body, latest.tags = post.title, body, tags_text
        if summary:
            latest.summary = summary[:300]
        latest.created_at = timezone.now()
        latest.save(update_fields=["title", "body", "tags", "summary", "created_at"])
        revision = latest
    else:
        revision = Revision.objects.create(
            post=post,
            number=(latest.number if latest else 0) + 1,
            kind=RevisionKind.EDIT,
            title=post.title,
            body=body,
            tags=tags_text,
            editor=editor,
            editor_name=_name(editor),
            summary=summary[:300],
        )
    signals.post_edited.send(sender=Post, post=post, editor=editor, revision=revision)
    return revision


@transaction.atomic
def post_rollback(*, editor, post: Post, revision: Revision) -> Revision | None:
    """Restore an earlier revision's text as a new revision; None if it is already current.
    The earlier text was this post's once, so the length limits don't apply to it."""
    post, latest = _edit_prologue(post, user=editor, check=rules.check_edit_post_permission)
    if latest is None or revision.post_id != post.pk or revision.pk == latest.pk:
        return None
    tags = revision.tag_list if post.is_question else None
    _apply_content(post, editor=editor, title=revision.title, body=revision.body, tags=tags)
    rollback = Revision.objects.create(
        post=post,
        number=latest.number + 1,
        kind=RevisionKind.ROLLBACK,
        title=revision.title,
        body=revision.body,
        tags=revision.tags,
        editor=editor,
        editor_name=_name(editor),
        summary=f"Rolled back to Revision {revision.number}",
    )
    signals.post_edited.send(sender=Post, post=post, editor=editor, revision=rollback)
    return rollback
