"""The editor's actions (docs/rules.md, "The editor and images in posts"): the preview, an
upload, the posts that claim their uploads, and removing orphaned uploads."""

import logging
import re
import secrets
import time
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core.conf import qasite_setting
from core.exceptions import RateLimited
from core.images import clean_image
from core.markdown import render_post
from editor import rules
from editor.models import Upload
from threads import signals
from threads.limits import check_daily, utc_midnight
from threads.models import Post, SuggestedEdit

log = logging.getLogger(__name__)

#: What the Markdown of a post names an upload by: ``<folder>/<name>`` in its URL.
NAME_PATTERN = r"[0-9a-f]{32}\.(?:png|jpg|gif|webp)"


def preview(*, user, text: str) -> str:
    """``text`` rendered exactly as a stored post is (``core.markdown.render_post``). At most
    ``RATE_LIMITS.PREVIEWS_PER_MINUTE`` a minute for each member (counted in the cache: a
    preview writes no row), and no longer than a post may be."""
    rules.check_preview_permission(user)
    longest = qasite_setting("POST_BODY_MAX")
    if len(text) > longest:
        raise ValidationError(f"The text is too long to preview: at most {longest} characters.")
    allowed = qasite_setting("RATE_LIMITS.PREVIEWS_PER_MINUTE")
    key = f"editor:previews:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > allowed:
        raise RateLimited(
            f"At most {allowed} previews a minute; the next one in a moment.",
            retry_after=60 - int(time.time() % 60),
        )
    return render_post(text)


def upload_create(*, user, file) -> Upload:
    """Check ``file`` (``core.images.clean_image``: type, size, dimensions, no SVG), write
    the re-encoded image through the default storage and record it. A refused file raises
    ``ValidationError`` (``PermissionDenied``, ``RateLimited``) and nothing is written."""
    settings = qasite_setting("UPLOADS")
    with transaction.atomic():
        rules.check_upload_permission(user)
        check_daily(
            user=user,
            rows=Upload.objects.filter(user=user, created_at__gte=utc_midnight()),
            name="UPLOADS_PER_DAY",
            what="image uploads",
        )
        image = clean_image(
            file,
            max_bytes=settings["MAX_BYTES"],
            max_side=settings["MAX_SIDE"],
            max_frames=settings["MAX_GIF_FRAMES"],
        )
        name = f"{settings['FOLDER']}/{secrets.token_hex(16)}.{image.extension}"
        stored = default_storage.save(name, image)
        try:
            return Upload.objects.create(
                user=user,
                path=stored,
                size=image.size,
                width=image.width,
                height=image.height,
            )
        except Exception:
            default_storage.delete(stored)  # no row, no file
            raise


def upload_url(upload: Upload) -> str:
    return default_storage.url(upload.path)


def referenced_paths(text: str) -> set[str]:
    """The upload paths (``uploads/<name>``) that Markdown ``text`` shows."""
    folder = re.escape(qasite_setting("UPLOADS.FOLDER"))
    return {match.group(0) for match in re.finditer(rf"{folder}/{NAME_PATTERN}", text or "")}


def claim_uploads(post: Post) -> int:
    """The uploads ``post``'s Markdown shows, not yet claimed by a post, now belong to it."""
    paths = referenced_paths(post.body)
    if not paths:
        return 0
    return Upload.objects.filter(path__in=paths, post__isnull=True).update(post=post)


def _on_post_saved(sender, post, **kwargs) -> None:
    claim_uploads(post)


def connect() -> None:
    signals.post_created.connect(_on_post_saved, dispatch_uid="editor-claim-created")
    signals.post_edited.connect(_on_post_saved, dispatch_uid="editor-claim-edited")


def _still_shown(path: str) -> bool:
    """Whether a post's text or a pending suggested edit still shows ``path`` (a post saved
    before the signals above ran, an edit waiting for review)."""
    return (
        Post.objects.filter(body__contains=path).exists()
        or SuggestedEdit.objects.filter(body__contains=path).exists()
    )


def remove_orphan_uploads(*, now=None) -> int:
    """Remove the uploads no post shows, older than ``UPLOADS.ORPHAN_HOURS``: the file, then
    the row. Returns how many were removed."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=qasite_setting("UPLOADS.ORPHAN_HOURS"))
    removed = 0
    for upload in Upload.objects.filter(post__isnull=True, created_at__lt=cutoff).iterator():
        if _still_shown(upload.path):
            post = Post.objects.filter(body__contains=upload.path).order_by("pk").first()
            if post is not None:
                Upload.objects.filter(pk=upload.pk).update(post=post)
            continue
        try:
            default_storage.delete(upload.path)
        except OSError:
            log.warning("Could not delete the orphaned upload %s", upload.path, exc_info=True)
            continue
        upload.delete()
        removed += 1
    return removed
