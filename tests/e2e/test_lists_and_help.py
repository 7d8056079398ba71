"""The question lists and the help centre in a real browser: tabs, page sizes and numbered
pages keep each other; the footer leads to the help, whose numbers are the settings'."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import QuestionFactory, UserFactory
from threads.ranking import rank_questions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reader_moves_through_tabs_sizes_and_pages(live_server, page):
    author = UserFactory()
    for index in range(40):
        QuestionFactory(author=author, tags=["python"], view_count=10 + index * 10, score=index % 7)
    rank_questions()
    base = live_server.url

    page.goto(f"{base}/questions/tagged/python/")
    tabs = page.get_by_role("navigation", name="Sort questions")
    tabs.get_by_role("link", name=re.compile(r"^Hot")).click()
    expect(tabs.locator('[aria-current="page"]')).to_contain_text("Hot")
    page.get_by_role("navigation", name="Questions per page").get_by_role("link", name="15").click()
    expect(page.locator(".question-list > li")).to_have_count(15)

    pages = page.get_by_role("navigation", name="Pages")
    pages.get_by_role("link", name="Page 3").click()
    expect(page.locator(".question-list > li")).to_have_count(10)
    expect(pages.locator('[aria-current="page"]')).to_have_text("3")
    pages.get_by_role("link", name="Prev").click()
    expect(pages.locator('[aria-current="page"]')).to_have_text("2")
    assert "sort=hot" in page.url and "pagesize=15" in page.url

    tabs.get_by_role("link", name=re.compile(r"^Votes")).click()
    assert "sort=votes" in page.url and "pagesize=15" in page.url and "page=" not in page.url
    expect(page.locator(".question-list > li")).to_have_count(15)


def test_the_footer_leads_to_the_help_centre(live_server, page):
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Footer").get_by_role("link", name="Help centre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help centre")
    page.get_by_role("link", name="Privileges").first.click()
    expect(page.get_by_role("row", name=re.compile("Cast close votes"))).to_contain_text("3000")
    page.get_by_role("link", name="Closed questions").first.click()
    expect(page.get_by_role("heading", name="The close reasons")).to_be_visible()
