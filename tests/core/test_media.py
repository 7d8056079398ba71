"""The media view (stored images only, safe headers, DEBUG on or off) and identicons."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.identicon import identicon_svg


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def assert_hardened(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]


@pytest.mark.parametrize("debug", [False, True])
def test_it_serves_a_stored_image_with_its_type(client, settings, debug):
    settings.DEBUG = debug
    name = default_storage.save("avatars/7-abc.png", ContentFile(b"\x89PNG fake"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert_hardened(response)
    assert "immutable" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/media/avatars/missing.png",
        "/media/avatars/page.html",
        "/media/avatars/.hidden.png",
        "/media/secrets/key.png",
        "/media/avatars/..%2Fsecret.png",
        "/media/../db.sqlite3",
        "/media/avatars/a/b.png",
    ],
)
def test_it_serves_nothing_else(client, media_root, path):
    (media_root / "secrets").mkdir()
    (media_root / "secrets" / "key.png").write_bytes(b"secret")
    (media_root / "avatars").mkdir()
    (media_root / "avatars" / "page.html").write_text("<script>alert(1)</script>")
    (media_root / "avatars" / ".hidden.png").write_bytes(b"x")
    assert client.get(path).status_code == 404


def test_it_refuses_writes(client):
    default_storage.save("avatars/1-x.png", ContentFile(b"x"))
    assert client.post("/media/avatars/1-x.png").status_code == 405


def test_an_identicon_is_drawn_from_the_id_alone(client):
    assert identicon_svg(5) == identicon_svg(5)
    assert identicon_svg(5) != identicon_svg(6)
    assert "<script" not in identicon_svg(5) and "href" not in identicon_svg(5)
    response = client.get("/identicons/5.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.decode() == identicon_svg(5)
    assert_hardened(response)
