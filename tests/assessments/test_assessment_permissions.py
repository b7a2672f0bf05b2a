"""Who may take, resume and read which assessment: a company's lead answers for it, its employees
read its results, each person answers their own self-check; anyone else gets a 404 whatever the
address or id they try. Programme managers reopen a submitted stage in the admin."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from assessments.models import Response
from tests import factories
from tests.assessments import taking_helpers as helpers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    translation.activate("en")


@pytest.fixture
def instrument():
    return helpers.company_instrument()


@pytest.fixture
def company():
    company, lead = helpers.company_with_lead()
    company.lead = lead
    company.employee = factories.add_member(company)
    return company


@pytest.fixture
def result(instrument, company):
    return helpers.submitted(instrument, helpers.HIGH, company=company)


@pytest.fixture
def other_company():
    company, lead = helpers.company_with_lead()
    company.lead = lead
    company.employee = factories.add_member(company)
    return company


def answering_urls(response):
    return [
        ("get", reverse("assessments:resume", args=[response.pk])),
        ("get", helpers.step_url(response, 1)),
        ("post", helpers.step_url(response, 1)),
        ("post", helpers.autosave_url(response, 1)),
        ("post", reverse("assessments:submit", args=[response.pk])),
    ]


def test_an_employee_reads_the_company_results_but_cannot_answer(
    client, instrument, company, result
):
    client.force_login(company.employee)
    assert client.get(helpers.results_url(result)).status_code == 200
    page = client.get(reverse("assessments:index")).content.decode()
    assert helpers.results_url(result) in page
    assert "Your company lead answers this assessment" in page
    assert f'action="{reverse("assessments:start", args=["small"])}"' not in page

    assert helpers.start(client, instrument, company).status_code == 404
    draft = Response.objects.filter(stage="T1").first()
    assert draft is None
    client.force_login(company.lead)
    helpers.start(client, instrument, company)
    draft = Response.objects.get(stage="T1")
    client.force_login(company.employee)
    for method, url in answering_urls(draft):
        assert getattr(client, method)(url, {"q-Q1": "1"}).status_code == 404, url
    draft.refresh_from_db()
    assert draft.answers.get("Q1") == 3  # carried over from T0, untouched


def test_another_company_gets_404_by_url_and_by_id(
    client, instrument, company, result, other_company
):
    client.force_login(company.lead)
    helpers.start(client, instrument, company)
    draft = Response.objects.get(stage="T1")
    for person in (other_company.lead, other_company.employee):
        client.force_login(person)
        assert client.get(helpers.results_url(result)).status_code == 404
        for method, url in answering_urls(draft):
            assert getattr(client, method)(url, {"q-Q1": "1"}).status_code == 404, url
        index = client.get(reverse("assessments:index")).content.decode()
        assert helpers.results_url(result) not in index
    # The start form's hidden company field changed to another company: nothing is opened.
    client.force_login(other_company.lead)
    assert helpers.start(client, instrument, company).status_code == 404
    for tampered in ("", "abc", "99999999999999999999999"):
        page = client.post(reverse("assessments:start", args=["small"]), {"company": tampered})
        assert page.status_code == 404
    assert not Response.objects.filter(company=other_company).exists()
    draft.refresh_from_db()
    assert draft.answers.get("Q1") == 3


def test_a_draft_has_no_results_page(client, instrument, company):
    client.force_login(company.lead)
    helpers.start(client, instrument, company)
    assert client.get(helpers.results_url(Response.objects.get())).status_code == 404


def test_a_coach_without_the_company_and_anonymous_visitors_are_kept_out(client, result):
    coach = factories.make_user(role="coach")
    client.force_login(coach)
    assert client.get(helpers.results_url(result)).status_code == 404
    assert client.post(helpers.step_url(result, 1)).status_code == 404
    client.logout()
    page = client.get(helpers.results_url(result))
    assert page.status_code == 302 and reverse("account_login") in page.url
    assert client.post(helpers.autosave_url(result, 1)).status_code == 302


def test_a_programme_manager_reads_any_result_but_does_not_answer(client, instrument, result):
    manager = factories.make_user(role="manager")
    client.force_login(manager)
    assert client.get(helpers.results_url(result)).status_code == 200
    assert client.post(reverse("assessments:submit", args=[result.pk])).status_code == 404


def test_a_self_check_is_its_persons_alone(client, company):
    instrument = helpers.person_instrument()
    mine = helpers.submitted(instrument, helpers.HIGH, person=company.employee)
    for person in (company.lead, factories.make_user(role="coach")):
        client.force_login(person)
        assert client.get(helpers.results_url(mine)).status_code == 404
    client.force_login(factories.make_user(role="manager"))
    assert client.get(helpers.results_url(mine)).status_code == 200
    client.force_login(company.employee)
    assert client.get(helpers.results_url(mine)).status_code == 200


def reopen_url(response):
    return reverse("response:reopen", args=[response.pk])


def test_a_manager_reopens_a_stage_and_the_lead_takes_it_again(client, instrument, company, result):
    from wagtail.users.models import UserProfile

    manager = factories.make_user(role="manager")
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "en"  # the admin speaks the manager's language
    profile.save()
    client.force_login(manager)
    inspect = client.get(reverse("response:inspect", args=[result.pk]))
    assert reopen_url(result) in inspect.content.decode()
    confirm = client.get(reopen_url(result))
    assert confirm.status_code == 200
    assert "Yes, reopen this stage" in confirm.content.decode()
    result.refresh_from_db()
    assert result.status == "submitted"  # asking is not doing

    done = client.post(reopen_url(result))
    assert done.status_code == 302
    result.refresh_from_db()
    assert result.status == "reopened"
    draft = Response.objects.get(status="draft")
    assert (draft.stage, draft.answers["Q1"]) == ("T0", 3)
    assert client.post(reopen_url(result)).status_code == 302  # only a submitted one reopens
    assert Response.objects.count() == 2
    assert list(
        ModelLogEntry.objects.filter(action="assessments.reopen").values_list("object_id", "user")
    ) == [(str(result.pk), manager.pk)]

    client.force_login(company.lead)
    resumed = helpers.start(client, instrument, company)
    assert resumed.url == helpers.step_url(draft, 0)
    client.post(helpers.step_url(draft, 1), {"q-Q1": "1", "action": "continue"})
    client.post(helpers.step_url(draft, 2), {"q-Q4-1": "1", "q-Q4-2": "1", "action": "continue"})
    submitted = client.post(reverse("assessments:submit", args=[draft.pk]))
    assert submitted.url == helpers.results_url(draft)
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.overall < result.overall
    # The old result stays readable, marked as reopened.
    with translation.override("fr"):
        kept = translation.gettext(
            "A programme manager reopened this stage: these results are kept on record while "
            "the stage is answered again."
        )
    assert escape(kept) in client.get(helpers.results_url(result)).content.decode()
    # Its old steps are closed.
    closed = client.get(helpers.step_url(result, 1))
    assert closed.url == reverse("assessments:index")


def test_only_managers_reopen(client, result):
    editor = factories.make_user(role="editor")  # reaches the admin, but may not reopen
    client.force_login(editor)
    for method in ("get", "post"):
        refused = getattr(client, method)(reopen_url(result))
        assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))
    client.force_login(result.company.memberships.get(role="lead").user)
    assert reverse("account_login") in client.post(reopen_url(result)).url
    result.refresh_from_db()
    assert result.status == "submitted"
    assert not Response.objects.filter(status="draft").exists()


def test_the_responses_listing_still_works_for_managers(client, result):
    client.force_login(factories.make_user(role="manager"))
    assert client.get(reverse("response:index")).status_code == 200


def test_nobody_edits_answers_or_status_by_hand_in_the_admin(client, result):
    client.force_login(factories.make_user(role="manager"))
    edit = client.post(reverse("response:edit", args=[result.pk]), {"stage": "T2"})
    assert edit.status_code in (302, 403)
    assert (
        reverse("response:edit", args=[result.pk])
        not in client.get(reverse("response:index")).content.decode()
    )
    result.refresh_from_db()
    assert (result.stage, result.status) == ("T0", "submitted")


def test_the_responses_listing_costs_the_same_queries_for_more_rows(client, instrument, result):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(factories.make_user(role="manager"))
    url = reverse("response:index")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(5):
        company = factories.make_company()
        factories.add_member(company, role="lead")
        Response.objects.create(
            instrument=instrument, version=instrument.current_version(), company=company
        )
    with CaptureQueriesContext(connection) as six:
        assert client.get(url).status_code == 200
    assert len(six) == len(one)
