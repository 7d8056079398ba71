"""The flag queue decided in place, in a browser without JavaScript: each flagged post with
its excerpt, its question and its flags' texts; Decline and Delete return to the queue
with a message."""

import pytest
from playwright.sync_api import expect

from accounts.privileges import Privilege
from moderation import flags
from moderation.models import FlagKind
from tests.e2e.test_qa_flow import log_in
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_moderator_declines_and_deletes_from_the_queue(live_server, browser):
    question = QuestionFactory(title="How do I parse dates in a CSV column?")
    spam = AnswerFactory(question=question, body="Visit my shop for the cheapest watches online!")
    fine = QuestionFactory(title="Which plotting library draws maps of regions?")
    for index, kind in enumerate((FlagKind.SPAM, FlagKind.NOT_AN_ANSWER)):
        flagger = UserFactory(username=f"flagger{index}", reputation=Privilege.FLAG.reputation)
        flags.flag_raise(flagger=flagger, post=spam, kind=kind)
    flags.flag_raise(
        flagger=UserFactory(reputation=Privilege.FLAG.reputation),
        post=fine,
        kind=FlagKind.MODERATOR_ATTENTION,
        text="Looks like a duplicate of an older one.",
    )
    UserFactory(username="mod", display_name="mod", is_moderator=True)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "mod")
    page.goto(f"{base}/moderation/flags/")

    spam_item = page.locator(f"#flagged-post-{spam.pk}")
    expect(spam_item).to_contain_text(f"An answer to {question.title}")
    expect(spam_item).to_contain_text("Visit my shop for the cheapest watches online!")
    expect(spam_item.locator(".flag-list li")).to_have_count(2)
    fine_item = page.locator(f"#flagged-post-{fine.pk}")
    expect(fine_item).to_contain_text("Looks like a duplicate of an older one.")

    fine_item.get_by_label("Decline reason").fill("Not a duplicate: different libraries.")
    fine_item.get_by_role("button", name="Decline").click()
    assert page.url.endswith("/moderation/flags/")
    expect(page.locator(".messages")).to_contain_text("The flag is handled (declined)")
    expect(page.locator(f"#flagged-post-{fine.pk}")).to_have_count(0)

    page.locator(f"#flagged-post-{spam.pk}").get_by_role("button", name="Delete the answer").click()
    expect(page.locator(".messages")).to_contain_text("The post is deleted and its flags marked")
    expect(page.get_by_text("No flags are waiting")).to_be_visible()
    spam.refresh_from_db()
    assert spam.deleted_at is not None
    context.close()
