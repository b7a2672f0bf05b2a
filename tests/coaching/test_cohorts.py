"""Cohorts: programme managers form them in the admin; their coaches see the assessment
results of the companies in them, and of no other company."""

import datetime

import pytest
from django.urls import reverse

from assessments.loading import install_instrument
from assessments.services.responses import save_answers, start_or_resume, submit
from coaching.models import Cohort, Programme
from tests import factories
from tests.assessments.definitions import small_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return Programme.objects.create(
        name="TPME 2026", starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2027, 6, 30)
    )


def submitted_result(instrument, company):
    lead = factories.add_member(company, role="lead")
    response = start_or_resume(instrument, "T0", company=company, filled_by=lead)
    save_answers(response, {"Q1": 2, "Q4": {"1": 3, "2": 3}})
    return submit(response)


@pytest.fixture
def world(programme):
    instrument = install_instrument(small_instrument())
    coached, other = factories.make_company(name="Atelier suivi"), factories.make_company()
    coach, other_coach = factories.make_user(role="coach"), factories.make_user(role="coach")
    cohort = Cohort.objects.create(programme=programme, name="Promotion Fès")
    cohort.companies.add(coached)
    cohort.coaches.add(coach)
    other_cohort = Cohort.objects.create(programme=programme, name="Promotion Agadir")
    other_cohort.companies.add(other)
    other_cohort.coaches.add(other_coach)
    return {
        "coach": coach,
        "other_coach": other_coach,
        "coached_result": submitted_result(instrument, coached),
        "other_result": submitted_result(instrument, other),
    }


def results_url(response):
    return reverse("assessments:results", args=[response.pk])


def test_a_coach_reads_the_results_of_the_companies_they_coach_and_only_those(client, world):
    client.force_login(world["coach"])
    assert client.get(results_url(world["coached_result"])).status_code == 200
    assert client.get(results_url(world["other_result"])).status_code == 404
    client.force_login(world["other_coach"])
    assert client.get(results_url(world["coached_result"])).status_code == 404


def test_a_coach_finds_their_companies_results_on_my_assessments(client, world):
    client.force_login(world["coach"])
    page = client.get(reverse("assessments:index")).content.decode()
    assert 'id="followed-title"' in page
    assert "Atelier suivi" in page
    assert results_url(world["coached_result"]) in page
    assert results_url(world["other_result"]) not in page


def test_a_coach_removed_from_the_cohort_no_longer_sees_its_results(client, world):
    Cohort.objects.get(name="Promotion Fès").coaches.remove(world["coach"])
    client.force_login(world["coach"])
    assert client.get(results_url(world["coached_result"])).status_code == 404


def test_a_programme_manager_forms_a_cohort_in_the_admin(client, programme):
    company = factories.make_company(name="Coopérative Souss")
    coach = factories.make_user(role="coach")
    learner = factories.make_user()
    client.force_login(factories.make_user(role="manager"))
    add = reverse("cohorts:add")
    form = client.get(add)
    assert form.status_code == 200
    # Only members of the coaches' group are offered as coaches.
    coaches = form.context["form"].fields["coaches"].queryset
    assert coach in coaches and learner not in coaches
    response = client.post(
        add,
        {
            "programme": programme.pk,
            "name": "Promotion Souss",
            "coaches": [coach.pk],
            "companies": [company.pk],
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Promotion Souss")
    assert list(cohort.companies.all()) == [company]
    assert cohort.placements.get().joined_at is not None
    assert list(cohort.coaches.all()) == [coach]


def test_a_programme_cannot_end_before_it_starts(client):
    client.force_login(factories.make_user(role="manager"))
    response = client.post(
        reverse("programmes:add"),
        {"name": "À l'envers", "starts_on": "2026-06-01", "ends_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not Programme.objects.exists()


def test_a_learner_cannot_open_the_cohort_admin(client):
    client.force_login(factories.make_user())
    assert client.get(reverse("cohorts:index")).status_code in (302, 403)
