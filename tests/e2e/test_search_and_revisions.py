"""Search with operators and the revision diffs in a real browser, JavaScript off: the
parsed query shown back, the help page, and the diff views toggled by links."""

import pytest
from playwright.sync_api import expect

from core.conf import qasite_setting
from tests.factories import QuestionFactory, UserFactory
from threads import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_searching_with_operators_and_reading_the_help(live_server, no_js_page):
    page = no_js_page
    QuestionFactory(title="Centering a zorblax with css grid", tags=["css"], score=4)
    QuestionFactory(title="Centering a zorblax with flexbox", tags=["css"], score=0)
    QuestionFactory(title="A zorblax in python", tags=["python"], score=9)

    page.goto(f"{live_server.url}/search/")
    page.get_by_label("Search questions and answers").last.fill("zorblax [css] -flexbox score:1..")
    page.get_by_role("button", name="Search").click()

    chips = page.locator(".search-chips li")
    expect(chips).to_have_text(["“zorblax”", "without “flexbox”", "in [css]", "score ≥ 1"])
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result h3")).to_contain_text("css grid")

    page.get_by_role("link", name="Search help: operators and examples").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How to search")
    page.get_by_role("link", name="answers:0 [python]").click()
    expect(page.locator(".search-chips li")).to_have_text(["in [python]", "no answers"])
    expect(page.locator(".search-result")).to_have_count(1)


def test_switching_revision_diffs_by_links(live_server, no_js_page):
    page = no_js_page
    question = QuestionFactory(
        title="How do I merge two dictionaries in Python",
        body="I have two dicts, x and y.\n\nI want **one** dict with both.",
        tags=["python"],
    )
    editor = UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST"))
    services.post_edit(
        editor=editor,
        post=question,
        title=question.title,
        body="I have two dictionaries, x and y.\n\nI want **one** dict with both.",
        tags=["python"],
    )

    page.goto(f"{live_server.url}/posts/{question.pk}/revisions/")
    expect(page.locator("#revision-2 pre.diff del")).to_have_text("dicts")

    page.get_by_role("link", name="side by side").click()
    table = page.locator("#revision-2 table.diff-side")
    expect(table.get_by_role("columnheader")).to_have_text(["Before", "Revision 2"])
    expect(table.locator("tr.changed del")).to_have_text("dicts")
    expect(table.locator("tr.changed ins")).to_have_text("dictionaries")
    expect(table).to_contain_text("**one**")

    page.get_by_role("link", name="rendered text").click()
    assert "view=side" in page.url and "of=rendered" in page.url
    expect(page.locator("#revision-2 table.diff-side")).not_to_contain_text("**one**")
    expect(page.locator("#revision-2 table.diff-side")).to_contain_text("I want one dict")
