"""Image uploads (docs/rules.md, "The editor and images in posts"): every bad file is refused
with its reason and nothing is written; the privilege; the daily limit; what is stored."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from accounts.privileges import Privilege
from editor.models import Upload
from tests.editor.conftest import image_bytes, image_file, stored_files
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/editor/uploads/"


def post(client, file, **extra):
    return client.post(URL, {"image": file, **extra})


@pytest.mark.parametrize(
    ("fmt", "name", "content_type", "extension"),
    [
        ("PNG", "a.png", "image/png", "png"),
        ("JPEG", "a.jpg", "image/jpeg", "jpg"),
        ("GIF", "a.gif", "image/gif", "gif"),
        ("WEBP", "a.webp", "image/webp", "webp"),
        ("PNG", "image.png", "", "png"),
    ],
)
def test_it_stores_each_accepted_format(client, uploader, fmt, name, content_type, extension):
    response = post(client, image_file(name, image_bytes(fmt), content_type))
    assert response.status_code == 201, response.content
    body = response.json()
    upload = Upload.objects.get()
    assert (upload.user, upload.post, upload.width, upload.height) == (uploader, None, 120, 80)
    assert upload.path.startswith("uploads/") and upload.path.endswith("." + extension)
    assert body["url"] == f"/media/{upload.path}"
    with default_storage.open(upload.path) as stored:
        data = stored.read()
    assert upload.size == len(data)
    assert Image.open(io.BytesIO(data)).format == fmt
    # The media view serves it, with its image type.
    served = client.get(body["url"])
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"


def test_it_inserts_markdown_with_the_description(client, uploader):
    response = post(client, image_file(), description="A [chart] of sales")
    url = response.json()["url"]
    assert response.json()["markdown"] == f"![A  chart  of sales]({url})"
    response = post(client, image_file())
    assert response.json()["markdown"].startswith("![image](")


def test_it_strips_the_metadata(client, uploader):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    data = image_bytes("JPEG", exif=exif.tobytes())
    assert b"SpyCam" in data
    post(client, image_file("me.jpg", data, "image/jpeg"))
    with default_storage.open(Upload.objects.get().path) as stored:
        clean = stored.read()
    assert b"SpyCam" not in clean
    assert not Image.open(io.BytesIO(clean)).getexif()


def test_it_keeps_a_gif_animation_without_its_comment(client, uploader):
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(
        out, format="GIF", save_all=True, append_images=frames[1:], duration=120, loop=0,
        comment=b"secret comment",
    )  # fmt: skip
    assert b"secret comment" in out.getvalue()
    post(client, image_file("a.gif", out.getvalue(), "image/gif"))
    with default_storage.open(Upload.objects.get().path) as stored:
        data = stored.read()
    assert b"secret comment" not in data
    assert Image.open(io.BytesIO(data)).n_frames == 3


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width``×``height`` pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )  # fmt: skip

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        ("empty.png", b"", "image/png", "The file is empty."),
        ("me.svg", SVG, "image/svg+xml", "not an image we can read"),
        ("me.png", SVG, "image/png", "not an image we can read"),
        ("page.png", b"<html><script>alert(1)</script></html>", "image/png", "not an image"),
        ("lie.png", image_bytes("JPEG"), "image/png", "but it is JPEG"),
        ("lie.gif", image_bytes("PNG"), "", "but it is PNG"),
        ("huge.png", image_bytes("PNG", size=(5000, 10)), "image/png", "at most 4096 on each side"),
        ("bomb.png", _png_header_only(40000, 40000), "image/png", "too many pixels"),
        ("wide.png", _png_header_only(5000, 5000), "image/png", "5000×5000 pixels"),
        ("cut.png", image_bytes("PNG")[:60], "image/png", "damaged"),
        ("a.bmp", image_bytes("BMP"), "image/bmp", "Upload a PNG, JPEG, GIF or WebP image."),
    ],
)
def test_it_refuses_bad_files_and_writes_nothing(
    client, uploader, media_root, name, data, content_type, message
):
    response = post(client, image_file(name, data, content_type))
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Upload.objects.exists()
    assert stored_files(media_root) == []


def test_it_refuses_a_bomb_even_without_a_side_limit(client, uploader, settings, media_root):
    settings.QASITE = {
        **settings.QASITE,
        "UPLOADS": {**settings.QASITE["UPLOADS"], "MAX_SIDE": 50000},
    }
    response = post(client, image_file("bomb.png", _png_header_only(40000, 40000)))
    assert response.status_code == 400
    assert "too many pixels" in response.json()["error"]
    assert stored_files(media_root) == []


def test_it_refuses_a_file_over_the_size_limit(client, uploader, settings, media_root):
    settings.QASITE = {
        **settings.QASITE,
        "UPLOADS": {**settings.QASITE["UPLOADS"], "MAX_BYTES": 100},
    }
    response = post(client, image_file())
    assert response.status_code == 400
    assert "too large" in response.json()["error"]
    assert stored_files(media_root) == []


def test_it_asks_for_a_file(client, uploader):
    response = client.post(URL, {})
    assert response.status_code == 400
    assert response.json()["error"] == "Choose an image to upload."


def test_it_needs_the_privilege(client, media_root):
    client.force_login(UserFactory(reputation=Privilege.UPLOAD_IMAGES.reputation - 1))
    response = post(client, image_file())
    assert response.status_code == 403
    assert response.json()["error"] == "You need 10 reputation to upload images."
    assert stored_files(media_root) == [] and not Upload.objects.exists()


def test_visitors_and_unverified_members_cannot_upload(client, media_root):
    assert post(client, image_file()).status_code == 403
    client.force_login(UserFactory(reputation=100, email_verified=False))
    assert post(client, image_file()).status_code == 403
    assert stored_files(media_root) == []


def test_it_needs_the_csrf_token(uploader, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(uploader)
    assert post(client, image_file()).status_code == 403
    assert stored_files(media_root) == []


def test_it_counts_against_the_daily_limit(client, uploader, settings, media_root):
    limits = {**settings.QASITE["RATE_LIMITS"], "UPLOADS_PER_DAY": 2}
    settings.QASITE = {**settings.QASITE, "RATE_LIMITS": limits}
    assert post(client, image_file()).status_code == 201
    assert post(client, image_file()).status_code == 201
    response = post(client, image_file())
    assert response.status_code == 429
    assert "today's limit of 2 image uploads" in response.json()["error"]
    assert Upload.objects.count() == 2 and len(stored_files(media_root)) == 2
