"""Asking, answering, deleting and undeleting posts, and counting views."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.conf import qasite_setting
from core.markdown import render_post
from threads import limits, page_state, rules, signals, validation
from threads.cache import add_once
from threads.models import (
    Post,
    PostKind,
    ReputationChange,
    Revision,
    RevisionKind,
    Tag,
)
from threads.reputation import (
    ACCEPT_CAUSES,
    POST_CAUSES,
    accept_reputation,
    reputation_revert,
    vote_reputation,
)
from threads.services._common import (
    _bump_version,
    _check_new_tags,
    _create_once,
    _links_record,
    _lock_row,
    _name,
    _set_tags,
    _supersede_suggestions,
)
from threads.services.tags import normalize_tag_names


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
    body = validation.normalize_newlines(body)

    def create() -> Post:
        with transaction.atomic():
            rules.check_ask_permission(author)
            names = normalize_tag_names(tags)
            validation.validate_post(
                is_question=True, title=title, body=body, tags=names, author=author
            )
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
            page_state.changed([question.pk])  # the lists (and a reused id's page)
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
    body = validation.normalize_newlines(body)

    def create() -> Post:
        with transaction.atomic():
            locked = _lock_row(question)
            if not locked.is_question:
                raise PermissionDenied("Only questions take answers.")
            rules.check_answer_permission(author, locked, started_at)
            validation.validate_post(is_question=False, body=body, author=author)
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
    reputation_revert(ReputationChange.objects.filter(post=post, cause__in=POST_CAUSES))
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


def question_view_record(*, question_id: int, visitor: str) -> bool:
    """Count a view once per visitor per ``VIEW_DEDUP_SECONDS`` (exact with a shared cache,
    approximate with local memory)."""
    key = f"viewed:{question_id}:{visitor}"
    if not add_once(key, qasite_setting("VIEW_DEDUP_SECONDS")):
        return False
    Post.objects.filter(pk=question_id).update(view_count=F("view_count") + 1)
    return True


def author_pages_refresh(*, user) -> int:
    """The questions showing ``user``'s card (as asker or answerer) changed: the cached
    pages show their reputation, which a suspension hides (``User.shown_reputation``)."""
    answered = Post.objects.filter(author=user, kind=PostKind.ANSWER).values("parent_id")
    questions = Post.objects.filter(kind=PostKind.QUESTION).filter(
        Q(author=user) | Q(pk__in=answered)
    )
    page_state.changed(None)
    return questions.update(version=F("version") + 1, changed_at=timezone.now())
