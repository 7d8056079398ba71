"""Every write to threads goes through one of these functions (views, the admin, the demo
and other apps call them). Each is keyword-only and atomic; replays of the same request
are no-ops that return the existing row or False. Permission checks are the caller's
Each also checks, inside its transaction and on the rows it locked, who may do it
(``threads.rules``), the target's state (deleted, locked, closed) and its input
(``threads.validation``), so no entry point (page, review, admin, import, API) can skip a
rule; refusals are ``PermissionDenied`` and ``ValidationError`` with a message for people.
An ``actor`` of None is the Community: the site acting on its own rules (flags reaching a
threshold, a review completing)."""

import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TypeVar

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Sum
from django.utils import timezone

from core.conf import qasite_setting
from core.markdown import render_comment, render_post
from threads import limits, rules, signals, validation
from threads.locks import Interaction
from threads.models import (
    Comment,
    CommentVote,
    Post,
    PostKind,
    PostLink,
    PostLinkKind,
    ReputationCause,
    ReputationChange,
    Revision,
    RevisionKind,
    SuggestedEdit,
    SuggestedEditState,
    Tag,
    Vote,
)
from threads.reputation import (
    ACCEPT_CAUSES,
    REPLAYED_CAUSES,
    accept_reputation,
    reputation_credit,
    reputation_revert,
    vote_reputation,
)
from threads.search.links import site_links

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


# Tags -------------------------------------------------------------------------------------


def normalize_tag_names(names: Iterable[str]) -> list[str]:
    """Lower-case, de-duplicated, order kept; synonyms resolve to their master tag."""
    cleaned = list(dict.fromkeys(name.strip().lower() for name in names if name.strip()))
    synonyms = dict(
        Tag.objects.filter(name__in=cleaned, synonym_of__isnull=False).values_list(
            "name", "synonym_of__name"
        )
    )
    return list(dict.fromkeys(synonyms.get(name, name) for name in cleaned))


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


@transaction.atomic
def tag_save(*, tag: Tag) -> Tag:
    """Create or update a tag (name, excerpt, wiki, synonym) with its wiki rendered once."""
    tag.slug = tag.name
    tag.wiki_html = render_post(tag.wiki_body) if tag.wiki_body.strip() else ""
    tag.save()
    return tag


# Posts ------------------------------------------------------------------------------------


def _initial_revision(post: Post, tags: list[str]) -> None:
    Revision.objects.create(
        post=post,
        number=1,
        kind=RevisionKind.INITIAL,
        title=post.title,
        body=post.body,
        tags=" ".join(tags),
        editor=post.author,
        editor_name=post.author_name,
        created_at=post.created_at,
    )


def question_create(
    *,
    author,
    title: str,
    body: str,
    tags: list[str],
    token: uuid.UUID | None = None,
    rate_limited: bool = True,
) -> Post:
    """``rate_limited=False`` is for the demo and imports, never for people."""

    def create() -> Post:
        with transaction.atomic():
            rules.check_ask_permission(author)
            names = normalize_tag_names(tags)
            validation.validate_post(is_question=True, title=title, body=body, tags=names)
            _check_new_tags(author, names)
            if rate_limited and author.reputation < limits.limit("NEW_USER_REPUTATION"):
                latest = author.posts.questions().order_by("-created_at").first()
                limits.check_interval(
                    user=author,
                    latest=latest.created_at if latest else None,
                    seconds=limits.limit("NEW_USER_QUESTION_MINUTES") * 60,
                    what="question while your reputation is low,",
                )
            question = Post.objects.create(
                kind=PostKind.QUESTION,
                title=title.strip(),
                body=body,
                body_html=render_post(body),
                author=author,
                author_name=_name(author),
                creation_token=token,
            )
            _set_tags(question, tags)
            _links_record(question)
            _initial_revision(question, normalize_tag_names(tags))
            signals.post_created.send(sender=Post, post=question, author=author)
            return question

    return _create_once(Post, token, create, author=author)


