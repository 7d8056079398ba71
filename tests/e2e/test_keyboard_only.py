"""Ask, vote and vote to close with the keyboard alone (Tab, Enter, Space, arrows), checking
at every stop that the focused element shows a visible focus ring (docs/architecture.md,
"Accessibility checks")."""

import pytest
from playwright.sync_api import expect

from moderation.models import CloseVote
from tests.e2e import closer_accounts
from tests.e2e.test_qa_flow import log_in
from tests.factories import QuestionFactory
from threads.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80
FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


def tab_to(page, selector: str, text: str = "") -> None:
    """Press Tab until the focused element matches ``selector`` (and contains ``text``)."""
    check = """([selector, text]) => {
      const element = document.activeElement;
      return element.matches(selector) && element.textContent.includes(text);
    }"""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(check, [selector, text]):
            assert page.evaluate(FOCUS_RING), f"no visible focus on {selector} {text}"
            return
    raise AssertionError(f"Tab never reached {selector} {text!r}")


def test_a_keyboard_user_asks_votes_and_votes_to_close(live_server, page):
    other = QuestionFactory(title="Which pandas method reads a CSV file quickly?", tags=["python"])
    keys = closer_accounts()[0]
    base = live_server.url
    log_in(page, base, keys.username)

    # Ask.
    page.goto(base + "/")
    tab_to(page, "a", "Ask Question")
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/ask/")
    page.wait_for_load_state()
    tab_to(page, "#id_title")
    page.keyboard.type("How do I read only some columns of a CSV file with pandas?")
    tab_to(page, "#id_body")
    page.keyboard.type("My file has forty columns and I only need three of them; which option?")
    tab_to(page, "#id_tags")
    page.keyboard.type("python")
    tab_to(page, "button", "Post your question")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("How do I read only some columns")
    assert Post.objects.questions().filter(author=keys).count() == 1

    # Vote up someone else's question.
    page.goto(base + other.get_absolute_url())
    page.wait_for_load_state()
    tab_to(page, "#question .vote-up")
    page.keyboard.press("Space")
    expect(page.locator("#question [data-score]")).to_have_text("1")

    # Vote to close it, in the dialog.
    tab_to(page, "#question a", "Close")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog")
    expect(dialog).to_be_visible()
    tab_to(page, "dialog input[type=radio]")
    for _ in range(30):
        if page.evaluate("document.activeElement.labels[0].textContent") == "Needs more focus":
            break
        page.keyboard.press("ArrowDown")
    expect(dialog.get_by_label("Needs more focus")).to_be_checked()
    tab_to(page, "dialog button", "Vote to close")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Your close vote")
    assert CloseVote.objects.get(question=other, voter=keys).reason.name == "Needs more focus"
