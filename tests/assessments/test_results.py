"""The results page: scores, levels, recommendations, radar chart and its table, evolution across
stages, comparison with similar companies; and its constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import charts
from assessments.levels import level_label
from assessments.loading import install_instrument
from assessments.services.responses import reopen, start_or_resume
from assessments.services.results import build_results, rounded
from tests import factories
from tests.assessments import taking_helpers as helpers
from tests.assessments.definitions import options, rows, small_instrument, t

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Pages in English, so that texts are checked as written whatever the catalogues hold."""
    translation.activate("en")


# D1 100, D2 0: overall (100 × 1 + 0 × 2) / 3 = 33.3.
MIXED = {
    "Q1": 3,
    "Q2": [1, 2],
    "Q3": {str(n): ["done"] for n in range(1, 5)},
    "Q4": {"1": 0, "2": 0},
}
# D1 79.17 and D2 65 (see test_taking): overall 69.72.
MIDDLE = {
    "Q1": 3,
    "Q2": [1, 2],
    "Q3": {"1": ["done"], "2": ["planned"]},
    "Q4": {"1": 5, "2": 0},
    "Q5": {"1": "yes", "2": "partially"},
    "Q6": 3,
    "Q7": 10,
    "Q8": 2,
}
NOT_ENOUGH_COMPANIES = "There are not yet enough similar companies to compare with"


@pytest.fixture
def instrument():
    return helpers.company_instrument()


@pytest.fixture
def mine(instrument):
    company, lead = helpers.company_with_lead(sector="retail", size_band="micro")
    return company, lead


def read(client, user, response):
    client.force_login(user)
    page = client.get(helpers.results_url(response))
    assert page.status_code == 200
    return page.content.decode()


def test_scores_levels_and_recommendations(client, instrument, mine):
    company, lead = mine
    response = helpers.submitted(instrument, MIDDLE, company=company)
    html = read(client, lead, response)
    assert "<strong>70</strong>" in html  # 69.72, rounded for display only
    assert response.overall == pytest.approx(69.72, abs=0.01)
    assert str(level_label("moderately_advanced")) in html
    # D1 79 is "advanced": its recommendation for that level is shown.
    assert "Lead." in html and "Scale up." not in html
    assert str(level_label("advanced")) in html


def test_rounding_for_display_rounds_halves_up():
    assert [rounded(v) for v in (37.3, 37.5, 36.5, 0.49, 100.0)] == [37, 38, 37, 0, 100]


def test_radar_chart_is_inline_svg_with_a_caption_and_a_table(client, instrument, mine):
    company, lead = mine
    helpers.submitted(instrument, helpers.LOW, company=company)
    second = helpers.submitted(instrument, MIXED, company=company)
    html = read(client, lead, second)
    assert '<svg class="radar"' in html
    assert 'role="img" aria-labelledby="radar-caption"' in html
    assert '<figcaption id="radar-caption">' in html
    assert '<g class="radar-previous">' in html and '<g class="radar-current">' in html
    assert "<script" not in html.split('<svg class="radar"')[1].split("</svg>")[0]
    assert '<th scope="col">T0</th><th scope="col">T1</th>' in html
    assert '<th scope="row">Strategy</th><td>0</td><td>100</td>' in html


def test_a_first_stage_has_no_previous_polygon(client, instrument, mine):
    company, lead = mine
    html = read(client, lead, helpers.submitted(instrument, MIXED, company=company))
    assert "radar-previous" not in html.split("<svg")[1].split("</svg>")[0]
    assert "Evolution across stages" not in html


def test_the_radar_mirrors_for_right_to_left_pages():
    series = [charts.Series("T0", [100, 100, 100, 100], "radar-current")]
    ltr = str(charts.radar(["A", "B", "C", "D"], series, labelledby="c"))
    rtl = str(charts.radar(["A", "B", "C", "D"], series, labelledby="c", rtl=True))
    # The first axis is at the top; the second to the right, or to the left in Arabic.
    assert 'points="320.0,90.0 470.0,240.0 320.0,390.0 170.0,240.0"' in ltr
    assert 'points="320.0,90.0 170.0,240.0 320.0,390.0 470.0,240.0"' in rtl
    assert 'direction="rtl"' in rtl
    # A label on the right grows rightwards: "start" left to right, "end" right to left.
    assert '<text text-anchor="start"><tspan x="488.0"' in ltr
    assert '<text text-anchor="end"><tspan x="488.0"' in rtl
    assert charts.radar([], series, labelledby="c") == ""


