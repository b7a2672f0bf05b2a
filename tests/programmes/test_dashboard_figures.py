"""The dashboards' figures against values worked out by hand on the small programme (see
conftest.py for its data)."""

import pytest
from django.utils import translation

from virage_site.programmes.figures import before_after as comparison
from virage_site.programmes.figures import overview
from virage_site.programmes.figures.companies import company_table
from virage_site.programmes.figures.selection import Selection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def rows(table):
    return {row[0]: row[1:] for row in table.rows}


def everything(p, **filters):
    return Selection(instrument=p.instrument, **filters)


def test_companies_imported_invited_onboarded(small_programme):
    table = overview.onboarding(everything(small_programme))
    # 4 imported; Atlas and Souss have a lead who joined, Rabat's lead is invited.
    assert table.rows[0][1:] == [4, 100.0]
    assert table.rows[1][1:] == [3, 75.0]
    assert table.rows[2][1:] == [2, 50.0]


def test_assessments_taken_per_stage(small_programme):
    table = overview.assessments_taken(everything(small_programme))
    assert rows(table)["Small instrument"] == ["companies", 3, 2, 0]


def test_levels_read_each_companys_latest_result(small_programme):
    table = overview.maturity_levels(everything(small_programme))
    # Latest: Atlas T1 moderately advanced, Souss T1 average, Rabat T0 advanced; Fès none.
    assert [row[1:] for row in table.rows] == [
        [0, 0.0],
        [1, 25.0],
        [1, 25.0],
        [1, 25.0],
        [1, 25.0],
    ]


def test_dimensions_average_the_latest_results_with_level_bands(small_programme):
    table = overview.dimensions(everything(small_programme))
    # D1: 50, 30, 70 → 50.0; levels average (50, 30), moderately advanced (70).
    # D2: 65, 38, 85 → 62.7; average (38), moderately advanced (65), advanced (85).
    assert rows(table) == {
        "Strategy": [50.0, 3, 0, 2, 1, 0],
        "Data": [62.7, 3, 0, 1, 1, 1],
    }


def test_course_progress_counts_only_the_programmes_people(small_programme):
    table = overview.course_totals(everything(small_programme))
    assert [row[1] for row in table.rows] == [4, 3, 2, 3, 2, 1]
    assert [row[2] for row in table.rows[:3]] == [100.0, 75.0, 50.0]
    courses = overview.courses(everything(small_programme))
    assert courses.rows == [["Culture", 3, 2, 1, 66.7]]


def test_attendance_counts_places_at_sessions_held(small_programme):
    table = overview.attendance(everything(small_programme))
    # Cohort A: one session held, 3 people expected, 2 came (the coach does not count).
    # Cohort B: one session held, 1 expected, nobody came. The session to come does not count.
    assert table.rows == [["Promotion A", 1, 3, 2, 66.7], ["Promotion B", 1, 1, 0, 0.0]]


def test_action_items(small_programme):
    table = overview.action_items(everything(small_programme))
    assert [row[1] for row in table.rows] == [4, 2, 50.0, 3]


def test_filters_narrow_every_figure(small_programme):
    p = small_programme
    retail = everything(p, sector="retail")
    assert overview.onboarding(retail).rows[0][1] == 2
    assert rows(overview.dimensions(retail))["Strategy"][:2] == [60.0, 2]
    cohort_b = everything(p, cohort=p.cohort_b)
    assert overview.attendance(cohort_b).rows == [["Promotion B", 1, 1, 0, 0.0]]
    assert [row[1] for row in overview.action_items(cohort_b).rows] == [0, 0, None, 0]
    in_programme = everything(p, programme=p.programme)
    assert overview.onboarding(in_programme).rows[0][1] == 3  # Fès is in no cohort


def test_before_after_is_a_paired_comparison(small_programme):
    table = comparison.before_after(everything(small_programme), "T0-T1")
    # Only Atlas and Souss have T0 and T1; Rabat's T0 alone is left out.
    assert table.columns[1:] == ["Companies", "Average at T0", "Average at T1", "Change T0 → T1"]
    assert rows(table) == {
        "Strategy": [2, 15.0, 40.0, 25.0],
        "Data": [2, 22.5, 51.5, 29.0],
        "Overall score": [2, 20.0, 47.5, 27.5],
    }


def test_before_after_without_pairs_is_empty(small_programme):
    assert comparison.before_after(everything(small_programme), "T1-T2").rows == []


def test_before_after_by_sector_and_by_cohort(small_programme):
    p = small_programme
    summary, detail = comparison.by_group(everything(p), "T0-T1", "sector")
    assert rows(summary) == {
        "Retail trade": [1, 30.0, 60.0, 30.0],
        "Tourism, hotels and restaurants": [1, 10.0, 35.0, 25.0],
    }
    assert ["Tourism, hotels and restaurants", "Data", 1, 10.0, 38.0, 28.0] in detail.rows
    summary, _detail = comparison.by_group(everything(p), "T0-T1", "cohort")
    assert rows(summary) == {"Promotion A": [2, 20.0, 47.5, 27.5]}


def test_a_company_that_moved_counts_in_its_new_cohort(small_programme):
    from coaching.placements import move

    p = small_programme
    move(p.souss, p.cohort_b)
    summary, _detail = comparison.by_group(everything(p), "T0-T1", "cohort")
    assert rows(summary) == {
        "Promotion A": [1, 30.0, 60.0, 30.0],
        "Promotion B": [1, 10.0, 35.0, 25.0],
    }
    assert overview.onboarding(everything(p, cohort=p.cohort_a)).rows[0][1] == 1


def test_company_rows_of_a_cohort(small_programme):
    p = small_programme
    table = company_table(everything(p, cohort=p.cohort_a))
    assert [row[0] for row in table.rows] == ["Atlas Retail", "Souss Tourisme"]
    atlas = table.rows[0]
    assert atlas[4:] == ["T1", 60.0, "Moderately advanced", 2, 2, 1, 1, 2, 50.0]
