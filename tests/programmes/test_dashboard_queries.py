"""Dashboards, exports and the report run the same number of queries for 3 companies as for 30:
the figures are counted in the database, never company by company."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionItem, Cohort
from coaching.placements import place
from courses.models import Certificate, Enrolment
from tests import factories
from tests.programmes.conftest import attend, held_session, submit
from virage_site.companies.models import Membership

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)
SECTORS = ("retail", "tourism", "digital")


def add_companies(p, count):
    """`count` more companies spread over two new cohorts and three sectors, each with a lead
    and an employee, results at T0 and T1, learning, a session attended and action items."""
    done = timezone.now()
    cohorts = [
        Cohort.objects.create(programme=p.programme, name=f"Promotion {next(_numbers)}")
        for _ in range(2)
    ]
    sessions = {cohort.pk: held_session(cohort, "Séance", days_ago=3) for cohort in cohorts}
    for n in range(count):
        cohort = cohorts[n % 2]
        company = factories.make_company(sector=SECTORS[n % 3])
        place(company, cohort)
        lead = factories.add_member(company, role=Membership.Role.LEAD)
        employee = factories.add_member(company)
        submit(p.instrument, company, "T0", 20 + n, "basic", {"D1": 20 + n, "D2": 20}, 100)
        submit(p.instrument, company, "T1", 40 + n, "average", {"D1": 40 + n, "D2": 45}, 2)
        Enrolment.objects.create(user=employee, course_key=p.course.translation_key)
        Enrolment.objects.create(user=lead, course_key=p.course.translation_key, completed_at=done)
        Certificate.objects.create(
            user=lead,
            course_key=p.course.translation_key,
            learner_name="Lead",
            course_title="Culture",
            language="fr",
        )
        attend(sessions[cohort.pk], employee, 1)
        ActionItem.objects.create(company=company, text="Agir", done_at=done)
        ActionItem.objects.create(company=company, text="Agir encore", due_on=done + timedelta(7))
    return cohorts


def queries(client, name, args=(), query=None):
    """Queries of one request, once caches filled by a first one (site, locale, sessions)."""
    client.get(reverse(name, args=args), query or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name, args=args), query or {})
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries)


ADDRESSES = [
    ("programme:overview", {}),
    ("programme:overview", {"sector": "retail", "programme": "programme"}),
    ("programme:before_after", {}),
    ("programme:before_after", {"group": "cohort", "compare": "T0-T1-T2"}),
    ("programme:before_after", {"group": "sector"}),
    ("programme:export", {"table": "dimensions_by_group", "group": "region", "format": "xlsx"}),
    ("programme:export", {"table": "attendance", "format": "csv"}),
]


def test_programme_pages_cost_the_same_for_3_and_30_companies(client, small_programme):
    p = small_programme
    client.force_login(p.manager)

    def measure():
        found = []
        for name, query in ADDRESSES:
            if query.get("programme") == "programme":
                query = {**query, "programme": p.programme.pk}
            found.append(queries(client, name, query=query))
        return found

    add_companies(p, 3)
    few = measure()
    add_companies(p, 27)
    many = measure()
    assert few == many
    assert max(many) <= 35


def test_cohort_page_costs_the_same_for_3_and_30_companies(client, small_programme):
    p = small_programme
    client.force_login(p.coach_a)
    few = queries(client, "programme:cohort", [p.cohort_a.pk])
    for company in [factories.make_company() for _ in range(28)]:
        place(company, p.cohort_a)
        factories.add_member(company, role=Membership.Role.LEAD)
        submit(p.instrument, company, "T0", 50, "average", {"D1": 50, "D2": 50}, 10)
        ActionItem.objects.create(company=company, text="Agir")
    many = queries(client, "programme:cohort", [p.cohort_a.pk])
    assert few == many
    export = queries(
        client,
        "programme:cohort_export",
        [p.cohort_a.pk],
        {"table": "cohort_companies", "format": "csv"},
    )
    assert export <= many


def test_report_costs_the_same_for_3_and_30_companies(client, small_programme):
    p = small_programme
    client.force_login(p.manager)
    add_companies(p, 3)
    few = queries(client, "programme:report_pdf")
    add_companies(p, 27)
    assert queries(client, "programme:report_pdf") == few
