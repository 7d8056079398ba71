"""The theme switch, the skip link and the 375 px layout in a real browser
(docs/architecture.md, "Themes" and "Page layout")."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_qa_flow import log_in
from tests.e2e.tour import THEME_KEY, tour_load
from tests.factories import QuestionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WHITE, DARK = "rgb(255, 255, 255)", "rgb(24, 25, 26)"


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_theme_follows_the_system_until_the_visitor_chooses(live_server, browser, csp_watch):
    question = QuestionFactory()
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    response = page.goto(f"{live_server.url}{question.get_absolute_url()}")
    # The server sends the same page whatever the theme: no attribute, no cookie.
    assert "data-theme=" not in response.text()
    assert not context.cookies()
    assert background(page) == DARK

    switch = page.get_by_label("Theme")
    expect(switch).to_have_value("system")
    switch.select_option("light")
    assert background(page) == WHITE
    assert page.evaluate(f"localStorage.getItem('{THEME_KEY}')") == "light"

    page.reload()
    assert background(page) == WHITE  # remembered, and applied before the page is drawn
    expect(page.get_by_label("Theme")).to_have_value("light")
    page.get_by_label("Theme").select_option("system")
    assert background(page) == DARK
    assert page.evaluate(f"localStorage.getItem('{THEME_KEY}')") is None
    context.close()
    csp_watch.check()


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0  # on screen once focused
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()


def test_the_main_pages_fit_a_375_px_screen(live_server, browser, csp_watch):
    tour = tour_load()
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    log_in(page, live_server.url, tour.user)

    too_wide = {}
    for url in [*tour.urls, "/help/", "/search/help/", "/inbox/settings/"]:
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[url] = width
    context.close()
    visitor = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    for url in ["/", tour.urls[1], "/accounts/login/", "/accounts/signup/", "/users/"]:
        visitor.goto(live_server.url + url)
        width = visitor.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[f"{url} (visitor)"] = width
    visitor.context.close()
    csp_watch.check()
    assert not too_wide, too_wide
