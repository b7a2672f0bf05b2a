"""Who may open each dashboard, export and report: by address, by export and by filter,
nobody reads figures they should not."""

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROGRAMME_PAGES = [
    ("programme:overview", {}),
    ("programme:before_after", {}),
    ("programme:export", {"table": "levels", "format": "csv"}),
    ("programme:export", {"table": "before_after", "format": "xlsx"}),
    ("programme:report_pdf", {}),
]


def people(p):
    return {
        "learner": p.atlas_employee,
        "lead": p.atlas_lead,
        "coach of a cohort": p.coach_a,
        "coach of another cohort": p.coach_b,
    }


def get(client, user, name, args=(), query=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=args), query or {})


@pytest.mark.parametrize("name,query", PROGRAMME_PAGES)
def test_programme_pages_are_for_managers(client, small_programme, name, query):
    p = small_programme
    anonymous = get(client, None, name, query=query)
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]
    for who, user in people(p).items():
        assert get(client, user, name, query=query).status_code == 403, who
    assert get(client, p.manager, name, query=query).status_code == 200


@pytest.mark.parametrize(
    "name,query",
    [
        ("programme:cohort", {}),
        ("programme:cohort_export", {"table": "cohort_companies", "format": "csv"}),
    ],
)
def test_cohort_pages_are_for_managers_and_the_cohorts_coaches(
    client, small_programme, name, query
):
    p = small_programme
    args = [p.cohort_a.pk]
    anonymous = get(client, None, name, args, query)
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]
    refused = people(p)
    del refused["coach of a cohort"]
    for who, user in refused.items():
        assert get(client, user, name, args, query).status_code == 403, who
    assert get(client, p.coach_a, name, args, query).status_code == 200
    assert get(client, p.manager, name, args, query).status_code == 200


def test_an_unknown_cohort_is_refused_to_a_coach_and_missing_for_a_manager(client, small_programme):
    p = small_programme
    assert get(client, p.coach_a, "programme:cohort", [999999]).status_code == 403
    assert get(client, p.manager, "programme:cohort", [999999]).status_code == 404


def test_filters_cannot_widen_a_coachs_cohort_export(client, small_programme):
    p = small_programme
    query = {
        "table": "cohort_companies",
        "format": "csv",
        "cohort": p.cohort_b.pk,
        "programme": p.programme.pk,
        "sector": "",
    }
    response = get(client, p.coach_a, "programme:cohort_export", [p.cohort_a.pk], query)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["Atlas Retail", "Souss Tourisme"]
    page = get(client, p.coach_a, "programme:cohort", [p.cohort_a.pk], {"cohort": p.cohort_b.pk})
    assert "Rabat Commerce" not in page.content.decode()


def test_a_coach_cannot_reach_the_programme_figures_through_a_cohort_filter(
    client, small_programme
):
    p = small_programme
    for name in ("programme:overview", "programme:export"):
        query = {"cohort": p.cohort_a.pk, "table": "levels", "format": "csv"}
        assert get(client, p.coach_a, name, query=query).status_code == 403


def test_a_company_that_left_the_cohort_leaves_its_coachs_page(client, small_programme):
    from coaching.placements import move

    p = small_programme
    move(p.souss, p.cohort_b)
    page = get(client, p.coach_a, "programme:cohort", [p.cohort_a.pk]).content.decode()
    assert "Atlas Retail" in page
    assert "Souss Tourisme" not in page
