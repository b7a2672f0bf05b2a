"""Taking an assessment without JavaScript (form posts), with autosave, and what bad input gets."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments.levels import level_label
from assessments.loading import install_instrument
from assessments.models import DimensionScore, Response
from tests import factories
from tests.assessments import taking_helpers as helpers
from tests.assessments.definitions import small_instrument
from tests.database_loss import connection_lost_before

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Pages in English, so that texts are checked as written whatever the catalogues hold."""
    translation.activate("en")


PROFILE = {
    "size_band": "small",
    "sector": "retail",
    "secondary_sector": "tourism",
    "region": "fes-meknes",
    "founded_year": "2001",
}
STEP_1 = {"q-Q1": "3", "q-Q2": ["1", "2"], "q-Q3-1": "done", "q-Q3-2": "planned"}
STEP_2 = {
    "q-Q4-1": "5",
    "q-Q4-2": "0",
    "q-Q5-1": "yes",
    "q-Q5-2": "partially",
    "q-Q6": "3",
    "q-Q7": "10",
    "q-Q8": "2",
}


@pytest.fixture
def instrument():
    return helpers.company_instrument()


@pytest.fixture
def company_and_lead():
    return helpers.company_with_lead()


@pytest.fixture
def lead_client(client, company_and_lead):
    client.force_login(company_and_lead[1])
    return client


@pytest.fixture
def draft(instrument, company_and_lead, lead_client):
    helpers.start(lead_client, instrument, company_and_lead[0])
    return Response.objects.get()


def post_step(client, response, index, data, action="continue"):
    return client.post(helpers.step_url(response, index), {**data, "action": action})


def test_a_lead_takes_every_step_without_javascript_and_submits(
    instrument, company_and_lead, lead_client
):
    company, lead = company_and_lead
    started = helpers.start(lead_client, instrument, company)
    response = Response.objects.get()
    assert started.status_code == 302
    assert started.url == helpers.step_url(response, 0)
    assert (response.company, response.stage, response.filled_by) == (company, "T0", lead)

    page = lead_client.get(helpers.step_url(response, 0))
    assert page.status_code == 200
    assert b'name="founded_year"' in page.content

    assert post_step(lead_client, response, 0, PROFILE).url == helpers.step_url(response, 1)
    company.refresh_from_db()
    assert (company.size_band, company.secondary_sector, company.founded_year) == (
        "small",
        "tourism",
        2001,
    )

    page = lead_client.get(helpers.step_url(response, 1))
    assert b'name="q-Q1"' in page.content and b'name="q-Q4-1"' not in page.content
    assert post_step(lead_client, response, 1, STEP_1).url == helpers.step_url(response, 2)

    # Q8 depends on option 1 of Q2, chosen on the step before: it is asked now.
    page = lead_client.get(helpers.step_url(response, 2))
    assert b'name="q-Q8"' in page.content
    assert post_step(lead_client, response, 2, STEP_2).url == helpers.step_url(response, 3)

    review = lead_client.get(helpers.step_url(response, 3))
    assert review.status_code == 200
    with translation.override("fr"):
        missing_heading = translation.gettext("Required questions not answered yet")
    assert missing_heading not in review.content.decode()

    submitted = lead_client.post(reverse("assessments:submit", args=[response.pk]))
    assert submitted.url == helpers.results_url(response)
    response.refresh_from_db()
    assert response.status == "submitted"
    # D1: Q1 10, Q2 10, Q3 (1 + 0.5) / 4 × 10 = 3.75 → 79.17; D2: 5, 7.5, 5, 5, 10 → 65;
    # overall (79.17 × 1 + 65 × 2) / 3 = 69.72.
    assert response.scores["D1"] == pytest.approx(79.1667, abs=1e-3)
    assert response.scores["D2"] == pytest.approx(65.0)
    assert response.overall == pytest.approx(69.7222, abs=1e-3)

    page = lead_client.get(helpers.results_url(response)).content.decode()
    assert "<strong>70</strong>" in page
    assert str(level_label("moderately_advanced")) in page
    assert "<td>79</td>" in page and "<td>65</td>" in page