def test_the_radar_escapes_labels():
    svg = str(charts.radar(["<b>", "x", "y"], [], labelledby="c"))
    assert "&lt;b&gt;" in svg and "<b>" not in svg


def test_evolution_across_stages_with_deltas(client, instrument, mine):
    company, lead = mine
    first = helpers.submitted(instrument, MIDDLE, company=company)
    second = helpers.submitted(instrument, helpers.HIGH, company=company)
    third = helpers.submitted(instrument, helpers.LOW, company=company)
    html = read(client, lead, second)
    assert "Evolution across stages" in html
    # D1 79 → 100: +21; D2 65 → 100: +35; overall 70 → 100: +30.
    assert 'T0 79 <span class="arrow" aria-hidden="true">→</span> T1 100' in html
    assert '<span class="delta" dir="ltr">(+21)</span>' in html
    assert '<span class="delta" dir="ltr">(+35)</span>' in html
    assert '<span class="delta" dir="ltr">(+30)</span>' in html
    assert '<span class="delta" dir="ltr">(-100)</span>' in html  # T2 is on record too
    results = build_results(third)
    assert results.previous_stage == "T1"
    assert [cell.delta for cell in results.dimensions[0].stages] == [None, 21, -100]
    assert build_results(first).previous_stage is None


def similar(instrument, answers, **fields):
    company, _lead = helpers.company_with_lead(**fields)
    return helpers.submitted(instrument, answers, company=company)


def test_peer_comparison_counts_each_similar_company_once_at_the_same_stage(
    client, instrument, mine
):
    company, lead = mine
    response = helpers.submitted(instrument, MIDDLE, company=company)
    for answers in (helpers.HIGH, helpers.HIGH, helpers.LOW, helpers.LOW):
        similar(instrument, answers, sector="retail", size_band="small")
    for _ in range(3):
        similar(instrument, helpers.HIGH, sector="tourism", size_band="micro")
    # Not counted: a draft, another stage, a reopened result, another instrument.
    draft_company, _ = helpers.company_with_lead(sector="retail")
    start_or_resume(instrument, "T0", company=draft_company)
    later = similar(instrument, helpers.HIGH, sector="retail", size_band="small")
    helpers.submitted(instrument, helpers.HIGH, company=later.company)  # its T1
    reopen(similar(instrument, helpers.HIGH, sector="retail"))
    other = install_instrument(small_instrument(slug="other"))
    similar(other, helpers.HIGH, sector="retail")

    sector, size = build_results(response).peer_groups
    assert (sector.count, size.count) == (5, 3)  # `later` counts once, with its T0

    similar(instrument, MIXED, sector="retail", size_band="small")
    html = read(client, lead, response)
    assert html.count(NOT_ENOUGH_COMPANIES) == 1  # the size group has 3
    sector, size = build_results(response).peer_groups
    # Sector: HIGH, HIGH, LOW, LOW, MIXED, plus `later` (HIGH at T0): 6 companies.
    # D1: (100 + 100 + 0 + 0 + 100 + 100) / 6 = 66.67; D2: (100 + 100 + 0 + 0 + 0 + 100) / 6
    # = 50; overall: (100 + 100 + 0 + 0 + 33.33 + 100) / 6 = 55.56.
    assert sector.count == 6 and sector.shown
    assert sector.dimensions["D1"] == pytest.approx(66.667, abs=1e-3)
    assert sector.dimensions["D2"] == pytest.approx(50.0)
    assert sector.overall == pytest.approx(55.556, abs=1e-3)
    assert not size.shown
    assert "Average of 6 results at T0" in html
    assert '<th scope="row">Strategy</th><td>79</td><td>67</td>' in html
    assert '<th scope="row">Overall</th><td>70</td><td>56</td>' in html


def test_peer_comparison_hidden_with_four_and_shown_with_five(client, instrument, mine):
    company, lead = mine
    response = helpers.submitted(instrument, MIDDLE, company=company)
    for answers in (helpers.HIGH, helpers.HIGH, helpers.LOW, helpers.LOW):
        similar(instrument, answers, sector="retail", size_band="medium")
    assert "peers-table" not in read(client, lead, response)
    similar(instrument, MIXED, sector="retail", size_band="medium")
    html = read(client, lead, response)
    assert html.count("peers-table") == 1
    sector = build_results(response).peer_groups[0]
    # HIGH, HIGH, LOW, LOW, MIXED: D1 (100 + 100 + 0 + 0 + 100) / 5 = 60, D2 40,
    # overall (100 + 100 + 0 + 0 + 33.33) / 5 = 46.67.
    assert sector.dimensions == pytest.approx({"D1": 60.0, "D2": 40.0})
    assert sector.overall == pytest.approx(46.667, abs=1e-3)
    assert '<th scope="row">Data</th><td>65</td><td>40</td>' in html


