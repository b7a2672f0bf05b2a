"""The browser fixtures of tests/browser, shared by this folder's browser tests: one Chromium
(and one spare daphne) for the folder, closed when it is done."""

from tests.browser.conftest import browser, next_daphne, site  # noqa: F401
