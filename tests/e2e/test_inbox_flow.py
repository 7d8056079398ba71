"""The close → edit → reopen loop seen by the asker, in a real browser: guidance at the first
close vote and a count in the top bar, the closure, the edit that reaches the reopen queue, the
reopening, and every step in the inbox."""

import re

import pytest
from playwright.sync_api import expect

from moderation import services
from moderation.models import CloseReason
from tests.e2e import closer_accounts
from tests.e2e.test_qa_flow import log_in
from tests.factories import QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CAREER = "Career advice and job-market questions are off-topic here"


def test_the_asker_is_told_each_step_and_can_act_on_it(live_server, browser, page):
    asker = UserFactory(username="asker", display_name="asker", reputation=1)
    question = QuestionFactory(
        author=asker, title="Should I become a data scientist or an ML engineer?"
    )
    closers = closer_accounts()
    UserFactory(username="mod", display_name="mod", is_moderator=True)
    base = live_server.url
    question_url = f"{base}{question.get_absolute_url()}"

    # The first close vote, cast in the dialog.
    context = browser.new_context()
    voter_page = context.new_page()
    log_in(voter_page, base, closers[0].username)
    voter_page.goto(question_url)
    voter_page.locator("#question").get_by_role("link", name=re.compile(r"^Close")).click()
    dialog = voter_page.locator("dialog")
    dialog.get_by_label(CAREER).check()
    dialog.get_by_role("button", name="Vote to close").click()
    expect(voter_page.locator(".messages")).to_be_visible()
    context.close()

    # The asker (reputation 1) sees the guidance on the page and a count in the top bar.
    log_in(page, base, "asker")
    page.goto(question_url)
    guidance = page.locator(".close-guidance")
    expect(guidance).to_contain_text("1 of 3 votes to close your question")
    expect(guidance).to_contain_text("(1 vote)")
    expect(guidance).not_to_contain_text("closer1")
    inbox_link = page.locator(".inbox-link")
    expect(inbox_link).to_have_attribute("aria-label", "Inbox, 1 unread")

    # The dropdown opens with the latest item (the script), and the inbox page lists it.
    inbox_link.click()
    expect(page.locator(".inbox-panel")).to_contain_text("Close votes on your question")

    # The other voters close it; the asker edits it within the window.
    career = CloseReason.objects.get(name__startswith="Career")
    for closer in closers[1:]:
        services.close_vote_cast(voter=closer, question=question, reason=career)
    page.goto(question_url)
    expect(page.locator(".close-notice")).to_be_visible()
    page.goto(f"{base}/posts/{question.pk}/edit/")
    body = page.get_by_label("Body")
    body.fill(
        body.input_value()
        + "\n\nI am asking about the skills each role needs day to day, not for career advice."
    )
    page.get_by_role("button", name="Save edits").click()
    expect(page.locator(".close-notice")).to_be_visible()

    # The moderator finds it in the reopen queue and reopens it.
    context = browser.new_context()
    mod_page = context.new_page()
    log_in(mod_page, base, "mod")
    mod_page.goto(f"{base}/review/reopen/")
    expect(mod_page.locator("main")).to_contain_text(question.title)
    mod_page.get_by_role("button", name="Reopen").click()
    context.close()

    # The asker's inbox shows each step, newest first.
    page.goto(f"{base}/inbox/")
    items = page.locator("ol.notifications > li")
    expect(items).to_have_count(4)
    expect(items.nth(0)).to_contain_text("Question reopened")
    expect(items.nth(1)).to_contain_text("Question sent to reopen review")
    expect(items.nth(2)).to_contain_text("Question closed")
    expect(items.nth(2)).to_contain_text("an edit within 5 days")
    expect(items.nth(3)).to_contain_text("Close votes on your question")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".inbox-link")).to_have_attribute("aria-label", "Inbox")
