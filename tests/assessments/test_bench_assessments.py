"""The assessments benchmark runs end to end on a few companies, on the test database (its
figures are not written anywhere): every figure is measured against its baseline, the import
stores every result, and a company's path costs the same number of queries for every company."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from assessments.loading import install_instrument
from assessments.models import DimensionScore, PathRule, Response, RuleSet
from bench.assessments_measure import run
from courses.models import ModulePage
from tests import factories

pytestmark = pytest.mark.django_db

MATURITY = Path(__file__).resolve().parents[2] / "site/demo/content/assessments/maturity-sme.json"
COMPANIES = 20


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached rule books outlive each test's database: start and end with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rules(catalogue):
    """The reference instrument, a course of two modules, and company rules that read it as
    the demo rules do: a score range requires the course or recommends a module, and the first
    module completed unlocks the second."""
    instrument = install_instrument(json.loads(MATURITY.read_text(encoding="utf-8")))
    course, _lessons = factories.build_course(catalogue, modules=2, lessons=1)
    first, second = ModulePage.objects.child_of(course).order_by("path")
    rule_set = RuleSet.objects.create(name="Parcours")
    score = {"condition": "score", "instrument": instrument, "dimension_code": "D2"}
    for order, (target, fields) in enumerate(
        [
            (course, {"action": "require", "min_score": 0, "max_score": 51, **score}),
            (first, {"action": "recommend", "min_score": 51, "max_score": 100, **score}),
            (second, {"action": "unlock", "condition": "completed", "condition_page": first}),
        ]
    ):
        PathRule.objects.create(rule_set=rule_set, sort_order=order, target=target, **fields)


def test_every_figure_is_measured_against_its_baseline(rules, tmp_path):
    messages = []
    with translation.override("fr"):
        outcome = run(COMPANIES, seed=7, rounds=2, work_dir=tmp_path, log=messages.append)

    figures = {figure.name: figure for figure in outcome.figures}
    assert list(figures) == ["score", "clean", "submit", "paths", "latest-read", "paths-engine"]
    for figure in outcome.figures:
        assert figure.companies == COMPANIES
        assert figure.seconds > 0 and figure.baseline_seconds > 0
        assert figure.ratio == pytest.approx(figure.seconds / figure.baseline_seconds)
        line = figure.as_json()
        assert {"figure", "seconds", "per_company_ms", "baseline_seconds", "ratio"} <= set(line)
        json.dumps(line)
    assert Response.objects.submitted().filter(source="import").count() == COMPANIES
    assert DimensionScore.objects.count() == 6 * COMPANIES
    assert figures["submit"].queries >= 2  # at least each response and its scores
    assert len(outcome.notes["path_queries"]) == 1, outcome.notes["path_queries"]
    assert outcome.notes["path_items"] >= 1
    assert sum(outcome.notes["levels"].values()) == COMPANIES
    assert messages
