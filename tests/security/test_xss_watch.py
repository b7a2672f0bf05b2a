"""The gate's own check: written unescaped into a page, in the contexts where user text lands
(between tags, in quoted attributes, in `<textarea>`/`<title>`/`<style>`, in a script's string,
in a link's address), every payload of the corpus that can run without being decoded first is
caught by the watch. So the gate tests can fail: a template or script that stops escaping a
field would let one of these through, and the watch would see it."""

import pytest
from django.utils.html import escape, json_script

from .xss_payloads import NEED_DECODING, PAYLOADS
from .xss_watch import new_watched_context

pytestmark = pytest.mark.browser

# Each context written the way a careless template would write a value into it.
UNESCAPED_CONTEXTS = """<!doctype html><html><head><title>{p}</title></head><body>
<div>{p}</div>
<input value="{p}"><input value='{p}'>
<textarea>{p}</textarea>
<style>p::after {{ content: "{p}"; }}</style>
<script>const single = '{p}'; const double = "{p}";</script>
<a href="{p}">link</a>
</body></html>"""
# The same places, as Django writes them: escaped, and scripts' data through `json_script`.
# Not a link's address: escaping does not make `javascript:` safe there (the watch flags it).
ESCAPED_CONTEXTS = """<!doctype html><html><head><title>{p}</title></head><body>
<div>{p}</div>
<input value="{p}"><input value='{p}'>
<textarea>{p}</textarea>
{data}
</body></html>"""


def caught(watch, page, content):
    watch.ran.clear()
    page.set_content(content)
    page.evaluate("() => new Promise(requestAnimationFrame)")
    return bool(watch.ran) or bool(watch.injected(page))


def test_the_watch_catches_every_payload_written_unescaped(browser):
    context, watch, page = new_watched_context(browser, "http://127.0.0.1")
    try:
        missed = [
            f"{number}: {payload}"
            for number, payload in enumerate(PAYLOADS, start=1)
            if number not in NEED_DECODING
            and not caught(watch, page, UNESCAPED_CONTEXTS.format(p=payload))
        ]
        assert not missed, f"payloads the watch does not catch unescaped: {missed}"
        # Escaped, as Django's templates write them, none is caught.
        flagged = [
            payload
            for payload in PAYLOADS
            if caught(
                watch,
                page,
                ESCAPED_CONTEXTS.format(p=escape(payload), data=json_script(payload, "data")),
            )
        ]
        assert flagged == [], f"escaped text taken for a payload: {flagged}"
    finally:
        context.close()
