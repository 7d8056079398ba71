"""Close reasons (data the admins edit), close and reopen votes, and the append-only record
of every moderation action. The question's state itself lives on ``threads.Post``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from threads.models import Post


class CloseReasonKind(models.TextChoices):
    DUPLICATE = "duplicate", "Duplicate"
    STANDARD = "standard", "Standard reason"
    OFF_TOPIC = "off_topic", "Off-topic (a group of site-specific reasons)"
    SOMETHING_ELSE = "something_else", "Something else (needs a comment)"


class CloseReason(models.Model):
    """A reason to close, with Stack Exchange's texts. Off-topic is a parent whose children
    are the site's own reasons; votes always name a leaf."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(
        max_length=20, choices=CloseReasonKind.choices, default=CloseReasonKind.STANDARD
    )
    name = models.CharField(max_length=100)
    brief_description = models.CharField(max_length=100, blank=True)
    voter_guidance = models.TextField(
        max_length=500, blank=True, help_text="Shown to voters in the close dialog."
    )
    post_notice = models.TextField(
        max_length=500, blank=True, help_text="Shown on the closed question."
    )
    asker_guidance = models.TextField(
        max_length=500, blank=True, help_text="Shown to the asker of a closed question."
    )
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name

    def clean(self) -> None:
        if self.parent_id and self.parent.parent_id:
            raise ValidationError("Sub-reasons can't have sub-reasons of their own.")
        if self.parent_id and self.parent.kind != CloseReasonKind.OFF_TOPIC:
            raise ValidationError("Only the off-topic reason groups sub-reasons.")

    @property
    def is_duplicate(self) -> bool:
        return self.kind == CloseReasonKind.DUPLICATE

    @property
    def requires_comment(self) -> bool:
        return self.kind == CloseReasonKind.SOMETHING_ELSE

    @property
    def is_group(self) -> bool:
        return self.kind == CloseReasonKind.OFF_TOPIC and self.parent_id is None

    def snapshot(self) -> dict:
        """The texts in force, copied into a closure so later edits don't rewrite history."""
        return {
            "id": self.pk,
            "name": str(self),
            "brief_description": self.brief_description,
            "post_notice": self.post_notice,
            "asker_guidance": self.asker_guidance,
            "kind": self.kind,
        }


class VoteState(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRACTED = "retracted", "Retracted"
    AGED = "aged", "Aged away"
    CLEARED = "cleared", "Cleared by review"
    COMPLETED = "completed", "Counted in the outcome"


class QuestionVoteBase(models.Model):
    question = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=VoteState.choices, default=VoteState.PENDING)
    binding = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class CloseVote(QuestionVoteBase):
    reason = models.ForeignKey(CloseReason, on_delete=models.PROTECT, related_name="votes")
    duplicate_of = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.CharField(max_length=500, blank=True)

    class Meta(QuestionVoteBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["question", "voter"],
                condition=Q(state="pending"),
                name="one_pending_close_vote_per_voter",
            )
        ]

    def __str__(self) -> str:
        return f"Close vote by {self.voter_id} on {self.question_id} ({self.reason})"


class ReopenVote(QuestionVoteBase):
    class Meta(QuestionVoteBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["question", "voter"],
                condition=Q(state="pending"),
                name="one_pending_reopen_vote_per_voter",
            )
        ]

    def __str__(self) -> str:
        return f"Reopen vote by {self.voter_id} on {self.question_id}"


class EventKind(models.TextChoices):
    CLOSE_VOTE = "close_vote", "Close vote"
    CLOSE_VOTE_RETRACTED = "close_vote_retracted", "Close vote retracted"
    CLOSED = "closed", "Closed"
    REOPEN_VOTE = "reopen_vote", "Reopen vote"
    REOPEN_VOTE_RETRACTED = "reopen_vote_retracted", "Reopen vote retracted"
    REOPENED = "reopened", "Reopened"
    EDITED_WHILE_CLOSED = "edited_while_closed", "Edited by the asker while closed"
    LOCKED = "locked", "Locked"
    UNLOCKED = "unlocked", "Unlocked"
    DELETED = "deleted", "Deleted"
    UNDELETED = "undeleted", "Undeleted"
    PROTECTED = "protected", "Protected"
    UNPROTECTED = "unprotected", "Unprotected"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Moderation events are append-only.")

    def delete(self):
        raise PermissionError("Moderation events are append-only.")


class ModerationEvent(models.Model):
    """One row per moderation action, never changed or removed: the public record."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    policy = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["question", "created_at"], name="event_question_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.post_id} by {self.actor_name or 'Community'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Moderation events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Moderation events are append-only.")
