"""Personal access tokens (docs/architecture.md, "The API"). Only a hash of each token is
stored; its owner sees the plain text once, when it is made."""

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Write: ask, answer, comment, edit, vote, accept"
    MODERATE = "moderate", "Moderate: flag, vote to close or reopen, review"


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, to its owner.")
    #: The first characters of the token, shown to its owner to tell tokens apart.
    prefix = models.CharField(max_length=16)
    #: SHA-256 of the whole token, hex.
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list, help_text="A list of Scope values.")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="token_user_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
