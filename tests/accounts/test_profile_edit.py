"""Editing a profile (accounts.profiles, the form at /users/<id>/edit/): who may, what is
checked, and avatar uploads that write nothing when refused."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def png(size=(120, 80), fmt="PNG", colour="orange") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def form(**values) -> dict:
    return {"display_name": "Ada L.", "about": "", "location": "", "website": "", **values}


def edit_url(member) -> str:
    return f"/users/{member.pk}/edit/"


def test_the_owner_edits_their_profile(client):
    ada = UserFactory(display_name="Ada")
    client.force_login(ada)
    assert client.get(edit_url(ada)).status_code == 200
    response = client.post(
        edit_url(ada),
        form(about="I *like* engines", location="London", website="https://ada.example"),
    )
    ada.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == ada.get_absolute_url()
    assert (ada.display_name, ada.about, ada.location, ada.website) == (
        "Ada L.",
        "I *like* engines",
        "London",
        "https://ada.example",
    )


def test_another_member_gets_403_and_changes_nothing(client):
    ada = UserFactory(display_name="Ada")
    client.force_login(UserFactory(reputation=50_000))
    assert client.get(edit_url(ada)).status_code == 403
    assert client.post(edit_url(ada), form(display_name="Hacked")).status_code == 403
    ada.refresh_from_db()
    assert ada.display_name == "Ada"


def test_a_visitor_is_sent_to_log_in(client):
    ada = UserFactory()
    response = client.get(edit_url(ada))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_moderator_edits_someone_elses_profile(client):
    ada = UserFactory(display_name="Ada")
    client.force_login(UserFactory(is_moderator=True))
    assert client.post(edit_url(ada), form(location="Moderated")).status_code == 302
    ada.refresh_from_db()
    assert ada.location == "Moderated"


def test_the_edit_link_shows_to_the_owner_and_moderators_only(client):
    ada = UserFactory()
    link = f'href="{edit_url(ada)}"'
    assert link not in client.get(ada.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert link not in client.get(ada.get_absolute_url()).content.decode()
    client.force_login(ada)
    assert link in client.get(ada.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
        ({"website": "ftp://files.example"}, "website", "http:// or https://"),
        ({"location": "x" * 101}, "location", "at most 100 characters"),
        ({"display_name": "y" * 61}, "display_name", "at most 60 characters"),
        ({"display_name": "Moderator"}, "display_name", "kept for the site's moderators"),
        ({"display_name": "Ada ♦"}, "display_name", "can't contain"),
        ({"about": "z" * 3001}, "about", "At most 3000 characters"),
    ],
)
def test_bad_values_get_messages_and_change_nothing(client, values, field, message):
    ada = UserFactory(display_name="Ada")
    client.force_login(ada)
    response = client.post(edit_url(ada), form(**values))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    ada.refresh_from_db()
    assert ada.display_name == "Ada" and not ada.location and not ada.website


def test_an_avatar_is_reencoded_stored_and_shown_then_removed(
    client, media_root, django_capture_on_commit_callbacks
):
    ada = UserFactory()
    client.force_login(ada)
    upload = SimpleUploadedFile("me.jpg", png(fmt="JPEG"), content_type="image/jpeg")
    assert client.post(edit_url(ada), form(avatar_upload=upload)).status_code == 302
    ada.refresh_from_db()
    assert ada.avatar.name.startswith(f"avatars/{ada.pk}-") and ada.avatar.name.endswith(".png")
    with default_storage.open(ada.avatar.name) as stored:
        image = Image.open(stored)
        assert (image.format, image.size) == ("PNG", (256, 256))
    page = client.get(ada.get_absolute_url()).content.decode()
    assert f'src="/media/{ada.avatar.name}"' in page
    assert client.get(f"/media/{ada.avatar.name}").status_code == 200
    old = ada.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(ada), form(remove_avatar="on"))
    assert response.status_code == 302
    ada.refresh_from_db()
    assert not ada.avatar
    assert not default_storage.exists(old)
    assert f'src="/identicons/{ada.pk}.svg"' in client.get(ada.get_absolute_url()).content.decode()


def test_a_new_avatar_replaces_the_old_file(client, media_root, django_capture_on_commit_callbacks):
    ada = UserFactory()
    client.force_login(ada)
    for colour in ("red", "blue"):
        upload = SimpleUploadedFile("me.png", png(colour=colour), content_type="image/png")
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(edit_url(ada), form(avatar_upload=upload)).status_code == 302
    ada.refresh_from_db()
    assert stored_files(media_root) == [ada.avatar.name.split("/")[-1]]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        ("me.png", png(fmt="JPEG"), "image/png", "it is JPEG"),
        ("me.svg", SVG, "image/svg+xml", "not an image we can read"),
        ("bomb.png", None, "image/png", "too many pixels"),
        ("big.png", b"\x89PNG" + b"\0" * (2 * 1024 * 1024), "image/png", "too large"),
        ("empty.png", b"", "image/png", "empty"),
        ("wide.png", png((5000, 20)), "image/png", "at most 4096 on each side"),
    ],
    ids=["lying-type", "svg", "bomb", "too-big", "zero-bytes", "huge-dimensions"],
)
def test_a_refused_upload_writes_nothing(
    client, media_root, monkeypatch, name, data, content_type, message
):
    if data is None:  # a decompression bomb: few bytes, many pixels
        data = png((3000, 3000))
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    ada = UserFactory(display_name="Ada")
    client.force_login(ada)
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    response = client.post(edit_url(ada), form(location="Paris", avatar_upload=upload))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["avatar_upload"])
    ada.refresh_from_db()
    assert not ada.avatar and ada.location == ""
    assert stored_files(media_root) == []


def test_a_website_without_a_scheme_is_read_as_https(client):
    ada = UserFactory()
    client.force_login(ada)
    assert client.post(edit_url(ada), form(website="ada.example")).status_code == 302
    ada.refresh_from_db()
    assert ada.website == "https://ada.example"


def test_a_replayed_post_changes_nothing_more(client, media_root):
    ada = UserFactory()
    client.force_login(ada)
    data = png(colour="green")
    for _ in range(2):
        upload = SimpleUploadedFile("me.png", data, content_type="image/png")
        assert client.post(edit_url(ada), form(avatar_upload=upload)).status_code == 302
    ada.refresh_from_db()
    assert stored_files(media_root) == [ada.avatar.name.split("/")[-1]]
