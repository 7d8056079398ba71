"""The bottom floor: the User. It imports neither app."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.names import name_error
from accounts.suspension import is_suspended
from core.append_only import AppendOnlyModel
from core.extensions import user_pages


class User(AbstractUser):
    """A member. ``reputation`` is 1 + ``imported_reputation`` + the sum of the ledger
    (``threads.ReputationChange``); only ``threads.services`` change it, with ``F()``."""

    display_name = models.CharField(max_length=60, blank=True)
    reputation = models.IntegerField(default=1, db_index=True)
    imported_reputation = models.IntegerField(
        default=0, help_text="Reputation carried over from an imported site."
    )
    is_moderator = models.BooleanField(
        default=False, help_text="Moderators have every privilege and cast binding votes."
    )
    is_system = models.BooleanField(
        default=False, help_text="The Community account: owns orphaned and automatic actions."
    )
    about = models.TextField(blank=True, help_text="Markdown, sanitised when shown.")
    location = models.CharField(max_length=100, blank=True)
    website = models.URLField(max_length=200, blank=True)
    avatar = models.ImageField(
        upload_to="avatars/", blank=True, help_text="An uploaded picture; else an identicon."
    )
    last_seen = models.DateTimeField(
        null=True, blank=True, help_text="The last request, recorded at most every few minutes."
    )
    email_verified = models.BooleanField(
        default=True,
        help_text=(
            "Whether the address in email is verified. False from sign-up until the address "
            "is confirmed; users created any other way (admin, import, demo) count as verified."
        ),
    )
    suspended_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Suspended while this is in the future (set by the moderator's desk).",
    )

    class Meta:
        db_table = "qasite_user"
        indexes = [
            # The users list's "New users" (docs/rules.md, "Users list").
            models.Index(fields=["-date_joined"], name="user_joined"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        """Field checks, and the name rule of ``accounts.names`` on ``username`` and
        ``display_name`` (no moderator mark; "moderator"/"mod" only for the accounts the
        site marks as moderators). Here rather than in ``clean()`` so a form that lacks one
        of the fields (Django passes it in ``exclude``) is not told about it."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        marked = self.is_moderator or self.is_superuser
        for field in ("username", "display_name"):
            if field in (exclude or ()) or field in errors:
                continue
            problem = name_error(getattr(self, field) or "", moderator=marked)
            if problem:
                errors[field] = [ValidationError(problem, code="moderator_name")]
        if errors:
            raise ValidationError(errors)

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_suspended(self) -> bool:
        return is_suspended(self)

    @property
    def shown_reputation(self) -> int:
        """What pages show: 1 while suspended, the real reputation again once it ends
        (docs/rules.md, "Suspensions and moderator messages")."""
        return 1 if self.is_suspended else self.reputation

    @property
    def slug(self) -> str:
        slug = slugify(self.name) or "user"
        # The names of the pages under /users/<id>/ (``user_pages``) are never a slug.
        return f"{slug}-user" if slug in user_pages.reserved() else slug

    @property
    def avatar_url(self) -> str:
        """The uploaded picture, else the identicon drawn from the id (no external
        service: docs/rules.md, "Profiles and avatars")."""
        if self.avatar:
            return self.avatar.url
        return reverse("identicon", kwargs={"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("user-detail", kwargs={"pk": self.pk, "slug": self.slug})


class AccountEventKind(models.TextChoices):
    EXPORT_REQUESTED = "export_requested", "Data export requested"
    DELETION_REQUESTED = "deletion_requested", "Account deletion requested"
    DELETION_CANCELLED = "deletion_cancelled", "Account deletion cancelled"
    ERASED = "erased", "Account erased"
    NAMES_REDACTED = "names_redacted", "Names redacted from the records"
    DESTROYED_AS_SPAM = "destroyed_as_spam", "Destroyed as a spam account"


class AccountEvent(AppendOnlyModel):
    """The append-only log of what happened to an account's personal data: exports,
    deletion requests and their cancellation, the erasure and the redaction of the
    member's names from the records (docs/rules.md, "Your data"). It names the account by
    id and keeps no personal data of its own."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=AccountEventKind.choices)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (user {self.user_id})"