@pytest.mark.django_db(transaction=True)
def test_a_submission_cut_short_by_the_database_stays_a_draft_to_submit_again(draft, lead_client):
    for index, data in enumerate((PROFILE, STEP_1, STEP_2)):
        post_step(lead_client, draft, index, data)
    submit = reverse("assessments:submit", args=[draft.pk])
    lead_client.raise_request_exception = False
    # The response is scored and closed; its scores by dimension are the last write.
    with connection_lost_before('INSERT INTO "assessments_dimensionscore"') as cut:
        failed = lead_client.post(submit)
    assert cut.fired
    assert failed.status_code == 500
    assert "Something went wrong" in failed.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.overall, draft.submitted_at) == ("draft", None, None)
    assert not DimensionScore.objects.exists()

    submitted = lead_client.post(submit)
    assert submitted.url == helpers.results_url(draft)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert DimensionScore.objects.filter(response=draft).count() == 2


def test_the_profile_step_checks_the_founding_year_and_saves_nothing_when_wrong(
    draft, lead_client, company_and_lead
):
    company = company_and_lead[0]
    for year in ("1899", str(timezone.localdate().year + 1)):
        page = post_step(lead_client, draft, 0, {**PROFILE, "founded_year": year})
        assert page.status_code == 400
        assert b"id_founded_year_error" in page.content
    page = post_step(lead_client, draft, 0, {**PROFILE, "secondary_sector": "retail"})
    assert page.status_code == 400
    company.refresh_from_db()
    draft.refresh_from_db()
    assert (company.size_band, company.founded_year, draft.step) == ("micro", None, 0)


def test_finishing_later_saves_and_the_assessment_resumes_at_the_step_reached(
    draft, lead_client, instrument, company_and_lead
):
    post_step(lead_client, draft, 0, PROFILE)
    later = post_step(lead_client, draft, 1, STEP_1, action="later")
    assert later.url == reverse("assessments:index")
    draft.refresh_from_db()
    assert draft.step == 1
    assert draft.answers["Q1"] == 3

    again = helpers.start(lead_client, instrument, company_and_lead[0])
    assert again.url == helpers.step_url(draft, 1)
    assert Response.objects.count() == 1
    resumed = lead_client.get(reverse("assessments:resume", args=[draft.pk]))
    assert resumed.url == helpers.step_url(draft, 1)
    # The answers given are on the page again.
    page = lead_client.get(helpers.step_url(draft, 1)).content.decode()
    assert 'value="3" checked' in page


def test_back_saves_and_goes_to_the_step_before(draft, lead_client):
    back = post_step(lead_client, draft, 1, STEP_1, action="back")
    assert back.url == helpers.step_url(draft, 0)
    draft.refresh_from_db()
    assert draft.answers["Q2"] == [1, 2]
    assert draft.step == 1  # the furthest step seen, where the assessment resumes


def test_autosave_saves_the_step_and_answers_in_json(draft, lead_client):
    saved = lead_client.post(helpers.autosave_url(draft, 1), {"q-Q1": "2", "q-Q2": ["4"]})
    assert saved.status_code == 200
    assert saved.json() == {"saved": True}
    draft.refresh_from_db()
    assert draft.answers["Q1"] == 2 and draft.answers["Q2"] == [4]
    assert draft.step == 0  # saving as one types does not move on

    # An option cleared on the page is cleared in the response.
    lead_client.post(helpers.autosave_url(draft, 1), {"q-Q1": "2"})
    draft.refresh_from_db()
    assert draft.answers["Q2"] == []

    profile = lead_client.post(helpers.autosave_url(draft, 0), PROFILE)
    assert profile.json() == {"saved": True}


def test_autosave_refuses_bad_answers_and_saves_nothing(draft, lead_client):
    lead_client.post(helpers.autosave_url(draft, 1), {"q-Q1": "2"})
    refused = lead_client.post(helpers.autosave_url(draft, 1), {"q-Q1": "3", "q-Q2": ["99"]})
    assert refused.status_code == 400
    body = refused.json()
    assert body["saved"] is False
    assert "99" in body["errors"]["Q2"]
    draft.refresh_from_db()
    assert draft.answers["Q1"] == 2
    assert lead_client.get(helpers.autosave_url(draft, 1)).status_code == 405
    assert lead_client.post(helpers.autosave_url(draft, 3), {}).status_code == 404  # review


