"""Close reasons (data the admins edit), close and reopen votes, and the append-only record
of every moderation action. The question's state itself lives on ``threads.Post``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.append_only import AppendOnlyModel, AppendOnlyQuerySet
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
    CLOSE_VOTES_CLEARED = "close_votes_cleared", "Close votes cleared by review"
    REOPEN_VOTES_CLEARED = "reopen_votes_cleared", "Reopen votes cleared by review"
    LOCKED = "locked", "Locked"
    UNLOCKED = "unlocked", "Unlocked"
    DELETED = "deleted", "Deleted"
    UNDELETED = "undeleted", "Undeleted"
    PROTECTED = "protected", "Protected"
    UNPROTECTED = "unprotected", "Unprotected"
    # About a member rather than a post (``ModerationEvent.user``): the moderator's desk.
    SUSPENDED = "suspended", "Member suspended"
    SUSPENSION_LIFTED = "suspension_lifted", "Suspension lifted"
    # About the voter whose votes were reversed (docs/rules.md, "Serial voting").
    SERIAL_VOTING_REVERSED = "serial_voting_reversed", "Serial voting reversed"
    # About a spam account a moderator destroyed (the desk; its posts in ``details``).
    ACCOUNT_DESTROYED = "account_destroyed", "Spam account destroyed"


class EventQuerySet(AppendOnlyQuerySet):
    #: What ``accounts.redaction`` rewrites when an account is erased; nothing else changes.
    redactable = frozenset({"actor_name", "reason", "details"})


class ModerationEvent(AppendOnlyModel):
    """One row per moderation action, never changed or removed: the public record. An
    action on a post names the post and its question; one on a member (a suspension)
    names the ``user`` instead."""

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member an action on a member (a suspension) is about.",
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    policy = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["question", "created_at"], name="event_question_time")]

    def __str__(self) -> str:
        target = f"post {self.post_id}" if self.post_id else f"user {self.user_id}"
        return f"{self.get_kind_display()} on {target} by {self.actor_name or 'Community'}"


# Review queues -----------------------------------------------------------------------------


class ReviewQueue(models.TextChoices):
    CLOSE = "close", "Close votes"
    REOPEN = "reopen", "Reopen votes"
    FIRST_QUESTIONS = "first-questions", "First questions"
    FIRST_ANSWERS = "first-answers", "First answers"
    LATE_ANSWERS = "late-answers", "Late answers"
    LOW_QUALITY = "low-quality", "Low quality posts"
    SUGGESTED_EDITS = "suggested-edits", "Suggested edits"


class TaskState(models.TextChoices):
    PENDING = "pending", "Pending"
    COMPLETED = "completed", "Completed"
    INVALIDATED = "invalidated", "Invalidated"


class Decision(models.TextChoices):
    CLOSE = "close", "Close"
    LEAVE_OPEN = "leave_open", "Leave open"
    REOPEN = "reopen", "Reopen"
    LEAVE_CLOSED = "leave_closed", "Leave closed"
    LOOKS_OK = "looks_ok", "Looks OK"
    EDIT = "edit", "Edit"
    FLAG = "flag", "Flag"
    RECOMMEND_DELETION = "recommend_deletion", "Recommend deletion"
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    IMPROVE = "improve", "Improve edit"
    SKIP = "skip", "Skip"


class ReviewTask(models.Model):
    """One post waiting in one queue. Audits are tasks with a known right answer, shown
    like any other; they never change the post."""

    queue = models.CharField(max_length=20, choices=ReviewQueue.choices, db_index=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    suggested_edit = models.ForeignKey(
        "threads.SuggestedEdit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=12, choices=TaskState.choices, default=TaskState.PENDING)
    outcome = models.CharField(max_length=30, blank=True)
    is_audit = models.BooleanField(default=False)
    audit_expected = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    audit_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["queue", "state", "created_at"], name="task_queue_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "post"],
                condition=Q(state="pending", is_audit=False),
                name="one_pending_task_per_queue_and_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_queue_display()} task for post {self.post_id} ({self.state})"


class Review(models.Model):
    task = models.ForeignKey(ReviewTask, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.CharField(max_length=500, blank=True)
    audit_passed = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "reviewer"], name="one_review_per_task")
        ]
        indexes = [models.Index(fields=["reviewer", "created_at"], name="review_reviewer_time")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer_id} on task {self.task_id}"


class ReviewSuspensionQuerySet(models.QuerySet):
    def in_force(self, now=None):
        """Bans not yet over and not lifted."""
        return self.filter(ends_at__gt=now or timezone.now(), lifted_at__isnull=True)


class ReviewSuspension(models.Model):
    """A review ban: no review queue access until ``ends_at`` (failed audits), unless a
    moderator lifts it earlier (docs/rules.md, "Review bans")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_suspensions"
    )
    reason = models.CharField(max_length=200)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReviewSuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_at"]
        indexes = [models.Index(fields=["user", "starts_at"], name="review_ban_user_start")]
        verbose_name = "review ban"

    def __str__(self) -> str:
        return f"Review ban of {self.user_id} until {self.ends_at:%Y-%m-%d %H:%M}"

    def in_force(self, now) -> bool:
        return self.ends_at > now and self.lifted_at is None

    @property
    def ended_at(self):
        """When the ban stopped (or will stop) counting: its lift, else its end."""
        return self.lifted_at or self.ends_at


