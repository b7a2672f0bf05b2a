"""Browser fixtures: Debian's Chromium driven by Playwright (sync API), against pytest-django's
live server.

One browser serves every test of this folder (package scope: it is closed when the folder is
done, so the event loop Playwright's sync API keeps running in the main thread never leaks into
the asyncio tests that run later); each test gets a fresh context (cookies, storage) and page.
`browser_type.launch()` gives Chromium a fresh temporary profile of its own
(`--user-data-dir=/tmp/playwright_chromiumdev_profile-…`), removed when the browser closes.
"""

import os
from pathlib import Path

import pytest

from tests import factories
from tests.servers import start_daphne

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = "Debian's chromium is not installed (apt-get install chromium)"
TIMEOUT_MS = 15_000
SCREENSHOTS = Path("/tmp/virage-screenshots")  # for people to look at; not asserted


def _require_chromium():
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return
    if os.environ.get("VIRAGE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"VIRAGE_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: {MISSING}", pytrace=False)
    pytest.skip(MISSING)


# Every page reports what the Content-Security-Policy refused (the event fires in the page; the
# init script runs outside the policy): a refused script or style is a broken page.
_REPORT_POLICY_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`${POLICY_VIOLATION} ${event.violatedDirective} ${event.blockedURI}`);
});
""".replace("POLICY_VIOLATION", '"Content-Security-Policy violation:"')
policy_violations = []


def watch_policy_violations(chromium):
    """Makes every context of `chromium` record the policy violations of its pages."""
    open_context = chromium.new_context

    def new_context(**options):
        context = open_context(**options)
        context.add_init_script(_REPORT_POLICY_VIOLATIONS)
        context.on("console", _record_violation)
        return context

    chromium.new_context = new_context
    return chromium


def _record_violation(message):
    if message.type == "error" and "Content-Security-Policy violation:" in message.text:
        policy_violations.append(f"{message.page.url if message.page else ''}: {message.text}")


@pytest.fixture(autouse=True)
def no_policy_violations():
    policy_violations.clear()
    yield
    assert not policy_violations, "The page broke the Content-Security-Policy:\n" + "\n".join(
        policy_violations
    )


@pytest.fixture(scope="package")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield watch_policy_violations(chromium)
        chromium.close()


@pytest.fixture(scope="package")
def next_daphne():
    """Gives each test its daphne process, started while the test before ran: a process takes
    seconds to import Virage before it listens, and one that has served nothing yet is as
    fresh as one started when the test begins. The one left over is stopped at the end."""
    spare = []

    def take():
        server = spare.pop() if spare else start_daphne(wait=False)
        try:
            server.wait_until_listening()
        except BaseException:
            server.stop()
            raise
        spare.append(start_daphne(wait=False))
        return server

    yield take
    for server in spare:
        server.stop()


@pytest.fixture
def site(live_server):
    """The home page and the catalogue in fr/ar/en, on a database the live server shares
    (with the tree roots a transactional test's flush removed put back)."""
    factories.ensure_roots()
    return factories.build_site()


@pytest.fixture
def make_page(browser, live_server):
    """Open pages in fresh contexts: `make_page(width=360)`; all are closed after the test."""
    contexts = []

    def make(width=1280, height=900, **options):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
