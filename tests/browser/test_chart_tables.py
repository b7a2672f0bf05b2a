"""Every chart has a table beside it with the same figures, so that a person who cannot see the
chart reads them: the programme's dashboards (bar charts) and the assessment results' radar, on
the demo's data, read from left to right and from right to left."""

import math
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessments.charts import CENTRE_X, CENTRE_Y, RADIUS
from assessments.models import Response
from coaching.models import Cohort
from tests import factories
from tests.coaching.rooms import session_cookie
from virage_site.companies.models import Company

pytestmark = pytest.mark.browser

# What each chart on a page shows, read from its drawing: the row labels and the values written
# at the end of the bars, or the radar's labels and the distance of its points from the centre.
READ_CHARTS = """() => [...document.querySelectorAll('main svg.bar-chart, main svg.radar')]
  .map((svg) => {
    const table = svg.closest(':has(table)').querySelector('table');
    const rows = [...table.querySelectorAll('tbody tr')].map((row) => ({
      headers: [...row.querySelectorAll('th')].map((cell) => cell.textContent.trim()),
      values: [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim()),
    }));
    if (svg.classList.contains('bar-chart')) {
      return {kind: 'bars', rows, drawn: [...svg.querySelectorAll(':scope > g')].map((g) => ({
        label: [...g.querySelectorAll('.chart-label tspan')].map((s) => s.textContent).join(' '),
        values: [...g.querySelectorAll('text:not(.chart-label)')].map((t) => t.textContent),
      }))};
    }
    return {kind: 'radar', rows, drawn: {
      labels: [...svg.querySelectorAll('.radar-labels > text')].map((text) =>
        [...text.querySelectorAll('tspan')].map((s) => s.textContent).join(' ')),
      points: [...svg.querySelectorAll('.radar-current circle')].map((dot) =>
        [Number(dot.getAttribute('cx')), Number(dot.getAttribute('cy'))]),
    }};
  })"""


def _number(text):
    found = re.search(r"-?\d+(?:[.,]\d+)?", text.replace("\u2212", "-"))
    return float(found.group().replace(",", ".")) if found else None


def _same_words(drawn, written):
    """A drawn label is the table's header, wrapped on lines and perhaps cut short with "…"."""
    drawn = " ".join(drawn.replace("…", "").split())
    return " ".join(written.split()).startswith(drawn)


def check_bars(chart, where):
    assert len(chart["drawn"]) == len(chart["rows"]), where
    for drawn, row in zip(chart["drawn"], chart["rows"], strict=True):
        assert _same_words(drawn["label"], " · ".join(row["headers"])), (where, drawn, row)
        for value in drawn["values"]:
            assert value in row["values"], f"{where}: {value} drawn for {row} is not in the table"


def check_radar(chart, where):
    drawn = chart["drawn"]
    assert len(drawn["labels"]) == len(chart["rows"]) == len(drawn["points"]), where
    for label, (x, y), row in zip(drawn["labels"], drawn["points"], chart["rows"], strict=True):
        assert _same_words(label, row["headers"][0]), (where, label, row)
        score = math.hypot(x - CENTRE_X, y - CENTRE_Y) / RADIUS * 100
        written = [_number(value) for value in row["values"]]
        assert any(value is not None and abs(value - score) <= 1 for value in written), (
            f"{where}: the point of {label} is at {score:.0f}, the table says {row['values']}"
        )


@pytest.fixture
def demo(transactional_db):
    factories.ensure_roots()
    call_command("load_demo", quiet=True)


def test_each_chart_has_a_table_with_the_same_figures(demo, browser, live_server):
    users = get_user_model().objects
    cohort = Cohort.objects.get()
    results = Response.objects.get(status=Response.Status.SUBMITTED)
    with_results = Company.objects.get(ice="002233445000078")
    people = {
        "manager@virage.ma": [
            ("programme:overview", []),
            ("programme:before_after", []),
            ("programme:cohort", [cohort.pk]),
        ],
        "coach@virage.ma": [
            ("assessments:results", [results.pk]),
            ("programme:company", [with_results.pk]),
        ],
    }
    counts = {"bars": 0, "radar": 0}
    for email, pages in people.items():
        context = browser.new_context(base_url=live_server.url)
        cookie = session_cookie(users.get(email=email))
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        page = context.new_page()
        for language in ("fr", "ar"):
            for name, args in pages:
                with translation.override(language):
                    path = reverse(name, args=args)
                assert page.goto(path).status == 200, path
                for chart in page.evaluate(READ_CHARTS):
                    counts[chart["kind"]] += 1
                    check = check_bars if chart["kind"] == "bars" else check_radar
                    check(chart, path)
        context.close()
    # The demo draws bar charts on the dashboards and radars for results and the company.
    assert counts["bars"] >= 2 and counts["radar"] >= 4, counts
