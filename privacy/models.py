"""A member's data exports and account deletion requests (docs/rules.md, "Your data").
What happened to the account is logged in ``accounts.AccountEvent`` (append-only)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ExportState(models.TextChoices):
    PENDING = "pending", "Being prepared"
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


#: The states of an export still being prepared: one at a time per member.
IN_PROGRESS = (ExportState.PENDING, ExportState.BUILDING)


class DataExport(models.Model):
    """One request for a copy of a member's data: a zip of JSON files in the private
    storage (``STORAGES["private"]``), downloadable by its owner until ``expires_at``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.PENDING
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file = models.CharField(max_length=200, blank=True, help_text="Name in the private storage.")
    size = models.PositiveBigIntegerField(default=0)
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state__in=["pending", "building"]),
                name="one_export_in_progress",
            )
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} of {self.user_id} ({self.state})"

    @property
    def in_progress(self) -> bool:
        return self.state in IN_PROGRESS


class DeletionRequest(models.Model):
    """A member asked for their account to be deleted: it is erased at ``due_at`` unless
    they cancel first. Open while neither ``cancelled_at`` nor ``erased_at`` is set."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(cancelled_at__isnull=True, erased_at__isnull=True),
                name="one_open_deletion_request",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(cancelled_at__isnull=True, erased_at__isnull=True),
                name="deletion_request_due",
            )
        ]

    def __str__(self) -> str:
        return f"Deletion of {self.user_id} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.cancelled_at is None and self.erased_at is None
