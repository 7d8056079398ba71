"""Layout fixes from issue 16's new-user walk, measured in a real browser: the footer at the
bottom of a short page, a refused vote's message beside its narrow column, display math at
text size, and authors' cards aligned from post to post."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_qa_flow import log_in
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_footer_sits_at_the_bottom_of_a_short_page(live_server, page):
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto(f"{live_server.url}/search/help/")

    footer = box(page, ".site-footer")
    assert footer["y"] + footer["height"] == pytest.approx(1600, abs=1)


def test_a_refused_vote_says_why_beside_its_column(live_server, page):
    author = UserFactory(username="writer", display_name="writer", reputation=500)
    question = QuestionFactory(author=author, title="A question its own author tries to upvote")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "writer")
    page.goto(f"{live_server.url}{question.get_absolute_url()}")

    page.locator("#question").get_by_role("button", name="Up vote").click()

    flash = page.locator("#question .votecell [data-flash]")
    expect(flash).to_be_visible()
    message, column = flash.bounding_box(), box(page, "#question .votecell")
    assert message["x"] >= column["x"] + column["width"]  # beside, not inside, the column
    assert message["width"] > 2 * column["width"]
    line = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('[data-flash]')).lineHeight)"
    )
    assert message["height"] < 5 * line  # a few lines, not one word per line


def test_display_math_is_the_size_of_the_text(live_server, page):
    question = QuestionFactory(
        title="A question with a formula shown on its own line",
        body="The area is given by this formula:\n\n$$x^2 + y^2 = r^2$$\n\nand that is all.",
    )
    page.goto(f"{live_server.url}{question.get_absolute_url()}")

    sizes = page.evaluate(
        """() => [
            getComputedStyle(document.querySelector('#question .post-body p')).fontSize,
            getComputedStyle(document.querySelector('#question math[display=block]')).fontSize,
        ]"""
    )
    assert sizes[0] == sizes[1]


def test_the_authors_cards_line_up_from_post_to_post(live_server, page):
    question = QuestionFactory(author=UserFactory(display_name="Al"))
    AnswerFactory(question=question, author=UserFactory(display_name="Bartholomew Longname-Smith"))
    AnswerFactory(question=question, author=UserFactory(display_name="Cy"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{question.get_absolute_url()}")

    cards = page.locator(".post-footer .user-card.owner")
    expect(cards).to_have_count(3)
    lefts = {round(cards.nth(index).bounding_box()["x"]) for index in range(3)}
    widths = {round(cards.nth(index).bounding_box()["width"]) for index in range(3)}
    assert len(lefts) == 1
    assert len(widths) == 1
