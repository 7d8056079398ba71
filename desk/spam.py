"""Destroying a spam account (docs/rules.md, "Spam accounts"): a moderator, with a reason,
deactivates the account and soft-deletes its posts and comments through threads' delete
services (so counters and reputation follow, and each deletion is logged as usual). The
action is one event of the moderation log about the member, naming the posts it deleted;
the deleted posts stay (soft delete), so the record keeps pointing at them."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import AccountEvent, AccountEventKind
from desk import rules
from moderation.models import EventKind
from moderation.services import event_record
from threads.models import Comment, Post
from threads.services import author_pages_refresh, comment_delete, post_delete


@transaction.atomic
def spam_account_destroy(*, moderator, member, reason: str) -> bool:
    """Returns False when the account was already deactivated (a replayed POST)."""
    member = get_user_model().objects.select_for_update().get(pk=member.pk)
    rules.check_destroy_spam_account_permission(moderator, member)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why this account is spam."})
    if not member.is_active:
        return False
    member.is_active = False
    member.set_unusable_password()
    member.save(update_fields=["is_active", "password"])
    # Answers first: deleting a question first would leave its answers to be found anyway.
    posts = list(Post.objects.filter(author=member, deleted_at__isnull=True).order_by("kind", "pk"))
    deleted = [post.pk for post in posts if post_delete(actor=moderator, post=post)]
    comments = list(
        Comment.objects.filter(author=member, deleted_at__isnull=True).select_related("post")
    )
    removed = [c.pk for c in comments if comment_delete(actor=moderator, comment=c)]
    author_pages_refresh(user=member)
    event_record(
        kind=EventKind.ACCOUNT_DESTROYED,
        user=member,
        actor=moderator,
        reason=reason,
        details={"posts": deleted, "comments": removed},
    )
    AccountEvent.objects.create(
        user=member,
        kind=AccountEventKind.DESTROYED_AS_SPAM,
        actor=moderator,
        details={"posts": len(deleted), "comments": len(removed)},
    )
    return True
