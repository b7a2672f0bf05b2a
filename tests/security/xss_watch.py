"""Watching Chromium for a payload of the corpus that ran, or that could run.

A payload that ran is caught three ways: it called the `__xss` sink (a binding of the browser
context, present in every frame), it opened a dialog (`alert`), or it failed loudly trying to
(a frame without the sink raises "__xss is not defined"). A payload that could run on a click or
a hover, but did not yet, is caught by reading the DOM: an event-handler attribute, a script
element, a `javascript:`/`data:` address or a CSS expression that carries the payload.

Contexts are made with `bypass_csp`: a Content-Security-Policy header may well block inline
scripts, but these tests check that escaping alone keeps every payload inert.
"""

from tests.browser.conftest import TIMEOUT_MS

from .xss_payloads import SINK

# Everything in the DOM, in every frame, that would run a payload: what the page's own code
# never has (it carries no inline handlers and no script addresses).
FIND_INJECTED = r"""
() => {
  const runs = /__xss\(|alert\(\d/;
  const scriptAddress = /^(\d*;?url=)?(javascript|data|vbscript):/;
  const addresses = ["href", "xlink:href", "src", "action", "formaction", "data", "content"];
  const found = [];
  const describe = (node) => node.outerHTML.slice(0, 160);
  for (const node of document.querySelectorAll("*")) {
    for (const attr of node.attributes) {
      const name = attr.name.toLowerCase();
      const compact = attr.value.replace(/[\s\x00-\x1f]/g, "").toLowerCase();
      if (name.startsWith("on") && runs.test(attr.value)) found.push(describe(node));
      else if (name === "srcdoc" && runs.test(attr.value)) found.push(describe(node));
      else if (name === "style" && /expression|__xss/.test(compact)) found.push(describe(node));
      else if (addresses.includes(name) && scriptAddress.test(compact) && runs.test(compact)) {
        found.push(describe(node));
      }
    }
    const tag = node.localName;
    const type = (node.getAttribute("type") || "").toLowerCase();
    const isCode = tag === "script" && !type.includes("json");
    if ((isCode || tag === "style") && runs.test(node.textContent)) found.push(describe(node));
  }
  return found;
}
"""


class ScriptWatch:
    """Records every sign that a payload ran in the pages of one browser context."""

    def __init__(self, context):
        self.context = context
        self.ran = []
        context.expose_binding(SINK, self._sink_called)

    def _sink_called(self, source, number):
        self.ran.append(f"__xss({number}) in {source['frame'].url}")

    def watch(self, page):
        page.on("dialog", self._dialog)
        page.on("pageerror", self._page_error)
        return page

    def _dialog(self, dialog):
        self.ran.append(f"{dialog.type}({dialog.message}) in {dialog.page.url}")
        dialog.dismiss()

    def _page_error(self, error):
        if SINK in str(error):
            self.ran.append(f"{error} (a payload ran in a frame without the sink)")

    def injected(self, page):
        """The elements of the page (all its frames) that carry a payload able to run."""
        found = []
        for frame in page.frames:
            try:
                found.extend(f"{frame.url}: {html}" for html in frame.evaluate(FIND_INJECTED))
            except Exception as error:  # noqa: BLE001 (a frame gone or out of reach)
                found.append(f"{frame.url}: not readable ({error})")
        return found

    def assert_inert(self, page, where=""):
        """No payload ran in this context so far, and none is waiting in the page."""
        # Handlers such as onerror fire once the page has settled; let them.
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise(requestAnimationFrame)")
        assert not self.ran, f"a payload ran {where}: {self.ran}"
        injected = self.injected(page)
        assert not injected, f"payloads able to run {where}: {injected}"


def new_watched_context(browser, base_url, cookies=(), **options):
    """A fresh context (CSP bypassed) with its watch: (context, watch, page)."""
    context = browser.new_context(base_url=base_url, bypass_csp=True, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    if cookies:
        context.add_cookies(list(cookies))
    watch = ScriptWatch(context)
    return context, watch, watch.watch(context.new_page())


# The text of a node as the page shows it, hidden or not: not the contents of scripts (a
# `json_script` holds the same texts), styles or templates.
SHOWN_TEXT = """
nodes => nodes.map(node => {
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest("script, style, template")) {
      parts.push(walker.currentNode.data);
    }
  }
  return parts.join(" ");
})
"""


def shown_text(page, selector="body"):
    """The text of the elements under `selector`, joined, whitespace collapsed."""
    texts = page.locator(selector).evaluate_all(SHOWN_TEXT)
    return " ".join(" ".join(texts).split())


def missing_markers(page, markers, selector="body"):
    """The markers (see xss_payloads.marker) that the page does not show as text."""
    text = shown_text(page, selector)
    return [marker for marker in markers if marker not in text]
