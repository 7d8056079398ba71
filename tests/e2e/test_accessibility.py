"""axe-core on the main pages, in the light and the dark theme, one browser context per
theme (docs/architecture.md, "Accessibility checks"): no serious or critical violation.
axe-playwright-python injects axe-core with page.evaluate, which the Content-Security-Policy
does not govern; the `csp_watch` fixture still fails the test on any violation of it."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.test_qa_flow import log_in
from tests.e2e.tour import THEMES, themed_context, tour_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
BACKGROUNDS = {"light": "rgb(255, 255, 255)", "dark": "rgb(24, 25, 26)"}  # --bg


def blocking_violations(axe: Axe, page) -> list[str]:
    results = axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        shown = ", ".join(targets[:5]) + (f" … (+{len(targets) - 5})" if len(targets) > 5 else "")
        lines.append(
            f"{page.url}: {violation['id']} ({violation['impact']}) on {shown} — "
            f"{violation['help']} {violation['helpUrl']}"
        )
    return lines


@pytest.mark.parametrize("theme", THEMES)
def test_the_main_pages_have_no_serious_accessibility_violations(
    live_server, browser, csp_watch, theme
):
    tour = tour_load()
    context = themed_context(browser, theme)
    page = context.new_page()
    axe = Axe()
    log_in(page, live_server.url, tour.user)

    found = []
    for url in tour.urls:
        page.goto(live_server.url + url)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == BACKGROUNDS[theme], url  # the theme is really applied
        found += blocking_violations(axe, page)
    # The close dialog, open over the seed question.
    page.goto(live_server.url + tour.urls[1])
    page.locator("#question").get_by_role("link", name=re.compile(r"^Close")).click()
    expect(page.locator("dialog")).to_be_visible()
    found += blocking_violations(axe, page)
    context.close()
    csp_watch.check()
    assert not found, f"{len(found)} serious or critical violation(s):\n" + "\n".join(found)


def test_the_anonymous_home_page_has_no_serious_violations(live_server, browser, csp_watch):
    tour_load()
    for theme in THEMES:
        context = themed_context(browser, theme)
        page = context.new_page()
        page.goto(live_server.url + "/")
        found = blocking_violations(Axe(), page)
        context.close()
        assert not found, "\n".join(found)