def answer_create(
    *, author, question: Post, body: str, token: uuid.UUID | None = None, started_at=None
) -> Post:
    """``started_at`` is when the answer form was rendered (the grace period after a
    closure, ``rules.check_answer_permission``)."""

    def create() -> Post:
        with transaction.atomic():
            locked = _lock_row(question)
            if not locked.is_question:
                raise PermissionDenied("Only questions take answers.")
            rules.check_answer_permission(author, locked, started_at)
            validation.validate_post(is_question=False, body=body)
            answer = Post.objects.create(
                kind=PostKind.ANSWER,
                parent=question,
                body=body,
                body_html=render_post(body),
                author=author,
                author_name=_name(author),
                creation_token=token,
            )
            _initial_revision(answer, [])
            _links_record(answer)
            Post.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
            _bump_version(question.pk, activity=True)
            signals.post_created.send(sender=Post, post=answer, author=author)
            return answer

    return _create_once(Post, token, create, author=author)


def _latest_revision(post: Post) -> Revision | None:
    return post.revisions.order_by("-number").first()


def revision_stamp(revision: Revision | None) -> str:
    """What an edit form carries to detect that someone saved in between."""
    if revision is None:
        return "0"
    return f"{revision.number}:{revision.created_at.timestamp():.6f}"


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
    post = _lock_row(post)
    rules.check_edit_post_permission(editor, post)
    latest = _latest_revision(post)
    if base_stamp is not None and base_stamp != revision_stamp(latest):
        raise StaleEdit(latest)
    tag_names = normalize_tag_names(tags) if post.is_question and tags is not None else None
    current_tags = sorted(post.tags.names()) if post.is_question else []
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


def _check_edit_input(user, post: Post, *, title, body, tags, current: list[str]) -> None:
    validation.validate_post(
        is_question=post.is_question, title=title, body=body, tags=tags, current=post
    )
    if tags is not None:
        _check_new_tags(user, tags, current=current)


@transaction.atomic
def post_rollback(*, editor, post: Post, revision: Revision) -> Revision | None:
    """Restore an earlier revision's text as a new revision; None if it is already current.
    The earlier text was this post's once, so the length limits don't apply to it."""
    post = _lock_row(post)
    rules.check_edit_post_permission(editor, post)
    latest = _latest_revision(post)
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


@transaction.atomic
def post_delete(*, actor, post: Post) -> bool:
    """Soft-delete a post: counters, tag counts and the reputation it earned follow."""
    post = _lock_row(post)
    if post.deleted_at is not None:
        return False
    if actor is not None:
        rules.check_delete_post_permission(actor, post)
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    _supersede_suggestions(post)
    reputation_revert(ReputationChange.objects.filter(post=post, cause__in=REPLAYED_CAUSES))
    if post.is_question:
        Tag.objects.filter(tagged_posts__content_object=post, usage_count__gt=0).update(
            usage_count=F("usage_count") - 1
        )
        reputation_revert(
            ReputationChange.objects.filter(
                post_id=post.accepted_answer_id, cause__in=ACCEPT_CAUSES
            )
        )
    else:
        question = Post.objects.select_for_update(no_key=True).get(pk=post.parent_id)
        Post.objects.filter(pk=question.pk, answer_count__gt=0).update(
            answer_count=F("answer_count") - 1
        )
        if question.accepted_answer_id == post.pk:
            Post.objects.filter(pk=question.pk).update(accepted_answer=None, accepted_at=None)
    _bump_version(post.question_id)
    signals.post_deleted.send(sender=Post, post=post, actor=actor)
    return True


@transaction.atomic
def post_undelete(*, actor, post: Post) -> bool:
    post = _lock_row(post)
    if post.deleted_at is None:
        return False
    if actor is not None:
        rules.check_undelete_post_permission(actor, post)
    post.deleted_at = None
    post.save(update_fields=["deleted_at"])
    for vote in post.votes.select_related("post"):
        vote_reputation(vote)
    if post.is_question:
        Tag.objects.filter(tagged_posts__content_object=post).update(
            usage_count=F("usage_count") + 1
        )
        accepted = post.accepted_answer
        if accepted is not None and accepted.deleted_at is None:
            accepted.parent = post
            accept_reputation(accepted, when=post.accepted_at)
    else:
        Post.objects.filter(pk=post.parent_id).update(answer_count=F("answer_count") + 1)
    _bump_version(post.question_id)
    signals.post_undeleted.send(sender=Post, post=post, actor=actor)
    return True


