"""The browser tests' Content-Security-Policy watch (tests/e2e/conftest.py) sees what the
policy blocks, so "no violations" in the other browser tests means something."""

import pytest

from tests.e2e.conftest import CspWatch

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.e2e.csp_urls"),
]


@pytest.fixture
def watched(browser):
    """A context of its own, so the `page` fixture's check does not fail these tests."""
    watch = CspWatch()
    context = browser.new_context()
    watch.watch(context)
    yield watch, context.new_page()
    context.close()


def test_a_page_of_the_site_has_no_violations(live_server, watched):
    watch, page = watched
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    assert watch.violations == [], watch.report()


def test_it_names_the_page_and_each_blocked_thing(live_server, watched):
    watch, page = watched
    url = f"{live_server.url}/csp-violations/"
    page.goto(url)
    page.get_by_role("button", name="Click").click()
    page.get_by_role("link", name="A javascript: link").click()
    page.wait_for_timeout(300)
    assert page.title() == "Violations"  # nothing inline ran
    report = watch.report()
    assert all(line.startswith(url) for line in dict.fromkeys(watch.violations))
    for blocked in [
        "script-src-elem blocked inline ('document.title = \"inline script ran\";')",
        "style-src-elem blocked inline",
        "style-src-attr blocked inline ('color: red')",
        "script-src-attr blocked inline",
        "img-src blocked https://images.invalid/tracker.png",
        "blocked inline (\"javascript:document.title = 'link ran'\")",
    ]:
        assert blocked in report


def test_the_page_fixture_watches_every_context_the_test_opens(live_server, browser, csp_watch):
    other = browser.new_context()  # as the tests that log in a second user do
    page = other.new_page()
    page.goto(f"{live_server.url}/csp-violations/")
    page.wait_for_timeout(300)
    other.close()
    assert any("script-src-elem blocked inline" in line for line in csp_watch.violations)
    with pytest.raises(pytest.fail.Exception, match="Content-Security-Policy violation"):
        csp_watch.check()  # what the `page` fixture does at teardown
    csp_watch.violations.clear()  # seen, so the fixture's teardown check lets this test pass
