"""The inbox: one row per person told of one action, written in the action's transaction
(an outbox: the email is sent from these rows after the commit), and what people follow.
See docs/architecture.md, "notifications"."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from threads.models import Comment, Post, Tag


class Kind(models.TextChoices):
    ANSWER = "answer", "New answer"
    QUESTION_IN_WATCHED_TAG = "watched_tag", "New question in a watched tag"
    COMMENT = "comment", "Comment on your post"
    MENTION = "mention", "Mention in a comment"
    EDIT = "edit", "Your post was edited"
    SUGGESTION_APPROVED = "suggestion_approved", "Suggested edit approved"
    SUGGESTION_REJECTED = "suggestion_rejected", "Suggested edit rejected"
    ACCEPTED = "accepted", "Answer accepted"
    CLOSE_GUIDANCE = "close_guidance", "Close votes on your question"
    CLOSED = "closed", "Question closed"
    REOPEN_REVIEW = "reopen_review", "Question sent to reopen review"
    LEFT_CLOSED = "left_closed", "Reopen review kept it closed"
    REOPENED = "reopened", "Question reopened"
    LOCKED = "locked", "Post locked"
    DELETED = "deleted", "Post deleted"
    UNDELETED = "undeleted", "Post undeleted"
    FLAG_HELPFUL = "flag_helpful", "Flag helpful"
    FLAG_DECLINED = "flag_declined", "Flag declined"
    REVIEW_SUSPENDED = "review_suspended", "Review privileges suspended"
    # Written by the moderator's desk (desk.services), which leads each to its page.
    MODERATOR_MESSAGE = "moderator_message", "Message from the moderators"
    MESSAGE_REPLY = "message_reply", "Reply to a moderator message"


#: Kinds about the post's removal itself: shown to its owner even while it is deleted.
ABOUT_REMOVAL = frozenset({Kind.DELETED})
#: A flag's outcome: about the flag, not the post, which may be gone (no post on the row).
FLAG_OUTCOMES = frozenset({Kind.FLAG_HELPFUL, Kind.FLAG_DECLINED})
#: What the moderation kinds are called as a group (settings page, digest).
MODERATION_KINDS = frozenset(
    {
        Kind.CLOSE_GUIDANCE,
        Kind.CLOSED,
        Kind.REOPEN_REVIEW,
        Kind.LEFT_CLOSED,
        Kind.REOPENED,
        Kind.LOCKED,
        Kind.DELETED,
        Kind.UNDELETED,
        Kind.FLAG_HELPFUL,
        Kind.FLAG_DECLINED,
        Kind.REVIEW_SUSPENDED,
        Kind.MODERATOR_MESSAGE,
        Kind.MESSAGE_REPLY,
    }
)


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately"
    DAILY = "daily", "Daily digest"
    OFF = "off", "Off"


class Notification(models.Model):
    """``source`` names the action (``comment:12``, ``event:40``…): one row per recipient
    and action, however often the action's signal fires (a replayed POST, a retry)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    source = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=60, blank=True)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=250, blank=True)
    text = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Email: the recipient's choice for this kind when it was written, and when it went.
    email_mode = models.CharField(max_length=10, choices=EmailMode.choices, default=EmailMode.OFF)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "source"], name="notification_once_per_action"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["email_mode", "created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_mail_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Follow(models.Model):
    """A person following a question. The asker and answerers follow by default; an
    explicit unfollow is kept (``active=False``) so answering again does not undo it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="follow_once"),
        ]
        indexes = [models.Index(fields=["question", "active"], name="follow_question")]

    def __str__(self) -> str:
        return f"{self.user_id} {'follows' if self.active else 'unfollowed'} {self.question_id}"


class WatchedTag(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tag__name"]
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="watch_tag_once")]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.tag_id}"


class EmailPreference(models.Model):
    """A person's email choice for one kind; without a row, the site's default
    (``settings.QASITE["NOTIFICATIONS"]``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    mode = models.CharField(max_length=10, choices=EmailMode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} by email {self.mode}"