# Suggested edits -------------------------------------------------------------------------


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
    post = _lock_row(post)
    rules.check_suggest_edit_permission(author, post)
    latest = _latest_revision(post)
    if base_stamp is not None and base_stamp != revision_stamp(latest):
        raise StaleEdit(latest)
    if post.suggested_edit_pending:
        raise SuggestionRefused(
            "This post already has an edit waiting for review; try again once it is decided."
        )
    current_tags = sorted(post.tags.names()) if post.is_question else []
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
        suggestion.body = body if body is not None else suggestion.body
        if tags is not None:
            suggestion.tags = " ".join(normalize_tag_names(tags))
        current_tags = sorted(post.tags.names()) if post.is_question else []
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
    return True


# States (closed, locked, protected) ----------------------------------------------------------
# Only these functions write the state fields; moderation decides when, and calls them.


def _lock_row(post: Post) -> Post:
    return Post.objects.select_for_update(no_key=True).get(pk=post.pk)


@transaction.atomic
def question_close(*, question: Post, notice: dict, duplicate_of: Iterable[Post] = ()) -> bool:
    """Close with a notice (a snapshot of the reason texts, voters and targets)."""
    question = _lock_row(question)
    if question.closed_at is not None:
        return False
    now = timezone.now()
    Post.objects.filter(pk=question.pk).update(
        closed_at=now,
        close_notice=notice,
        close_votes_pending=0,
        last_close_vote_at=None,
        reopen_votes_pending=0,
    )
    for target in duplicate_of:
        PostLink.objects.get_or_create(post=question, target=target, kind=PostLinkKind.DUPLICATE)
    _bump_version(question.pk, activity=True)
    return True


@transaction.atomic
def question_reopen(*, question: Post) -> bool:
    question = _lock_row(question)
    if question.closed_at is None:
        return False
    Post.objects.filter(pk=question.pk).update(
        closed_at=None,
        close_notice=None,
        reopen_votes_pending=0,
        close_votes_pending=0,
        last_close_vote_at=None,
    )
    PostLink.objects.filter(post=question, kind=PostLinkKind.DUPLICATE).delete()
    _bump_version(question.pk, activity=True)
    return True


@transaction.atomic
def question_pending_votes_set(
    *, question: Post, close: int | None = None, last_close_vote_at=None, reopen: int | None = None
) -> None:
    """Store the pending vote counts moderation counted (a copy for pages, never the
    source of a threshold)."""
    fields = {}
    if close is not None:
        fields.update(close_votes_pending=close, last_close_vote_at=last_close_vote_at)
    if reopen is not None:
        fields["reopen_votes_pending"] = reopen
    Post.objects.filter(pk=question.pk).update(**fields)
    _bump_version(question.pk)


@transaction.atomic
def post_lock(*, post: Post, kind: str, until) -> bool:
    """Lock until ``until`` (``PERMANENT_LOCK_UNTIL`` for no end)."""
    post = _lock_row(post)
    if post.is_locked and post.lock_kind == kind and post.locked_until == until:
        return False
    Post.objects.filter(pk=post.pk).update(locked_until=until, lock_kind=kind)
    _bump_version(post.question_id)
    return True


@transaction.atomic
def post_unlock(*, post: Post) -> bool:
    post = _lock_row(post)
    if not post.is_locked:
        return False
    Post.objects.filter(pk=post.pk).update(locked_until=None, lock_kind="")
    _bump_version(post.question_id)
    return True


@transaction.atomic
def question_protect(*, question: Post, protect: bool = True) -> bool:
    question = _lock_row(question)
    if question.is_protected == protect:
        return False
    Post.objects.filter(pk=question.pk).update(protected_at=timezone.now() if protect else None)
    _bump_version(question.pk)
    return True


# Votes ------------------------------------------------------------------------------------


