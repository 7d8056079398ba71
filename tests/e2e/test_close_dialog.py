"""The close dialog that informs, in a real browser: the pending votes per reason, and the
duplicate search inside the dialog (live, with the chosen target's preview) that never
leaves it nor clears the chosen reason or comment; without JavaScript the same by the
Search button."""

import re

import pytest
from playwright.sync_api import expect

from moderation import services
from moderation.models import CloseVote
from tests.e2e import closer_accounts
from tests.e2e.test_qa_flow import log_in
from tests.factories import AnswerFactory, QuestionFactory
from tests.moderation import career, duplicate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CAREER = "Career advice and job-market questions are off-topic here"
TARGET_TITLE = "Merging two pandas frames on a shared key column"


@pytest.fixture
def thread():
    question = QuestionFactory(title="How do I join pandas frames by their key?")
    target = QuestionFactory(
        title=TARGET_TITLE, body="I have two DataFrames and want to **merge** them on `id`."
    )
    AnswerFactory(question=target)
    first, second, *_ = closer_accounts()
    services.close_vote_cast(voter=first, question=question, reason=career())
    return question, target, second


def test_it_searches_for_a_duplicate_inside_the_dialog(live_server, page, thread):
    question, target, voter = thread
    base = live_server.url
    log_in(page, base, voter.username)
    question_url = f"{base}{question.get_absolute_url()}"
    page.goto(question_url)

    page.locator("#question").get_by_role("link", name=re.compile(r"^Close")).click()
    dialog = page.locator("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".subreasons li", has=page.get_by_label(CAREER))).to_contain_text(
        "(1 pending vote)"
    )

    dialog.get_by_label("Duplicate", exact=True).check()
    dialog.get_by_label("Comment (for “Something else”)").fill("Kept while searching")
    dialog.get_by_label("Search answered questions for a duplicate target").fill("pandas frames")
    candidate = dialog.get_by_label(re.compile(re.escape(TARGET_TITLE)))
    expect(candidate).to_be_visible()  # live, without pressing Search
    candidate.check()

    preview = dialog.locator(".duplicate-preview")
    expect(preview).to_contain_text(f"Duplicate of: {TARGET_TITLE}")
    expect(preview).to_contain_text("Score 0 · 1 answer")
    expect(preview).to_contain_text("I have two DataFrames and want to merge them on id.")
    # The results and preview sit above the submit button, in the dialog, on the same page.
    submit = dialog.get_by_role("button", name="Vote to close")
    assert preview.bounding_box()["y"] < submit.bounding_box()["y"]
    assert page.url == question_url
    expect(dialog.get_by_label("Duplicate", exact=True)).to_be_checked()
    expect(dialog.get_by_label("Comment (for “Something else”)")).to_have_value(
        "Kept while searching"
    )

    # Pressing Search (or Enter) searches again in place, still keeping the choices.
    dialog.get_by_role("button", name="Search").click()
    dialog.get_by_label("Search answered questions for a duplicate target").press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Duplicate", exact=True)).to_be_checked()
    assert page.url == question_url

    submit.click()
    expect(page.locator(".messages")).to_contain_text("Your close vote (Duplicate")
    vote = CloseVote.objects.get(question=question, voter=voter)
    assert (vote.reason_id, vote.duplicate_of_id) == (duplicate().pk, target.pk)


def test_it_searches_without_javascript_keeping_the_choices(live_server, browser, thread):
    question, target, voter = thread
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, voter.username)
    page.goto(f"{base}/questions/{question.pk}/close/")
    expect(page.locator(".subreasons li", has=page.get_by_label(CAREER))).to_contain_text(
        "(1 pending vote)"
    )

    page.get_by_label("Duplicate", exact=True).check()
    page.get_by_label("Comment (for “Something else”)").fill("Kept without a script")
    page.get_by_label("Search answered questions for a duplicate target").fill("pandas frames")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_label("Duplicate", exact=True)).to_be_checked()
    expect(page.get_by_label("Comment (for “Something else”)")).to_have_value(
        "Kept without a script"
    )
    page.get_by_label(re.compile(re.escape(TARGET_TITLE))).check()
    page.get_by_role("button", name="Vote to close").click()

    expect(page.locator(".messages")).to_contain_text("Your close vote (Duplicate")
    vote = CloseVote.objects.get(question=question, voter=voter)
    assert vote.duplicate_of_id == target.pk
    context.close()
