"""A member downloads their data and asks for their account's deletion, then cancels it;
later they ask again and the sweep erases the account after the grace period (docs/rules.md,
"Your data").

The grace period is passed by moving the request's due time into the past in the database
(the live server runs in another thread): the sweep reads that time alone."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from privacy.models import DeletionRequest
from privacy.sweep import sweep
from tests.e2e.test_qa_flow import log_in
from tests.factories import DEMO_PASSWORD, QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_downloads_their_data_then_deletes_their_account(live_server, page):
    member = UserFactory(username="leaver", display_name="leaver")
    question = QuestionFactory(author=member, title="My question about leaving a site cleanly")
    base = live_server.url
    log_in(page, base, "leaver")
    page.goto(f"{base}{member.get_absolute_url()}")
    page.get_by_role("link", name="Your data").click()

    # The export runs right after the request (no Redis): the page shows it ready.
    page.get_by_role("button", name="Request a copy of my data").click()
    expect(page.locator(".messages")).to_contain_text("being prepared")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as archive:
        posts = json.loads(archive.read("posts.json"))
    assert [post["title"] for post in posts] == ["My question about leaving a site cleanly"]

    # A wrong phrase is refused; the right one schedules the deletion, which can be cancelled.
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_label("to confirm").fill("delete it")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".deletion-form")).to_contain_text("to confirm")
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_label("to confirm").fill("delete my account")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".messages")).to_contain_text("will be deleted on")
    page.get_by_role("button", name="Cancel the deletion").click()
    expect(page.locator(".messages")).to_contain_text("cancelled")

    # Asked again; after the grace period the sweep erases the account.
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_label("to confirm").fill("delete my account")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("button", name="Cancel the deletion")).to_be_visible()
    DeletionRequest.objects.filter(user=member, cancelled_at__isnull=True).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    assert sweep()["erased"] == 1
    page.goto(f"{base}/questions/")
    expect(page.locator(".user-link")).to_have_count(0)  # logged out
    member = User.objects.get(pk=member.pk)
    assert not member.is_active and member.username == f"user{member.pk}"
    # The question stays, attributed to the pseudonym.
    page.goto(f"{base}{question.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text(f"user{member.pk}")
    expect(page.locator("main")).not_to_contain_text("leaver")
