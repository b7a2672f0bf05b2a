"""The cross-site-scripting gate of what a page writes back from its address: a search, a
filter of the companies' list, the page to return to after logging in. A link carrying a
payload of the corpus, opened in Chromium, shows it as text and never runs it."""

from urllib.parse import urlencode

import pytest

from tests import factories
from tests.coaching.rooms import session_cookie

from .xss_payloads import batch, marked, numbers
from .xss_watch import new_watched_context

pytestmark = pytest.mark.browser

PAIRS = [numbers(2, start) for start in range(1, len(numbers()) + 1, 2)]


def test_no_payload_in_an_address_runs_on_the_page_it_opens(browser, live_server, site):
    lead = factories.add_member(factories.make_company(), role="lead")
    context, watch, page = new_watched_context(browser, live_server.url)
    try:
        for pair in PAIRS:
            target = batch("N", pair)
            address = f"/en/accounts/login/?{urlencode({'next': target})}"
            page.goto(address)
            watch.assert_inert(page, f"on {address}")
            assert page.locator("input[name=next]").input_value() == target
        context.add_cookies(
            [{"name": "sessionid", "value": session_cookie(lead), "url": live_server.url}]
        )
        # The search takes 200 characters (two payloads), the companies' filter 100 (one).
        searches = [("/en/search/", batch("S", pair, " ")) for pair in PAIRS]
        filters = [("/en/companies/", marked("F", number)) for number in numbers()]
        for path, query in searches + filters:
            address = f"{path}?{urlencode({'q': query})}"
            page.goto(address)
            watch.assert_inert(page, f"on {address}")
            # Shown back in the search box, as typed (a one-line box drops line breaks).
            shown = page.locator("input[name=q]").input_value()
            assert "".join(shown.split()) == "".join(query.split()), (address, shown)
    finally:
        context.close()
