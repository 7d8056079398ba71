"""Writing and deleting comments."""

import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.markdown import render_comment
from threads import limits, rules, signals, validation
from threads.models import (
    Comment,
    Post,
)
from threads.services._common import _bump_version, _create_once, _name


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
            validation.validate_comment(body, author=author)
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
            signals.comment_created.send(sender=Comment, comment=comment)
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
