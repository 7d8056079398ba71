"""Webhook endpoints staff register, and the outbox of deliveries with their log
(docs/architecture.md, "webhooks")."""

import secrets
import uuid

from django.db import models


class Event(models.TextChoices):
    QUESTION_ASKED = "question.asked", "Question asked"
    QUESTION_CLOSED = "question.closed", "Question closed"
    QUESTION_REOPENED = "question.reopened", "Question reopened"
    QUESTION_DELETED = "question.deleted", "Question deleted"
    FLAG_RAISED = "flag.raised", "Flag raised"
    REVIEW_COMPLETED = "review.completed", "Review completed"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Endpoint(models.Model):
    """A URL told of the chosen events. Its secret signs every delivery; staff read it in the
    admin to give it to the receiver."""

    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=new_secret)
    events = models.JSONField(default=list, help_text="The events this endpoint is told of.")
    active = models.BooleanField(default=True)
    #: Failed attempts since the last success; reaching ``DISABLE_AFTER_FAILURES`` disables it.
    failures_in_row = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (retries used up)"
    CANCELLED = "cancelled", "Cancelled (endpoint disabled)"


class Delivery(models.Model):
    """One event for one endpoint: written in the action's transaction (the outbox), sent
    after the commit by the background queue, retried with backoff."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=Event.choices)
    body = models.TextField(help_text="The JSON sent, exactly as signed.")
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhooks_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.uuid})"


class Attempt(models.Model):
    """The delivery log: one row per try, its response code, time taken or error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    ok = models.BooleanField(default=False)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"
