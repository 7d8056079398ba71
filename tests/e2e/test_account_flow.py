"""Accounts in a real browser: a visitor signs up, is told to confirm their address before
posting, confirms it from the mail, and asks; a member logs in by email."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.test_qa_flow import confirm_email, log_in, sign_up
from tests.factories import QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_new_member_confirms_their_address_then_asks(live_server, page):
    QuestionFactory(tags=["python"])  # the tag exists: new users can't create tags
    base = live_server.url
    mail.outbox.clear()

    page.goto(base)
    sign_up(page, "newcomer", "newcomer@example.com")

    # Not yet: the ask page says why and where to get the mail again.
    page.get_by_role("link", name="Ask Question").first.click()
    refusal = page.locator(".refusal")
    expect(refusal).to_contain_text("Confirm your email address before you post")
    refusal.get_by_role("link", name="send it again").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Email")
    expect(page.locator("#new_email")).to_have_value("newcomer@example.com")
    expect(page.get_by_role("button", name="Re-send Verification")).to_be_visible()

    confirm_email(page, "newcomer@example.com")
    expect(page.locator(".messages")).to_contain_text("confirmed")

    page.get_by_role("link", name="Ask Question").first.click()
    page.get_by_label("Title").fill("How do I read a file line by line in Python?")
    page.get_by_label("Body").fill("I open a big log file and want each line without loading all.")
    page.get_by_label("Tags").fill("python")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("read a file line by line")


def test_a_member_logs_in_by_email(live_server, page):
    UserFactory(username="grace", display_name="grace", email="grace@example.com")
    log_in(page, live_server.url, "grace", login="Grace@Example.com")
    expect(page.locator(".user-link")).to_contain_text("grace")