@transaction.atomic
def vote_cast(*, user, post: Post, value: int, rate_limited: bool = True) -> bool:
    """Cast or change a vote (+1 / -1). Casting the vote one already has is a no-op.

    The voter's and the author's rows are locked first, in id order, so two people voting
    on each other's posts at once cannot deadlock (the daily limit and the reputation cap
    both lock user rows)."""
    if value not in (1, -1):
        raise ValueError("A vote is +1 or -1.")
    limits.lock_users(user.pk, post.author_id)
    post = _lock_row(post)
    vote = Vote.objects.filter(user=user, post=post).first()
    if vote is not None and vote.value == value:
        return False
    if vote is not None:
        vote.post = post
        rules.check_change_vote_permission(user, vote)
    rules.check_vote_permission(user, post, value)
    if rate_limited:
        limits.check_daily(
            user=user,
            rows=Vote.objects.filter(user=user, cast_at__gte=limits.utc_midnight()),
            name="VOTES_PER_DAY",
            what="votes",
        )
    if vote is not None:
        _vote_undo(vote)
    vote = Vote.objects.create(user=user, post=post, value=value)
    Post.objects.filter(pk=post.pk).update(score=F("score") + value)
    vote_reputation(vote)
    _bump_version(post.question_id)
    return True


def _vote_undo(vote: Vote) -> None:
    reputation_revert(ReputationChange.objects.filter(vote=vote))
    Post.objects.filter(pk=vote.post_id).update(score=F("score") - vote.value)
    vote.delete()


@transaction.atomic
def vote_retract(*, user, post: Post) -> bool:
    """Retract one's vote. Locks what ``vote_cast`` locks, in the same order (the users,
    then the post): a retraction racing a cast would otherwise deadlock."""
    limits.lock_users(user.pk, post.author_id)
    post = _lock_row(post)
    vote = Vote.objects.filter(user=user, post=post).first()
    if vote is None:
        return False
    vote.post = post
    rules.check_change_vote_permission(user, vote)
    _vote_undo(vote)
    _bump_version(post.question_id)
    return True


def _lock_comment(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("post__parent")
        .get(pk=comment.pk)
    )


@transaction.atomic
def comment_vote_cast(*, user, comment: Comment) -> bool:
    comment = _lock_comment(comment)
    rules.check_vote_comment_permission(user, comment)
    _, created = CommentVote.objects.get_or_create(user=user, comment=comment)
    if not created:
        return False
    Comment.objects.filter(pk=comment.pk).update(score=F("score") + 1)
    _bump_version(comment.post.question_id)
    return True


@transaction.atomic
def comment_vote_retract(*, user, comment: Comment) -> bool:
    comment = _lock_comment(comment)
    rules.check_vote_comment_permission(user, comment)
    deleted, _ = CommentVote.objects.filter(user=user, comment=comment).delete()
    if not deleted:
        return False
    Comment.objects.filter(pk=comment.pk, score__gt=0).update(score=F("score") - 1)
    _bump_version(comment.post.question_id)
    return True


# Accepting --------------------------------------------------------------------------------


def _unaccept_locked(question: Post) -> None:
    if question.accepted_answer_id is None:
        return
    reputation_revert(
        ReputationChange.objects.filter(
            post_id=question.accepted_answer_id, cause__in=ACCEPT_CAUSES
        )
    )
    Post.objects.filter(pk=question.pk).update(accepted_answer=None, accepted_at=None)


class _AcceptedChanged(Exception):
    pass


def _lock_for_accepting(answer: Post) -> Post:
    """Lock the users whose reputation (un)accepting changes — the asker, the answer's
    author and the author of the answer accepted now — then the question: users before
    posts, as votes lock them, or an accept racing a vote could deadlock. If another
    accept got in between, the savepoint's rollback releases these locks and it starts
    over (locking one more user while holding the question would break the order)."""
    while True:
        try:
            with transaction.atomic():
                asker, accepted_author = (
                    Post.objects.filter(pk=answer.parent_id)
                    .values_list("author_id", "accepted_answer__author_id")
                    .get()
                )
                limits.lock_users(asker, answer.author_id, accepted_author)
                question = Post.objects.select_for_update(no_key=True).get(pk=answer.parent_id)
                now_accepted = (
                    Post.objects.filter(pk=question.accepted_answer_id)
                    .values_list("author_id", flat=True)
                    .first()
                    if question.accepted_answer_id
                    else None
                )
                if now_accepted != accepted_author:
                    raise _AcceptedChanged
                return question
        except _AcceptedChanged:
            continue


