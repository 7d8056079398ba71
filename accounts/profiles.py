"""Editing a member's profile: who may (the rule) and the change (the service), in one
place for every entry point (docs/rules.md, "Profiles and avatars").

The name rule is ``User.clean_fields`` (``accounts.names``); the picture is checked and
re-encoded by ``core.images`` and stored through ``default_storage`` under ``avatars/``
with a name made of the member's id and a hash of the stored bytes, so a new picture gets
a new URL (the media view caches them for good) and a refused upload writes nothing.
"""

import contextlib
import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.privileges import is_moderator
from core.conf import qasite_setting
from core.images import square_thumbnail

#: The profile fields a member edits (the picture is handled apart).
PROFILE_FIELDS = ("display_name", "about", "location", "website")
AVATAR_FOLDER = "avatars"


def check_edit_profile_permission(actor, member: User) -> None:
    """The member themselves or a moderator."""
    if not actor.is_authenticated:
        raise PermissionDenied("Log in to edit a profile.")
    if is_moderator(actor):
        return
    if actor.pk != member.pk:
        raise PermissionDenied("Only the member and the moderators can edit this profile.")


def avatar_thumbnail(upload):
    """The checked, re-encoded picture of ``upload`` (``core.images``), not yet stored."""
    return square_thumbnail(
        upload,
        max_bytes=qasite_setting("PROFILES.AVATAR_MAX_BYTES"),
        max_side=qasite_setting("PROFILES.AVATAR_MAX_SIDE"),
        size=qasite_setting("PROFILES.AVATAR_SIZE"),
    )


def profile_update(
    *, actor, member: User, values: dict, avatar=None, remove_avatar: bool = False
) -> User:
    """Write ``values`` (``PROFILE_FIELDS``) and the picture change on ``member``'s row,
    under its lock, after checking the rule and every field. Raises ``PermissionDenied`` or
    ``ValidationError`` (by field) and then changes nothing."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    thumbnail = avatar_thumbnail(avatar) if avatar is not None else None
    stored = None
    try:
        with transaction.atomic():
            row = User.objects.select_for_update().get(pk=member.pk)
            check_edit_profile_permission(actor, row)
            for name, value in values.items():
                setattr(row, name, value.strip() if isinstance(value, str) else value)
            row.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in values])
            _check_profile_text(row)
            old_avatar = row.avatar.name or ""
            if thumbnail is not None:
                digest = hashlib.sha256(thumbnail.read()).hexdigest()[:16]
                thumbnail.seek(0)
                name = f"{AVATAR_FOLDER}/{row.pk}-{digest}.png"
                if not default_storage.exists(name):
                    stored = default_storage.save(name, thumbnail)
                row.avatar.name = stored or name
            elif remove_avatar:
                row.avatar.name = ""
            row.save(update_fields=[*values, "avatar"])
            if old_avatar and old_avatar != (row.avatar.name or ""):
                transaction.on_commit(lambda: _delete_quietly(old_avatar))
    except BaseException:
        if stored:
            _delete_quietly(stored)  # a refused or rolled-back change leaves no file behind
        raise
    member.refresh_from_db()
    return member


def _check_profile_text(row: User) -> None:
    """What ``clean_fields`` leaves: the length of "about", a web address only."""
    errors = {}
    most = qasite_setting("PROFILES.ABOUT_MAX")
    if len(row.about) > most:
        errors["about"] = f"At most {most} characters (it has {len(row.about)})."
    if row.website and urlsplit(row.website).scheme not in ("http", "https"):
        errors["website"] = "A web address starting with http:// or https://."
    if errors:
        raise ValidationError(errors)


def _delete_quietly(name: str) -> None:
    with contextlib.suppress(OSError):  # a file already gone is what we wanted
        default_storage.delete(name)


def record_last_seen(user, *, now=None) -> bool:
    """Set ``user.last_seen`` when it is older than ``LAST_SEEN_EVERY_MINUTES`` (compared
    with the row the request already loaded): one UPDATE when stale, no query otherwise."""
    now = now or timezone.now()
    every = timedelta(minutes=qasite_setting("PROFILES.LAST_SEEN_EVERY_MINUTES"))
    if user.last_seen is not None and now - user.last_seen < every:
        return False
    User.objects.filter(pk=user.pk).update(last_seen=now)
    user.last_seen = now
    return True
