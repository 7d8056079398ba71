"""A moderator messages and suspends a member for 7 days; the member is shown the message
before anything else, acknowledges it, cannot post and shows 1 reputation; when the
suspension ends they post again with their reputation back (docs/rules.md, "Suspensions and
moderator messages").

The end is reached by moving the suspension's end time into the past in the database (the
live server runs in another thread, where time_machine would have to tick through the whole
request cycle): the state is derived from that time alone, exactly as when the clock passes
it, and no job runs in between."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from desk.models import Suspension
from tests.e2e.test_qa_flow import log_in
from tests.factories import QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_suspended_member_is_told_cannot_post_and_comes_back(live_server, browser, page):
    QuestionFactory(tags=["python"])  # the tag exists
    member = UserFactory(username="member", display_name="member", reputation=240)
    UserFactory(username="mod", display_name="mod", is_moderator=True)
    base = live_server.url

    # The moderator writes from the member's profile, from a template, with 7 days.
    context = browser.new_context()
    mod_page = context.new_page()
    log_in(mod_page, base, "mod")
    mod_page.goto(f"{base}{member.get_absolute_url()}")
    mod_page.get_by_role("link", name="Message / suspend").click()
    mod_page.get_by_label("Start from a template").select_option(label="Rude or abusive comments")
    mod_page.get_by_role("button", name="Use this template").click()
    body = mod_page.get_by_label("Message")
    expect(body).to_contain_text("rude or abusive")
    body.fill(body.input_value() + "\n\nSee your comment on the numpy question.")
    mod_page.locator("#id_suspend").select_option(label="7 days")
    mod_page.get_by_role("button", name="Send message").click()
    expect(mod_page.locator(".messages")).to_contain_text("Your message to member is sent")
    expect(mod_page.locator(".desk-thread")).to_contain_text("See your comment on the numpy")
    context.close()

    # The member logs in and is taken to the message, from any page, until they acknowledge.
    log_in(page, base, "member")
    expect(page).to_have_url(re.compile(r"/users/\d+/messages/#thread-\d+$"))
    expect(page.locator(".desk-thread")).to_contain_text("Your comments")
    expect(page.locator(".suspended")).to_contain_text("suspended until")
    page.goto(f"{base}/questions/")
    expect(page).to_have_url(re.compile(r"/messages/"))
    page.get_by_role("button", name="I have read this message").click()
    expect(page.get_by_role("button", name="I have read this message")).to_have_count(0)

    # Reading works; posting does not; the top bar shows 1.
    page.goto(f"{base}/questions/")
    expect(page.locator(".user-link .rep")).to_have_text("1")
    page.goto(f"{base}/questions/ask/")
    expect(page.locator("main")).to_contain_text("Your account is suspended until")

    # Seven days later (the end moved into the past; nobody lifts anything).
    past = timezone.now() - timedelta(seconds=1)
    Suspension.objects.filter(user=member).update(ends_at=past)
    User.objects.filter(pk=member.pk).update(suspended_until=past)

    page.goto(f"{base}/questions/ask/")
    expect(page.locator(".user-link .rep")).to_have_text("240")
    page.get_by_label("Title").fill("How do I flatten a nested list in Python?")
    page.get_by_label("Body").fill(
        "I have [[1, 2], [3]] and want [1, 2, 3]. What is the idiomatic way to do it?"
    )
    page.get_by_label("Tags").fill("python")
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("h1")).to_contain_text("How do I flatten a nested list")
    page.goto(f"{base}{member.get_absolute_url()}")
    expect(page.locator(".profile")).to_contain_text("240 reputation")
    expect(page.locator(".profile")).not_to_contain_text("Suspended")
