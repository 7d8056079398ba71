"""Checking and re-encoding uploaded images (avatars, and images in posts).

An upload is read with Pillow, never trusted by its name or declared type
(docs/rules.md, "Profiles and avatars"):

* its real format must be one of ``ALLOWED_FORMATS`` (no SVG: it is a document that can
  carry scripts), and a file whose name or declared type says another format is refused as
  lying about its type;
* it must be at most ``max_bytes`` long and not empty, at most ``max_side`` pixels on
  each side, and under Pillow's decompression-bomb limit (its pixel count is read from the
  header before anything is decoded);
* it is decoded in full (a truncated or corrupt file is refused), then re-encoded: the
  first frame, cropped to a centred square, scaled to ``size`` pixels and written as a new
  PNG, so no metadata (EXIF, GPS, comments) and no trailing payload survive.

``square_thumbnail`` raises ``ValidationError`` with a message for the person uploading and
writes nothing; the caller stores the bytes it returns (``default_storage``).
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

#: Pillow's format name → the file name extensions and declared types that go with it.
ALLOWED_FORMATS = {
    "PNG": ({"png"}, {"image/png"}),
    "JPEG": ({"jpg", "jpeg", "jfif"}, {"image/jpeg", "image/pjpeg"}),
    "GIF": ({"gif"}, {"image/gif"}),
    "WEBP": ({"webp"}, {"image/webp"}),
}
ALLOWED_MESSAGE = "Upload a PNG, JPEG, GIF or WebP image."
#: A declared type browsers send when they do not know: not a lie.
UNKNOWN_TYPES = {"", "application/octet-stream"}

#: The content types the media view serves, by extension: only what this module writes and
#: the formats it accepts.
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


def _declared(upload) -> tuple[str, str]:
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    return extension, content_type


def _size_mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"


def check_image(upload, *, max_bytes: int, max_side: int) -> Image.Image:
    """The decoded image of ``upload``, or ``ValidationError`` saying what is wrong."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if not size:
        raise ValidationError("The file is empty.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"The image is too large: at most {_size_mib(max_bytes)}.", code="too_large"
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            f"The image is too large: at most {_size_mib(max_bytes)}.", code="too_large"
        )
    try:
        with warnings.catch_warnings():
            # Over the limit Pillow only warns; here a warning is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            real = probe.format
            width, height = probe.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError("The image has too many pixels.", code="bomb") from None
    except UnidentifiedImageError:
        raise ValidationError(
            f"This file is not an image we can read. {ALLOWED_MESSAGE}", code="not_image"
        ) from None
    except (OSError, ValueError, SyntaxError):
        raise ValidationError("The image is damaged.", code="damaged") from None
    if real not in ALLOWED_FORMATS:
        raise ValidationError(ALLOWED_MESSAGE, code="format")
    extensions, types = ALLOWED_FORMATS[real]
    extension, content_type = _declared(upload)
    if (extension and extension not in extensions) or (
        content_type not in UNKNOWN_TYPES and content_type not in types
    ):
        raise ValidationError(
            f"The file says it is {content_type or extension.upper()} but it is {real}: "
            "upload the image as it is.",
            code="lying",
        )
    if width > max_side or height > max_side:
        raise ValidationError(
            f"The image is {width}×{height} pixels: at most {max_side} on each side.",
            code="dimensions",
        )
    if width * height > (Image.MAX_IMAGE_PIXELS or width * height):
        raise ValidationError("The image has too many pixels.", code="bomb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.open(io.BytesIO(data)).verify()  # structure and checksums
            image = Image.open(io.BytesIO(data))
            image.seek(0)
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError("The image has too many pixels.", code="bomb") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ValidationError("The image is damaged.", code="damaged") from None
    return image


def square_thumbnail(
    upload, *, max_bytes: int, max_side: int, size: int, name: str = "image.png"
) -> ContentFile:
    """``upload`` checked (``check_image``), cropped to a centred square, scaled to
    ``size``×``size`` and re-encoded as PNG without metadata."""
    image = check_image(upload, max_bytes=max_bytes, max_side=max_side)
    image = ImageOps.exif_transpose(image)  # the orientation a camera recorded, then dropped
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)  # a fresh image: no info, no metadata
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=name)


#: Pillow's format name → the format an accepted image is re-encoded to, and its extension.
REENCODE = {
    "PNG": ("PNG", "png"),
    "JPEG": ("JPEG", "jpg"),
    "GIF": ("GIF", "gif"),
    "WEBP": ("WEBP", "webp"),
}


class CleanImage(ContentFile):
    """Re-encoded image bytes, with the ``extension`` and size they were written with."""

    extension: str
    width: int
    height: int


def _fresh(frame: Image.Image) -> Image.Image:
    """A copy of ``frame``'s pixels in a new image: no info, no metadata."""
    has_alpha = frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info
    frame = frame.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(frame.mode, frame.size)
    clean.paste(frame)
    return clean


def clean_image(upload, *, max_bytes: int, max_side: int, max_frames: int = 1) -> CleanImage:
    """``upload`` checked (``check_image``) and re-encoded in its own format without
    metadata (post images: docs/rules.md, "Images in posts"). A JPEG keeps the orientation
    its camera recorded, turned into pixels. A GIF keeps its animation when it has at most
    ``max_frames`` frames (each one re-drawn, with its duration and the loop count);
    otherwise only its first frame is kept."""
    image = check_image(upload, max_bytes=max_bytes, max_side=max_side)
    real = image.format
    save_format, extension = REENCODE[real]
    out = io.BytesIO()
    frames = getattr(image, "n_frames", 1)
    if real == "GIF" and 1 < frames <= max_frames:
        drawn, durations = [], []
        for frame in ImageSequence.Iterator(image):
            durations.append(int(frame.info.get("duration", 100) or 100))
            drawn.append(_fresh(frame))
        drawn[0].save(
            out,
            format="GIF",
            save_all=True,
            append_images=drawn[1:],
            duration=durations,
            loop=int(image.info.get("loop", 0) or 0),
            disposal=2,
        )
        width, height = drawn[0].size
    else:
        image.seek(0)
        clean = _fresh(ImageOps.exif_transpose(image) if real == "JPEG" else image)
        if save_format == "JPEG":
            clean = clean.convert("RGB")
            clean.save(out, format="JPEG", quality=90, optimize=True)
        elif save_format == "WEBP":
            clean.save(out, format="WEBP", quality=90)
        else:
            clean.save(out, format=save_format, optimize=True)
        width, height = clean.size
    result = CleanImage(out.getvalue(), name=f"image.{extension}")
    result.extension, result.width, result.height = extension, width, height
    return result