def test_a_self_check_compares_with_colleagues_only_from_five(client):
    instrument = helpers.person_instrument()
    company, lead = helpers.company_with_lead()
    mine = helpers.submitted(instrument, MIDDLE, person=lead)
    colleagues = [factories.add_member(company) for _ in range(5)]
    for person in colleagues[:4]:
        helpers.submitted(instrument, helpers.HIGH, person=person)
    outsider = factories.make_user()
    helpers.submitted(instrument, helpers.LOW, person=outsider)  # another company's person
    html = read(client, lead, mine)
    assert "My results" in html
    assert "Not enough of your colleagues" in html
    assert NOT_ENOUGH_COMPANIES not in html
    helpers.submitted(instrument, helpers.LOW, person=colleagues[4])
    group = build_results(mine).peer_groups[0]
    assert (group.count, group.shown) == (5, True)
    assert group.dimensions == pytest.approx({"D1": 80.0, "D2": 80.0})


def large_definition(dimensions=6, questions=8):
    """An instrument of every question type, `dimensions` × `questions` large."""
    kinds = [
        {"type": "single_choice", "options": options(0, 1, 2, key="points")},
        {"type": "multi_choice", "options": options(1, 1, 1, 1)},
        {"type": "grid_scale", "rows": rows(5)},
        {"type": "grid_yes_partial_no", "rows": rows(4)},
        {"type": "grid_two_columns", "rows": rows(6)},
        {"type": "likert", "points": 5},
        {"type": "numeric", "bands": [{"min": 0, "max": 10, "points": 1}]},
    ]
    return {
        "slug": "large",
        "audience": "company",
        "title": t("Large"),
        "dimensions": [
            {"code": f"D{d}", "title": t(f"Dimension {d}"), "recommendations": {"basic": t("Go")}}
            for d in range(1, dimensions + 1)
        ],
        "questions": [
            {
                "code": f"Q{d}-{q}",
                "dimension": f"D{d}",
                "text": t(f"Question {d}.{q}"),
                **kinds[q % len(kinds)],
            }
            for d in range(1, dimensions + 1)
            for q in range(1, questions + 1)
        ],
    }


def count_queries(client, url):
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200, url
    return len(captured)


def test_results_page_queries_do_not_grow_with_companies_or_questions(client, instrument, mine):
    company, lead = mine
    client.force_login(lead)
    helpers.submitted(instrument, helpers.LOW, company=company)
    response = helpers.submitted(instrument, MIDDLE, company=company)
    alone = count_queries(client, helpers.results_url(response))
    for _ in range(6):
        similar(instrument, helpers.HIGH, sector="retail", size_band="micro")
    assert count_queries(client, helpers.results_url(response)) == alone
    assert alone <= 15

    large = install_instrument(large_definition())
    big = helpers.submitted(large, {"Q1-1": [1, 2], "Q2-2": {"1": 5}}, company=company)
    for _ in range(6):
        similar(large, {"Q3-3": {"1": "yes"}}, sector="retail")
    assert count_queries(client, helpers.results_url(big)) == alone


def test_dashboard_card_queries_do_not_grow_with_results(client, instrument, mine):
    company, lead = mine
    client.force_login(lead)
    helpers.submitted(instrument, helpers.LOW, company=company)
    one = count_queries(client, reverse("dashboard"))
    person = helpers.person_instrument()
    install_instrument({**large_definition(), "slug": "large"})
    helpers.submitted(instrument, MIDDLE, company=company)
    helpers.submitted(person, MIDDLE, person=lead)
    other_company = factories.make_company()
    factories.add_member(other_company, lead)
    helpers.submitted(instrument, helpers.HIGH, company=other_company)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Latest result" in page
    assert count_queries(client, reverse("dashboard")) == one


def test_the_dashboard_card_says_what_to_take_next(client, instrument, mine):
    company, lead = mine
    client.force_login(lead)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Take “Small instrument” (T0)" in html
    assert f'name="company" value="{company.pk}"' in html
    helpers.start(client, instrument, company)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Resume “Small instrument” (T0)" in html
    factories_user = factories.make_user()
    client.force_login(factories_user)
    assert 'id="assessments-title"' not in client.get(reverse("dashboard")).content.decode()
