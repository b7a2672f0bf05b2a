"""Editors write instruments in the admin; versions keep results reproducible."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from assessments.loading import install_instrument
from assessments.models import Instrument, Response
from assessments.services import responses
from tests import factories
from tests.assessments.definitions import small_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(factories.make_user(role="editor"))
    return client


def edit_url(instrument):
    return reverse("wagtailsnippets_assessments_instrument:edit", args=[instrument.pk])


def translated(name, text):
    return {f"{name}_fr": text, f"{name}_ar": "", f"{name}_en": ""}


def instrument_post(dimension_code="D1"):
    """What the admin form posts for a one-question instrument."""
    option = {"fr": "Oui", "ar": "", "en": "", "points": "1"}
    return nested_form_data(
        {
            "slug": "quick-check",
            "audience": "company",
            "live": "on",
            "open_until": "T0",
            **translated("title", "Diagnostic express"),
            **translated("intro", ""),
            "average_from": "26",
            "moderately_advanced_from": "51",
            "advanced_from": "76",
            "dimensions": inline_formset(
                [
                    {
                        "code": "D1",
                        "weight": "1",
                        **translated("title", "Stratégie"),
                        **translated("description", ""),
                        "recommendations": streamfield([]),
                    }
                ]
            ),
            "questions": inline_formset(
                [
                    {
                        "code": "Q1",
                        "dimension_code": dimension_code,
                        "kind": "single_choice",
                        **translated("text", "Avez-vous un site ?"),
                        **translated("help", ""),
                        "options": streamfield(
                            [("option", option), ("option", {**option, "fr": "Non", "points": "0"})]
                        ),
                        "rows": streamfield([]),
                        "scale_labels": streamfield([]),
                        "likert_points": "5",
                        "bands": streamfield([]),
                        "condition_question": "",
                        "condition_options": "",
                    }
                ]
            ),
        }
    )


def test_editor_creates_an_instrument_and_its_first_version(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_assessments_instrument:add"), instrument_post()
    )
    assert response.status_code == 302, response.context["form"].errors
    instrument = Instrument.objects.get(slug="quick-check")
    version = instrument.current_version()
    assert version.number == 1
    assert version.definition["questions"][0]["options"][0]["points"] == 1


def test_the_admin_refuses_a_question_of_an_unknown_dimension(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_assessments_instrument:add"), instrument_post("D7")
    )
    assert response.status_code == 200
    assert (
        "unknown dimension" in response.content.decode() or "inconnue" in response.content.decode()
    )
    assert not Instrument.objects.filter(slug="quick-check").exists()


def test_editor_opens_the_instrument_list_and_edit_form(editor_client):
    instrument = install_instrument(small_instrument())
    listing = editor_client.get(reverse("wagtailsnippets_assessments_instrument:list"))
    assert listing.status_code == 200
    assert "Small instrument" in listing.content.decode()
    response = editor_client.get(edit_url(instrument))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Q8" in content and "D2" in content


def test_a_learner_cannot_open_the_instrument_admin(client):
    client.force_login(factories.make_user())
    response = client.get(reverse("wagtailsnippets_assessments_instrument:list"))
    assert response.status_code in (302, 403)


def test_editing_an_unanswered_instrument_keeps_its_version():
    definition = small_instrument()
    instrument = install_instrument(definition)
    definition["questions"][0]["text"]["fr"] = "Reformulée"
    install_instrument(definition)
    assert instrument.versions.count() == 1
    assert instrument.current_version().definition["questions"][0]["text"]["fr"] == "Reformulée"


def test_editing_an_answered_instrument_makes_a_new_version_and_old_results_stay():
    definition = small_instrument()
    instrument = install_instrument(definition)
    company = factories.make_company()
    lead = factories.add_member(company, role="lead")
    response = responses.start_or_resume(instrument, "T0", company=company, filled_by=lead)
    responses.save_answers(response, {"Q1": 2, "Q4": {"1": 5, "2": 5}})
    responses.submit(response)
    first_overall = Response.objects.get(pk=response.pk).overall

    definition["questions"][0]["options"][1]["points"] = 4  # option 2 now scores full marks
    install_instrument(definition)
    instrument = Instrument.objects.get(pk=instrument.pk)
    assert [v.number for v in instrument.versions.order_by("number")] == [1, 2]
    kept = Response.objects.get(pk=response.pk)
    assert kept.version.number == 1
    assert kept.overall == first_overall
    from assessments import scoring

    assert scoring.score(kept.version.definition, kept.answers).overall == first_overall


def test_a_programme_manager_opens_the_next_stage_in_the_admin(client):
    instrument = install_instrument(small_instrument())
    client.force_login(factories.make_user(role="manager"))
    response = client.get(edit_url(instrument))
    assert response.status_code == 200
    assert 'name="open_until"' in response.content.decode()
