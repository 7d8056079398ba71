"""Playwright fixtures for browser tests (mark them `e2e`; use with `live_server`).

Chromium is Debian's /usr/bin/chromium (`make test` installs it); Playwright's own browser
download does not work here. A missing browser fails the test, it never skips it.
"""

import os

# Playwright's sync API runs an asyncio loop in the test thread; Django would otherwise
# refuse ORM calls from it (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    options = {"args": CHROMIUM_ARGS}
    if os.path.exists(CHROMIUM):
        options["executable_path"] = CHROMIUM
    try:
        browser = playwright.chromium.launch(**options)
    except Exception as exc:
        playwright.stop()
        pytest.fail(
            f"Cannot launch Chromium ({options.get('executable_path', 'Playwright default')}): "
            f"{exc}\nInstall it with `apt-get install -y chromium` (`make test` does).",
            pytrace=False,
        )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