def _check_accept(user, answer: Post, question: Post) -> None:
    answer = Post.objects.get(pk=answer.pk)
    answer.parent = question
    rules.check_accept_answer_permission(user, answer)


@transaction.atomic
def answer_accept(*, user, answer: Post) -> bool:
    """Mark ``answer`` accepted (replacing any other); False if it already is."""
    question = _lock_for_accepting(answer)
    _check_accept(user, answer, question)
    if question.accepted_answer_id == answer.pk:
        return False
    _unaccept_locked(question)
    now = timezone.now()
    Post.objects.filter(pk=question.pk).update(
        accepted_answer=answer, accepted_at=now, accept_imported=False
    )
    answer.parent = question
    accept_reputation(answer, when=now)
    _bump_version(question.pk)
    return True


@transaction.atomic
def answer_unaccept(*, user, answer: Post) -> bool:
    question = _lock_for_accepting(answer)
    _check_accept(user, answer, question)
    if question.accepted_answer_id != answer.pk:
        return False
    _unaccept_locked(question)
    _bump_version(question.pk)
    return True


# Comments ---------------------------------------------------------------------------------


def comment_create(
    *,
    author,
    post: Post,
    body: str,
    token: uuid.UUID | None = None,
    rate_limited: bool = True,
) -> Comment:
    def create() -> Comment:
        with transaction.atomic():
            target = (
                Post.objects.select_for_update(no_key=True, of=("self",))
                .select_related("parent")
                .get(pk=post.pk)
            )
            rules.check_comment_permission(author, target)
            validation.validate_comment(body)
            if rate_limited:
                latest = author.comments.order_by("-created_at").first()
                limits.check_interval(
                    user=author,
                    latest=latest.created_at if latest else None,
                    seconds=limits.limit("COMMENT_SECONDS"),
                    what="comment",
                )
            comment = Comment.objects.create(
                post=post,
                author=author,
                author_name=_name(author),
                body=body.strip(),
                body_html=render_comment(body.strip()),
                creation_token=token,
            )
            Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
            _bump_version(post.question_id)
            return comment

    return _create_once(Comment, token, create, author=author)


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> bool:
    if actor is not None:
        rules.check_delete_comment_permission(actor, comment)
    updated = Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now()
    )
    if not updated:
        return False
    Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    _bump_version(comment.post.question_id)
    return True


# Views ------------------------------------------------------------------------------------


def question_view_record(*, question_id: int, visitor: str) -> bool:
    """Count a view once per visitor per ``VIEW_DEDUP_SECONDS`` (exact with a shared cache,
    approximate with local memory)."""
    key = f"viewed:{question_id}:{visitor}"
    if not cache.add(key, 1, timeout=qasite_setting("VIEW_DEDUP_SECONDS")):
        return False
    Post.objects.filter(pk=question_id).update(view_count=F("view_count") + 1)
    return True


__all__ = [
    "StaleEdit",
    "answer_accept",
    "answer_create",
    "answer_unaccept",
    "comment_create",
    "comment_delete",
    "comment_vote_cast",
    "comment_vote_retract",
    "normalize_tag_names",
    "post_delete",
    "post_edit",
    "post_rollback",
    "post_lock",
    "post_undelete",
    "post_unlock",
    "question_close",
    "question_pending_votes_set",
    "question_protect",
    "question_reopen",
    "question_create",
    "question_view_record",
    "reputation_credit",
    "revision_stamp",
    "suggested_edit_approve",
    "suggested_edit_create",
    "suggested_edit_reject",
    "tag_save",
    "vote_cast",
    "vote_retract",
]
