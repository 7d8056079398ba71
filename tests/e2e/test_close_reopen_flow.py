"""Closing and reopening in a real browser: the community closes, a moderator reopens,
and the public timeline records both."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import closer_accounts
from tests.e2e.test_qa_flow import log_in
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CAREER = "Career advice and job-market questions are off-topic here"


def test_it_closes_as_off_topic_through_the_dialog_and_reopens(live_server, browser, page):
    question = QuestionFactory(title="Should I become a data scientist or an ML engineer?")
    AnswerFactory(question=question)
    closers = closer_accounts()
    UserFactory(username="mod", display_name="mod", is_moderator=True)
    base = live_server.url
    question_url = f"{base}{question.get_absolute_url()}"

    for closer in closers:
        context = browser.new_context()
        voter_page = context.new_page()
        log_in(voter_page, base, closer.username)
        voter_page.goto(question_url)
        voter_page.locator("#question").get_by_role("link", name=re.compile(r"^Close")).click()
        dialog = voter_page.locator("dialog")
        expect(dialog).to_be_visible()
        dialog.get_by_label(CAREER).check()
        dialog.get_by_role("button", name="Vote to close").click()
        expect(voter_page.locator(".messages")).to_be_visible()
        context.close()

    # A visitor sees the notice with its reason and voters, and no answer form.
    page.goto(question_url)
    notice = page.locator(".close-notice")
    expect(notice).to_contain_text("career advice and job-market questions are off-topic")
    for closer in closers:
        expect(notice).to_contain_text(closer.name)
    expect(page.get_by_role("heading", level=1)).to_contain_text("[closed]")
    expect(page.get_by_role("button", name="Post Your Answer")).to_have_count(0)

    # The moderator reopens with one binding vote.
    log_in(page, base, "mod")
    page.goto(question_url)
    page.locator("#question").get_by_role("link", name="Reopen").click()
    page.get_by_role("button", name="Vote to reopen").click()
    expect(page.locator(".messages")).to_contain_text("reopened")
    expect(page.locator(".close-notice")).to_have_count(0)
    expect(page.get_by_role("button", name="Post Your Answer")).to_be_visible()

    # The public timeline shows both.
    page.goto(f"{base}/questions/{question.pk}/timeline/")
    timeline = page.locator("table.timeline")
    expect(timeline.locator("tr.timeline-closed")).to_contain_text("Community")
    expect(timeline.locator("tr.timeline-reopened")).to_contain_text("mod")
    expect(timeline.locator("tr.timeline-close-vote")).to_have_count(len(closers))
