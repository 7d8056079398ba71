"""A member edits their profile in the browser, uploads a picture and sees it on the
profile, served by the media view (docs/architecture.md, "Profiles")."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_qa_flow import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_edits_the_profile_with_a_picture(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = UserFactory(username="ada", display_name="ada")
    base = live_server.url
    picture = tmp_path / "me.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "purple").save(buffer, format="JPEG")
    picture.write_bytes(buffer.getvalue())

    log_in(page, base, "ada")
    page.goto(f"{base}{member.get_absolute_url()}")
    identicon = page.locator("header.profile img.avatar")
    expect(identicon).to_have_attribute("src", f"/identicons/{member.pk}.svg")
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Location").fill("London")
    page.get_by_label("Website").fill("https://ada.example")
    page.get_by_label("About me").fill("I write *programs* for engines.")
    page.get_by_label("Picture").set_input_files(str(picture))
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator(".messages")).to_contain_text("Profile saved")
    expect(page.locator(".profile-about em")).to_have_text("programs")
    expect(page.get_by_role("link", name="https://ada.example")).to_have_attribute(
        "rel", "nofollow ugc noopener"
    )
    avatar = page.locator("header.profile img.avatar")
    src = avatar.get_attribute("src")
    assert src.startswith(f"/media/avatars/{member.pk}-") and src.endswith(".png")
    # The browser loaded and decoded it: a 256-pixel square.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 256", arg=avatar.element_handle()
    )
