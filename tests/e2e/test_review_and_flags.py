"""Review queues and flags in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.privileges import Privilege
from moderation import services
from moderation.models import CloseReason
from tests.e2e.test_qa_flow import log_in
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def named(username: str, **fields):
    return UserFactory(username=username, display_name=username, **fields)


def test_it_lets_a_reviewer_work_a_first_question_and_a_close_vote(live_server, page):
    newcomer_question = QuestionFactory(title="How do I read a parquet file with pandas?")
    open_question = QuestionFactory(title="Which loss should I use for ordinal targets?")
    AnswerFactory(question=open_question)
    voter = named("voter1", reputation=Privilege.CAST_CLOSE_VOTES.reputation)
    services.close_vote_cast(
        voter=voter,
        question=open_question,
        reason=CloseReason.objects.get(name__startswith="Career"),
    )
    named("rev", reputation=Privilege.CAST_CLOSE_VOTES.reputation)
    base = live_server.url
    log_in(page, base, "rev")

    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_role("link", name="First questions").click()
    expect(page.get_by_role("heading", name=newcomer_question.title)).to_be_visible()
    page.get_by_role("button", name="Looks OK").click()
    expect(page.locator(".messages")).to_contain_text("Thanks for reviewing")

    page.goto(f"{base}/review/close/")
    expect(page.get_by_role("heading", name=open_question.title)).to_be_visible()
    page.locator("summary", has_text="Close…").click()
    page.get_by_label("Opinion-based").check()
    page.get_by_role("button", name="Vote to close").click()
    expect(page.locator(".messages")).to_contain_text("Thanks for reviewing")

    page.goto(f"{base}{open_question.get_absolute_url()}")
    expect(page.get_by_role("button", name=re.compile("Retract close vote"))).to_be_visible()


def test_it_lets_a_moderator_mark_a_flag_helpful_and_the_flagger_see_it(live_server, browser, page):
    answer = AnswerFactory(body="Buy cheap watches at my shop, best prices on the whole web!")
    named("flagger", reputation=Privilege.FLAG.reputation)
    named("mod", is_moderator=True)
    base = live_server.url

    log_in(page, base, "flagger")
    page.goto(f"{base}/a/{answer.pk}")
    page.locator(f"#answer-{answer.pk}").get_by_role("link", name="Flag").click()
    page.get_by_label("Spam").check()
    page.get_by_role("button", name="Flag", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("your flag is recorded")

    moderator = browser.new_context()
    mod_page = moderator.new_page()
    log_in(mod_page, base, "mod")
    mod_page.get_by_role("link", name="Flags").click()
    item = mod_page.locator(".flag-item", has_text="Spam")
    expect(item).to_contain_text("flagger")
    item.get_by_role("button", name="Helpful").click()
    expect(mod_page.locator(".messages")).to_contain_text("handled")
    moderator.close()

    page.locator(".user-link").click()  # the flagger's own profile
    expect(page.locator(".flag-summary")).to_contain_text("1 helpful")
    page.get_by_role("link", name="Flag history").click()
    expect(page.locator("tr.flag-helpful")).to_contain_text("Spam")
