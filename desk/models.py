"""The moderator's desk: suspensions and moderator messages (docs/rules.md, "Suspensions
and moderator messages"). A member's suspension is in force while ``User.suspended_until``
is in the future; the ``Suspension`` rows here are its record (who, why, lifted by whom)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.append_only import AppendOnlyModel, AppendOnlyQuerySet


class Suspension(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suspensions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200)
    thread = models.ForeignKey(
        "ModeratorMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["user", "ends_at"], name="suspension_user_end")]

    def __str__(self) -> str:
        return f"{self.user_id} suspended until {self.ends_at:%Y-%m-%d %H:%M}"

    def in_force(self, now=None) -> bool:
        return self.lifted_at is None and self.ends_at > (now or timezone.now())


class ModeratorMessage(models.Model):
    """A conversation between the moderators and one member, opened by a moderator from a
    template (``desk.message_templates``); its ``Message`` rows are append-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderator_messages"
    )
    template = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} (to {self.user_id})"


class AppendOnlyMessages(AppendOnlyQuerySet):
    """Messages are never changed or removed; only their acknowledgement is recorded."""

    updatable = frozenset({"acknowledged_at"})
    redactable = frozenset({"author_name"})  # accounts.redaction, on an erased account


class Message(AppendOnlyModel):
    """One message of a conversation. A moderator's message blocks the member's pages
    until they acknowledge it (``acknowledged_at``); the member's replies are appeals."""

    thread = models.ForeignKey(ModeratorMessage, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=60)
    from_moderator = models.BooleanField()
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = AppendOnlyMessages.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["thread"],
                condition=models.Q(from_moderator=True, acknowledged_at__isnull=True),
                name="message_unacknowledged",
            )
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.thread_id} by {self.author_name}"


class AnnotationQuerySet(AppendOnlyQuerySet):
    redactable = frozenset({"moderator_name"})  # accounts.redaction, on an erased account


class Annotation(AppendOnlyModel):
    """A moderator's private note on a member, for the next moderator: never changed or
    removed, seen by moderators only (the member's moderation record)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderator_name = models.CharField(max_length=60)
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="annotation_member")]

    def __str__(self) -> str:
        return f"Annotation on {self.user_id} by {self.moderator_name}"
