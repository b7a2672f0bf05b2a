"""axe-core, the accessibility engine, run inside a page the browser tests opened.

axe-core is an npm package pinned in `axe/package.json` (and its lock file); `bin/test`
installs it with `npm ci`. The tests load it into each page with `add_script_tag`, which
writes it inline: contexts that run it are made with `bypass_csp=True`, as the site's
Content-Security-Policy allows no inline script.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

AXE_FOLDER = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"
MISSING = "axe-core is not installed (bin/test installs it: npm ci --prefix tests/browser/axe)"
# What stops a person from using a page, or makes it very hard; "moderate" and "minor" findings
# are reported by axe but do not fail the gate.
BLOCKING = ("serious", "critical")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    where: str
    elements: tuple

    def __str__(self):
        shown = ", ".join(self.elements[:3]) + (" …" if len(self.elements) > 3 else "")
        return f"{self.rule} ({self.impact}) on {self.where}: {self.help} [{shown}]"


def require_axe():
    if AXE_SCRIPT.exists():
        return
    if os.environ.get("VIRAGE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"VIRAGE_REQUIRE_BROWSER=1 but {MISSING}", pytrace=False)
    pytest.skip(MISSING)


def blocking_violations(page, where):
    """The serious and critical violations axe finds in the page as it is now; `where` names
    the page in the report."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE_SCRIPT)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        Violation(
            rule=found["id"],
            impact=found["impact"],
            help=found["help"],
            where=where,
            elements=tuple(" ".join(map(str, node["target"])) for node in found["nodes"]),
        )
        for found in results["violations"]
        if found["impact"] in BLOCKING
    ]
