"""Playwright fixtures for browser tests (mark them `e2e`; use with `live_server`).

Chromium is Debian's /usr/bin/chromium (`make test` installs it); Playwright's own browser
download does not work here. A missing browser fails the test, it never skips it.

Every browser context a test opens (the `page` fixture's, and any `browser.new_context()`
during the test) is watched for Content-Security-Policy violations: an init script, which the
page's policy does not govern, reports each `securitypolicyviolation` event, and console
errors that mention the policy are kept too. The test fails at teardown if there was any,
naming the page and what was blocked (docs/architecture.md, "Security headers").
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


# Runs in every document before its own scripts; init scripts are not subject to the
# page's Content-Security-Policy, and the binding is Playwright's, not a network request.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__qasiteCspViolation({
    page: event.documentURI,
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : "",
  });
}, true);
"""


class CspWatch:
    """Collects the Content-Security-Policy violations of the contexts it watches."""

    def __init__(self):
        self.violations: list[str] = []

    def watch(self, context) -> None:
        context.expose_binding("__qasiteCspViolation", self._on_event)
        context.add_init_script(script=CSP_LISTENER)
        context.on("console", self._on_console)

    def _on_event(self, source, report: dict) -> None:
        blocked = report.get("blocked") or "?"
        line = f"{report.get('page')}: {report.get('directive')} blocked {blocked}"
        if report.get("sample"):
            line += f" ({report['sample']!r})"
        if report.get("source"):
            line += f" at {report['source']}"
        self.violations.append(line)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text and message.type in {"error", "warning"}:
            page = message.page.url if message.page else "?"
            self.violations.append(f"{page}: console {message.type}: {message.text}")

    def check(self) -> None:
        """Fail the test if anything was blocked."""
        if self.violations:
            pytest.fail(self.report(), pytrace=False)

    def report(self) -> str:
        lines = list(dict.fromkeys(self.violations))
        return f"{len(lines)} Content-Security-Policy violation(s):\n" + "\n".join(
            f"  - {line}" for line in lines
        )


@pytest.fixture
def csp_watch(browser):
    """Watches every context the test opens; `page` fails the test with what it saw."""
    watch = CspWatch()
    new_context = browser.new_context

    def watched_context(**options):
        context = new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        watch.watch(context)
        return context

    browser.new_context = watched_context
    yield watch
    del browser.new_context  # back to the class's method


@pytest.fixture
def page(browser, csp_watch):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
    csp_watch.check()
