"""The bottom floor: the User. It imports neither app."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

#: Words used by other pages under /users/<id>/, never a user's slug.
RESERVED_SLUGS = frozenset({"flags"})


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
    about = models.TextField(blank=True)

    class Meta:
        db_table = "qasite_user"

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def slug(self) -> str:
        slug = slugify(self.name) or "user"
        return f"{slug}-user" if slug in RESERVED_SLUGS else slug

    def get_absolute_url(self) -> str:
        return reverse("user-detail", kwargs={"pk": self.pk, "slug": self.slug})
