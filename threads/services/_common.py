"""Helpers the service modules share: the author name kept with a row, bumping a
question's version for the caches, one-time form tokens, row locks, and the steps every
change of a post's text takes (tags, links, pending suggestions, the revision stamp)."""

import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from core.markdown import render_post
from threads import limits, page_state, rules, validation
from threads.models import (
    Post,
    PostKind,
    PostLink,
    PostLinkKind,
    Revision,
    SuggestedEdit,
    SuggestedEditState,
    Tag,
)
from threads.search.links import site_links
from threads.services.tags import normalize_tag_names

M = TypeVar("M", bound=Model)


class StaleEdit(Exception):
    """The post changed after the edit form was rendered; carries the current revision."""

    def __init__(self, latest: Revision):
        super().__init__("This post was edited by someone else while you were editing it.")
        self.latest = latest


def _name(user) -> str:
    return user.name if user is not None else ""


def _bump_version(question_id: int, *, activity: bool = False) -> None:
    """Tell caches the question page changed; ``activity`` also moves last activity."""
    now = timezone.now()
    fields = {"version": F("version") + 1, "changed_at": now}
    if activity:
        fields["last_activity_at"] = now
    Post.objects.filter(pk=question_id).update(**fields)
    page_state.changed([question_id])


def _create_once(model: type[M], token: uuid.UUID | None, create: Callable[[], M], *, author) -> M:
    """Run ``create`` unless a row with this one-time form token exists; a replayed or
    raced POST gets the existing row back instead of a second one. The author's row is
    locked first, so one person's parallel requests are counted (rate limits) and
    recognised (replays) one after the other."""
    if token is not None:
        existing = model.objects.filter(creation_token=token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            if author is not None:
                limits.lock_users(author.pk)
            if token is not None:
                existing = model.objects.filter(creation_token=token).first()
                if existing is not None:
                    return existing
            return create()
    except IntegrityError:
        existing = model.objects.filter(creation_token=token).first() if token else None
        if existing is None:
            raise
        return existing


def _lock_row(post: Post) -> Post:
    return Post.objects.select_for_update(no_key=True).get(pk=post.pk)


def _check_new_tags(user, names: Iterable[str], *, current: Iterable[str] = ()) -> None:
    """Creating a tag is a privilege; tags the post already has are not new."""
    unknown = set(normalize_tag_names(names)) - set(current)
    known = set(Tag.objects.filter(name__in=unknown).values_list("name", flat=True))
    rules.check_create_tags_permission(user, sorted(unknown - known))


def _set_tags(question: Post, names: list[str]) -> None:
    old = set(question.tags.names())
    new = normalize_tag_names(names)
    for name in new:
        Tag.objects.get_or_create(name=name, defaults={"slug": name})
    question.tags.set(new)
    counted = question.deleted_at is None
    if counted:
        Tag.objects.filter(name__in=set(new) - old).update(usage_count=F("usage_count") + 1)
        Tag.objects.filter(name__in=old - set(new), usage_count__gt=0).update(
            usage_count=F("usage_count") - 1
        )


def _latest_revision(post: Post) -> Revision | None:
    return post.revisions.order_by("-number").first()


def revision_stamp(revision: Revision | None) -> str:
    """What an edit form carries to detect that someone saved in between."""
    if revision is None:
        return "0"
    return f"{revision.number}:{revision.created_at.timestamp():.6f}"


def _edit_prologue(post: Post, *, user, check, base_stamp: str | None = None):
    """What every edit of a post's text starts with: lock the post, check that ``user`` may
    (``check``, a ``threads.rules`` check), and refuse an edit begun on an older revision
    (``base_stamp``, from the form) with ``StaleEdit``. Returns the locked post and its
    latest revision."""
    post = _lock_row(post)
    check(user, post)
    latest = _latest_revision(post)
    if base_stamp is not None and base_stamp != revision_stamp(latest):
        raise StaleEdit(latest)
    return post, latest


def _current_tags(post: Post) -> list[str]:
    """The post's tag names, sorted; an answer has none."""
    return sorted(post.tags.names()) if post.is_question else []


def _apply_content(post: Post, *, editor, title: str, body: str, tags: list[str] | None) -> None:
    now = timezone.now()
    old_html, old_body = post.body_html, post.body
    post.title = title.strip() if post.is_question else ""
    post.body = body
    post.body_html = render_post(body)
    post.last_editor = editor
    post.last_editor_name = _name(editor)
    post.last_edited_at = now
    post.save(
        update_fields=[
            "title",
            "body",
            "body_html",
            "last_editor",
            "last_editor_name",
            "last_edited_at",
        ]
    )
    _links_record(post, old_html=old_html, old_body=old_body)
    if post.is_question and tags is not None:
        _set_tags(post, tags)
    _supersede_suggestions(post)
    _bump_version(post.question_id, activity=True)


def _supersede_suggestions(post: Post) -> None:
    """An edit makes a pending suggestion stale: it was written against older text."""
    SuggestedEdit.objects.filter(post=post, state=SuggestedEditState.PENDING).update(
        state=SuggestedEditState.SUPERSEDED, decided_at=timezone.now()
    )
    Post.objects.filter(pk=post.pk).update(suggested_edit_pending=False)


def _links_record(post: Post, *, old_html: str = "", old_body: str = "") -> None:
    """Keep the post's "linked" PostLinks in step with the links in its text to this site's
    questions and answers (an answer stands for its question). Only targets the previous
    text linked to are removed, so links recorded otherwise (the importer's) stay."""
    if post.body_html == old_html and post.body == old_body:
        return
    new, old = site_links(post.body_html, post.body), site_links(old_html, old_body)
    if not new and not old:
        return
    ids = new.question_ids | new.answer_ids | old.question_ids | old.answer_ids
    found = list(Post.objects.filter(pk__in=ids).values_list("pk", "kind", "parent_id"))
    questions = {pk for pk, kind, _ in found if kind == PostKind.QUESTION}
    answers = {pk: parent for pk, kind, parent in found if kind == PostKind.ANSWER}

    def targets(links) -> set[int]:
        linked = (links.question_ids & questions) | {
            answers[pk] for pk in links.answer_ids if pk in answers
        }
        return linked - {post.question_id}

    now_linked, was_linked = targets(new), targets(old)
    removed = was_linked - now_linked
    if removed:
        PostLink.objects.filter(post=post, kind=PostLinkKind.LINKED, target_id__in=removed).delete()
    PostLink.objects.bulk_create(
        [PostLink(post=post, target_id=pk, kind=PostLinkKind.LINKED) for pk in now_linked],
        ignore_conflicts=True,
    )
    # The targets' pages show the link in their Linked sidebar: tell their caches, after
    # commit (locking other questions' rows here could deadlock with their own edits).
    for pk in (now_linked - was_linked) | removed:
        transaction.on_commit(lambda pk=pk: _bump_version(pk), robust=True)


def _check_edit_input(user, post: Post, *, title, body, tags, current: list[str]) -> None:
    validation.validate_post(
        is_question=post.is_question, title=title, body=body, tags=tags, current=post, author=user
    )
    if tags is not None:
        _check_new_tags(user, tags, current=current)