# Flags -------------------------------------------------------------------------------------


class FlagKind(models.TextChoices):
    SPAM = "spam", "Spam"
    RUDE = "rude", "Rude or abusive"
    NEEDS_IMPROVEMENT = "needs_improvement", "Needs improvement"
    NOT_AN_ANSWER = "not_an_answer", "Not an answer"
    VERY_LOW_QUALITY = "very_low_quality", "Very low quality"
    MODERATOR_ATTENTION = "moderator_attention", "Needs moderator attention"
    HARASSMENT = "harassment", "Harassment, bigotry or abuse"
    UNFRIENDLY = "unfriendly", "Unfriendly or unkind"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"
    SOMETHING_ELSE = "something_else", "Something else"


POST_FLAG_KINDS = (
    FlagKind.SPAM,
    FlagKind.RUDE,
    FlagKind.NEEDS_IMPROVEMENT,
    FlagKind.NOT_AN_ANSWER,
    FlagKind.VERY_LOW_QUALITY,
    FlagKind.MODERATOR_ATTENTION,
)
COMMENT_FLAG_KINDS = (
    FlagKind.HARASSMENT,
    FlagKind.UNFRIENDLY,
    FlagKind.NO_LONGER_NEEDED,
    FlagKind.SOMETHING_ELSE,
)
FLAG_KINDS_NEEDING_TEXT = (FlagKind.MODERATOR_ATTENTION, FlagKind.SOMETHING_ELSE)


class FlagState(models.TextChoices):
    PENDING = "pending", "Pending"
    HELPFUL = "helpful", "Helpful"
    DECLINED = "declined", "Declined"


class Flag(models.Model):
    """A flag on a post or a comment; moderators mark it helpful or declined (with a reason
    the flagger sees)."""

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "threads.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    text = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=FlagState.choices, default=FlagState.PENDING)
    decline_reason = models.CharField(max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["flagger", "created_at"], name="flag_flagger_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="flag_targets_post_or_comment",
            ),
            models.UniqueConstraint(
                fields=["flagger", "post"],
                condition=Q(state="pending", post__isnull=False),
                name="one_pending_flag_per_post",
            ),
            models.UniqueConstraint(
                fields=["flagger", "comment"],
                condition=Q(state="pending", comment__isnull=False),
                name="one_pending_flag_per_comment",
            ),
        ]

    def __str__(self) -> str:
        target = f"post {self.post_id}" if self.post_id else f"comment {self.comment_id}"
        return f"{self.get_kind_display()} flag on {target} by {self.flagger_id}"