def test_a_required_question_left_empty_gets_a_message_tied_to_its_fieldset(draft, lead_client):
    page = post_step(lead_client, draft, 1, {"q-Q2": ["1"]})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="q-q1-error"' in html
    assert 'aria-describedby="q-q1-error"' in html
    assert 'href="#q-q1"' in html  # the summary links to the question
    draft.refresh_from_db()
    assert draft.answers["Q2"] == [1]  # what was answered is kept
    assert draft.step == 1  # but the step is not done: it resumes here, not at the next


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q-Q1": "99"}, "Option 99 does not exist"),
        ({"q-Q1": "abc"}, "Choose one of the options offered."),
        ({"q-Q1": "3", "q-Q99": "1"}, "There is no question Q99"),
        ({"q-Q1": "3", "q-Q4-1": "5"}, "Question Q4 is not asked on this page."),
        ({"q-Q1": "3", "q-Q3-9": "done"}, "Row 9 does not exist"),
        ({"q-Q1": "3", "q-Q3-1": "finished"}, "Tick “done” and/or “planned”"),
        ({"q-Q1": "3", "q-Q2": ["1", "4"]}, "cannot be ticked together"),
    ],
)
def test_tampered_answers_get_a_clear_message_and_nothing_is_saved(
    draft, lead_client, data, message
):
    before = post_step(lead_client, draft, 1, {"q-Q1": "2", "q-Q2": ["2"]})
    assert before.status_code == 302
    page = post_step(lead_client, draft, 1, data)
    assert page.status_code == 400
    assert message in page.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {"Q1": 2, "Q2": [2], "Q3": {}}


def test_a_number_out_of_its_bands_is_refused(draft, lead_client):
    page = post_step(lead_client, draft, 2, {"q-Q4-1": "1", "q-Q4-2": "1", "q-Q7": "1000"})
    assert page.status_code == 400
    assert "Enter a number from 0 to 100." in page.content.decode()
    assert 'aria-invalid="true"' in page.content.decode()
    draft.refresh_from_db()
    assert "Q7" not in draft.answers


def test_a_step_beyond_the_last_is_not_found(draft, lead_client):
    assert lead_client.get(helpers.step_url(draft, 4)).status_code == 404
    assert lead_client.get(f"/en/assessments/responses/{draft.pk}/steps/9999/").status_code == 404
    assert lead_client.get("/en/assessments/responses/99999999999999999999/").status_code == 404


def test_submitting_refuses_while_required_questions_are_missing(draft, lead_client):
    refused = lead_client.post(reverse("assessments:submit", args=[draft.pk]))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Your answers cannot be submitted yet" in html
    assert f'{helpers.step_url(draft, 1)}#q-q1"' in html
    assert f'{helpers.step_url(draft, 2)}#q-q4"' in html
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.overall is None


def test_a_submitted_stage_cannot_be_changed_or_submitted_again(draft, lead_client):
    post_step(lead_client, draft, 1, {"q-Q1": "3"})
    post_step(lead_client, draft, 2, {"q-Q4-1": "5", "q-Q4-2": "5"})
    lead_client.post(reverse("assessments:submit", args=[draft.pk]))
    draft.refresh_from_db()
    scores = draft.scores

    again = lead_client.post(reverse("assessments:submit", args=[draft.pk]), follow=True)
    assert "This stage has already been submitted." in again.content.decode()
    changed = post_step(lead_client, draft, 1, {"q-Q1": "1"})
    assert changed.url == helpers.results_url(draft)
    message = lead_client.get(changed.url).content.decode()
    assert "can no longer be changed" in message
    autosaved = lead_client.post(helpers.autosave_url(draft, 1), {"q-Q1": "1"})
    assert autosaved.status_code == 409
    draft.refresh_from_db()
    assert draft.answers["Q1"] == 3 and draft.scores == scores


def test_stages_are_taken_in_order_and_a_new_stage_starts_from_the_last_answers(
    instrument, company_and_lead, lead_client
):
    company = company_and_lead[0]
    first = helpers.submitted(instrument, helpers.LOW, company=company)
    helpers.start(lead_client, instrument, company)
    second = Response.objects.exclude(pk=first.pk).get()
    assert second.stage == "T1"
    assert second.answers["Q1"] == 1
    helpers.submitted(instrument, helpers.HIGH, company=company)
    helpers.start(lead_client, instrument, company)
    assert Response.objects.filter(stage="T2", status="draft").exists()
    helpers.submitted(instrument, helpers.HIGH, company=company)
    done = helpers.start(lead_client, instrument, company)
    assert done.url == reverse("assessments:index")
    assert Response.objects.count() == 3


