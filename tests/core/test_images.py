"""core.images: what an uploaded picture must be, and the clean square it becomes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import check_image, clean_image, square_thumbnail

LIMITS = {"max_bytes": 2 * 1024 * 1024, "max_side": 4096}


def image_bytes(fmt: str, size=(300, 200), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, format=fmt, **save)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [
        ("PNG", "a.png", "image/png"),
        ("JPEG", "a.jpg", "image/jpeg"),
        ("GIF", "a.gif", "image/gif"),
        ("WEBP", "a.webp", "image/webp"),
        ("PNG", "no-extension", "application/octet-stream"),
    ],
)
def test_it_turns_each_accepted_format_into_a_square_png(fmt, name, content_type):
    result = square_thumbnail(upload(name, image_bytes(fmt), content_type), size=64, **LIMITS)
    stored = Image.open(io.BytesIO(result.read()))
    assert (stored.format, stored.size) == ("PNG", (64, 64))


def test_it_drops_the_metadata():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = 6  # orientation: rotated, applied then dropped
    data = image_bytes("JPEG", exif=exif.tobytes())
    assert b"SpyCam" in data
    result = square_thumbnail(upload("me.jpg", data, "image/jpeg"), size=32, **LIMITS).read()
    assert b"SpyCam" not in result
    assert not Image.open(io.BytesIO(result)).getexif()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("file", "code"),
    [
        (upload("empty.png", b"", "image/png"), "empty"),
        (upload("me.svg", SVG, "image/svg+xml"), "not_image"),
        (upload("me.png", SVG, "image/png"), "not_image"),
        (upload("me.png", image_bytes("JPEG"), "image/png"), "lying"),
        (upload("me.jpg", image_bytes("PNG"), "image/jpeg"), "lying"),
        (upload("me.gif", image_bytes("PNG"), ""), "lying"),
        (upload("me.bmp", image_bytes("BMP"), "image/bmp"), "format"),
        (upload("me.tiff", image_bytes("TIFF"), "image/tiff"), "format"),
        (upload("me.png", image_bytes("PNG")[:60], "image/png"), "damaged"),
        (
            upload("wide.png", image_bytes("PNG", size=(5000, 10), mode="1"), "image/png"),
            "dimensions",
        ),
        (upload("big.png", b"\x89PNG" + b"\0" * (2 * 1024 * 1024), "image/png"), "too_large"),
    ],
    ids=[
        "zero-bytes",
        "svg",
        "svg-named-png",
        "jpeg-named-png",
        "png-named-jpeg",
        "png-named-gif",
        "bmp",
        "tiff",
        "truncated",
        "huge-dimensions",
        "over-2-MiB",
    ],
)
def test_it_refuses_with_a_message(file, code):
    with pytest.raises(ValidationError) as refused:
        check_image(file, **LIMITS)
    assert refused.value.code == code
    assert refused.value.messages[0]


def test_it_refuses_a_decompression_bomb(monkeypatch):
    """A small file that decodes to too many pixels is refused from its header."""
    data = image_bytes("PNG", size=(3000, 3000), mode="1")
    assert len(data) < 100_000
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    with pytest.raises(ValidationError) as refused:
        check_image(upload("bomb.png", data, "image/png"), max_bytes=10**6, max_side=10**5)
    assert refused.value.code == "bomb"


def _animated_gif(frames: int) -> bytes:
    images = [Image.new("RGB", (16, 16), (i * 20 % 256, 0, 0)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=80)
    return out.getvalue()


def test_clean_image_keeps_the_format_and_a_short_animation():
    result = clean_image(upload("a.gif", _animated_gif(3), "image/gif"), max_frames=5, **LIMITS)
    stored = Image.open(io.BytesIO(result.read()))
    assert (result.extension, stored.format, stored.n_frames) == ("gif", "GIF", 3)
    assert stored.info.get("duration") == 80


def test_clean_image_keeps_only_the_first_frame_of_a_long_animation():
    result = clean_image(upload("a.gif", _animated_gif(6), "image/gif"), max_frames=5, **LIMITS)
    stored = Image.open(io.BytesIO(result.read()))
    assert (stored.format, getattr(stored, "n_frames", 1)) == ("GIF", 1)
    assert (result.width, result.height) == (16, 16)
