"""Suggested edits: saved for review by users without the edit privilege, then approved
(applied as a revision by their author) or rejected."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.conf import qasite_setting
from threads import rules, signals
from threads.locks import Interaction
from threads.models import (
    Post,
    ReputationCause,
    ReputationChange,
    Revision,
    RevisionKind,
    SuggestedEdit,
    SuggestedEditState,
)
from threads.reputation import (
    reputation_credit,
)
from threads.services._common import (
    _apply_content,
    _bump_version,
    _check_edit_input,
    _current_tags,
    _edit_prologue,
    _latest_revision,
    _lock_row,
    _name,
)
from threads.services.tags import normalize_tag_names
from threads.validation import normalize_newlines


class SuggestionRefused(Exception):
    """The suggestion can't be saved (one is already pending, nothing changed…)."""


@transaction.atomic
def suggested_edit_create(
    *,
    author,
    post: Post,
    title: str,
    body: str,
    tags: list[str] | None = None,
    summary: str = "",
    base_stamp: str | None = None,
) -> SuggestedEdit:
    """Save an edit for review instead of applying it (users without the edit privilege)."""
    body = normalize_newlines(body)
    post, latest = _edit_prologue(
        post, user=author, check=rules.check_suggest_edit_permission, base_stamp=base_stamp
    )
    if post.suggested_edit_pending:
        raise SuggestionRefused(
            "This post already has an edit waiting for review; try again once it is decided."
        )
    current_tags = _current_tags(post)
    tag_names = normalize_tag_names(tags) if post.is_question and tags is not None else current_tags
    new_title = title.strip() if post.is_question else ""
    _check_edit_input(author, post, title=title, body=body, tags=tag_names, current=current_tags)
    if post.body == body and post.title == new_title and sorted(tag_names) == current_tags:
        raise SuggestionRefused("Your edit doesn't change anything.")
    suggestion = SuggestedEdit.objects.create(
        post=post,
        author=author,
        title=new_title,
        body=body,
        tags=" ".join(tag_names or current_tags),
        summary=summary[:300],
        base_revision=latest.number if latest else 0,
    )
    Post.objects.filter(pk=post.pk).update(suggested_edit_pending=True)
    _bump_version(post.question_id)
    signals.edit_suggested.send(sender=SuggestedEdit, suggested_edit=suggestion)
    return suggestion


@transaction.atomic
def suggested_edit_approve(
    *,
    suggested_edit: SuggestedEdit,
    improver=None,
    title: str | None = None,
    body: str | None = None,
    tags: list[str] | None = None,
) -> Revision | None:
    """Apply a pending suggestion as a revision by its author (+2 reputation, capped in
    total); an ``improver`` may change its text first. None when already decided."""
    suggestion = SuggestedEdit.objects.select_for_update(no_key=True).get(pk=suggested_edit.pk)
    if suggestion.state != SuggestedEditState.PENDING:
        return None
    post = _lock_row(Post(pk=suggestion.post_id))
    rules.check_post_accepts(post, Interaction.EDIT)
    if improver is not None:
        suggestion.title = title if title is not None else suggestion.title
        suggestion.body = normalize_newlines(body) if body is not None else suggestion.body
        if tags is not None:
            suggestion.tags = " ".join(normalize_tag_names(tags))
        current_tags = _current_tags(post)
        _check_edit_input(
            improver,
            post,
            title=suggestion.title,
            body=suggestion.body,
            tags=suggestion.tag_list if post.is_question else None,
            current=current_tags,
        )
    SuggestedEdit.objects.filter(pk=suggestion.pk).update(
        state=SuggestedEditState.APPROVED, decided_at=timezone.now()
    )
    tag_list = suggestion.tag_list if post.is_question else None
    _apply_content(
        post,
        editor=suggestion.author,
        title=suggestion.title,
        body=suggestion.body,
        tags=tag_list,
    )
    latest = _latest_revision(post)
    revision = Revision.objects.create(
        post=post,
        number=(latest.number if latest else 0) + 1,
        kind=RevisionKind.SUGGESTED,
        title=post.title,
        body=suggestion.body,
        tags=suggestion.tags if post.is_question else "",
        editor=suggestion.author,
        editor_name=_name(suggestion.author),
        summary=suggestion.summary
        + (f" (improved by {improver.name})" if improver is not None else ""),
    )
    earned = (
        ReputationChange.objects.filter(
            user=suggestion.author, cause=ReputationCause.EDIT_APPROVED
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    cap = qasite_setting("REPUTATION")["SUGGESTED_EDIT_CAP"]
    amount = min(qasite_setting("REPUTATION")["SUGGESTED_EDIT_APPROVED"], max(0, cap - earned))
    if amount:
        reputation_credit(
            user_id=suggestion.author_id,
            amount=amount,
            cause=ReputationCause.EDIT_APPROVED,
            post=post,
        )
    signals.post_edited.send(sender=Post, post=post, editor=suggestion.author, revision=revision)
    signals.suggested_edit_decided.send(
        sender=SuggestedEdit, suggested_edit=suggestion, approved=True, reason=""
    )
    return revision


@transaction.atomic
def suggested_edit_reject(*, suggested_edit: SuggestedEdit, reason: str = "") -> bool:
    updated = SuggestedEdit.objects.filter(
        pk=suggested_edit.pk, state=SuggestedEditState.PENDING
    ).update(
        state=SuggestedEditState.REJECTED, reject_reason=reason[:300], decided_at=timezone.now()
    )
    if not updated:
        return False
    Post.objects.filter(pk=suggested_edit.post_id).update(suggested_edit_pending=False)
    _bump_version(suggested_edit.post.question_id)
    signals.suggested_edit_decided.send(
        sender=SuggestedEdit, suggested_edit=suggested_edit, approved=False, reason=reason[:300]
    )
    return True