def test_a_condition_on_the_same_step_is_shown_with_what_scripts_need(client):
    definition = small_instrument()
    definition["questions"][-1]["dimension"] = "D1"  # Q8 now sits on Q2's step
    instrument = install_instrument(definition)
    company, lead = helpers.company_with_lead()
    client.force_login(lead)
    helpers.start(client, instrument, company)
    response = Response.objects.get()
    html = client.get(helpers.step_url(response, 1)).content.decode()
    assert 'data-condition-field="q-Q2" data-condition-options="1"' in html
    assert 'name="q-Q8"' in html  # shown without JavaScript, to be answered if it applies

    # Answered while its condition is not met, it does not count once submitted.
    post_step(client, response, 1, {"q-Q1": "3", "q-Q2": ["2"], "q-Q8": "1"})
    post_step(client, response, 2, {"q-Q4-1": "5", "q-Q4-2": "5"})
    client.post(reverse("assessments:submit", args=[response.pk]))
    response.refresh_from_db()
    assert "Q8" not in response.answers


def test_a_condition_on_an_earlier_step_hides_the_question(draft, lead_client):
    post_step(lead_client, draft, 1, {"q-Q1": "3", "q-Q2": ["2"]})
    html = lead_client.get(helpers.step_url(draft, 2)).content.decode()
    assert 'name="q-Q8"' not in html
    # Posting it anyway is a tampered form.
    page = post_step(lead_client, draft, 2, {"q-Q4-1": "1", "q-Q4-2": "1", "q-Q8": "2"})
    assert page.status_code == 400


def test_question_templates_are_accessible(draft, lead_client):
    html = lead_client.get(helpers.step_url(draft, 2)).content.decode()
    # A grid is a table with row headers, scale values as column headers, one radio group per row.
    assert '<th scope="row" id="q-q4-row-1">row 1</th>' in html
    assert '<th scope="col">5</th>' in html
    assert html.count('name="q-Q4-1"') == 6
    assert '<div class="grid-scroll">' in html
    assert 'inputmode="decimal"' in html and 'type="number"' in html
    assert '<legend id="q-q6-legend">' in html
    assert html.count('name="q-Q6"') == 5
    assert 'aria-live="polite"' in html
    assert 'data-autosave-url="' + helpers.autosave_url(draft, 2) + '"' in html


def test_anyone_in_a_company_takes_the_skills_self_check_for_themselves(client):
    instrument = helpers.person_instrument()
    company, _lead = helpers.company_with_lead()
    employee = factories.add_member(company)
    client.force_login(employee)
    assert helpers.start(client, instrument).status_code == 302
    response = Response.objects.get()
    assert (response.person, response.company) == (employee, None)
    assert client.get(helpers.step_url(response, 0)).context["current"].kind == "dimension"
    post_step(client, response, 0, {"q-Q1": "3"})
    post_step(client, response, 1, {"q-Q4-1": "5", "q-Q4-2": "5"})
    submitted = client.post(reverse("assessments:submit", args=[response.pk]))
    assert submitted.url == helpers.results_url(response)


def test_the_index_page_lists_what_to_take_and_what_was_taken(
    instrument, company_and_lead, lead_client
):
    helpers.person_instrument()
    company = company_and_lead[0]
    page = lead_client.get(reverse("assessments:index")).content.decode()
    assert f'action="{reverse("assessments:start", args=["small"])}"' in page
    assert f'name="company" value="{company.pk}"' in page
    assert f'action="{reverse("assessments:start", args=["skills"])}"' in page
    result = helpers.submitted(instrument, helpers.HIGH, company=company)
    page = lead_client.get(reverse("assessments:index")).content.decode()
    assert helpers.results_url(result) in page
    assert "(T1)" in page


def test_a_stage_opens_only_when_the_programme_opens_it(client):
    from assessments.services.responses import ResponseError, save_answers, start_or_resume, submit

    definition = small_instrument()
    definition["open_until"] = "T0"
    instrument = install_instrument(definition)
    company = factories.make_company()
    lead = factories.add_member(company, role="lead")
    response = start_or_resume(instrument, "T0", company=company, filled_by=lead)
    save_answers(response, {"Q1": 2, "Q4": {"1": 1, "2": 1}})
    submit(response)
    with pytest.raises(ResponseError):
        start_or_resume(instrument, "T1", company=company, filled_by=lead)
    client.force_login(lead)
    with translation.override("en"):
        page = client.get(reverse("assessments:index")).content.decode()
    assert "Stage T1 opens later in the programme" in page
    instrument.open_until = "T1"
    instrument.save()
    assert start_or_resume(instrument, "T1", company=company, filled_by=lead).stage == "T1"
