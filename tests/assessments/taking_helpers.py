"""Shared builders for the tests of taking assessments and reading their results."""

from django.urls import reverse

from assessments.loading import install_instrument
from assessments.services.responses import next_stage, save_answers, start_or_resume, submit
from tests import factories
from tests.assessments.definitions import small_instrument
from virage_site.companies.models import Membership

# Every question at its best: each dimension scores 100.
HIGH = {
    "Q1": 3,
    "Q2": [1, 2],
    "Q3": {str(n): ["done"] for n in range(1, 5)},
    "Q4": {"1": 5, "2": 5},
    "Q5": {"1": "yes", "2": "yes"},
    "Q6": 5,
    "Q7": 50,
    "Q8": 2,
}
# Every scored question at its lowest: each dimension scores 0.
LOW = {"Q1": 1, "Q2": [], "Q4": {"1": 0, "2": 0}}


def company_instrument(**changes):
    return install_instrument({**small_instrument(), **changes})


def person_instrument():
    return install_instrument(small_instrument(slug="skills", audience="person"))


def company_with_lead(**fields):
    company = factories.make_company(**fields)
    lead = factories.add_member(company, role=Membership.Role.LEAD)
    return company, lead


def submitted(instrument, answers, *, company=None, person=None):
    """A response to the next stage, answered with `answers` and submitted."""
    stage = next_stage(instrument, company=company, person=person)
    response = start_or_resume(instrument, stage, company=company, person=person)
    problems = save_answers(response, answers, replace_codes=list(response.answers))
    assert not problems, problems
    return submit(response)


def step_url(response, index):
    return reverse("assessments:step", args=[response.pk, index])


def autosave_url(response, index):
    return reverse("assessments:autosave", args=[response.pk, index])


def results_url(response):
    return reverse("assessments:results", args=[response.pk])


def start(client, instrument, company=None):
    data = {"company": company.pk} if company is not None else {}
    return client.post(reverse("assessments:start", args=[instrument.slug]), data)
