"""The coach's side panel: what the room shows a moderator about one participant — their
company's maturity, their own self-check when allowed, course progress and engagement."""

import pytest
from django.db import transaction
from django.urls import reverse

from assessments.loading import install_instrument
from assessments.services.responses import save_answers, start_or_resume, submit
from coaching.models import Attendance, Cohort, Participant
from coaching.room import log
from courses.services.learning import complete_lesson, enrol
from tests import factories
from tests.assessments.definitions import small_instrument
from tests.coaching.rooms import make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalogue):
    world = make_room()
    person = world["people"][0]  # a lead of the first company
    company = world["companies"][0]
    instrument = install_instrument(small_instrument())
    response = start_or_resume(instrument, "T0", company=company, filled_by=person)
    save_answers(response, {"Q1": 2, "Q4": {"1": 3, "2": 3}})
    world["result"] = submit(response)
    course, lessons = factories.build_course(
        catalogue, modules=1, lessons=4, title="Vendre en ligne"
    )
    enrol(person, course)
    complete_lesson(person, lessons[0], course)
    session = world["session"]
    Participant.objects.create(
        session=session, user=person, role="participant", status="admitted", company=company
    )
    Attendance.objects.create(
        session=session, user=person, connection="panel-1", opened_at=session.starts_at
    )
    with transaction.atomic():
        log.append(session.pk, "chat", {"name": "P", "text": "Bonjour"}, actor_id=person.pk)
    world["other_coach"] = factories.make_user(role="coach")
    Cohort.objects.get(name="Promotion Agadir").coaches.add(world["other_coach"])
    return world


def panel_url(world, user):
    return reverse("coaching:participant-panel", args=[world["session"].pk, user.pk])


def test_the_coach_sees_maturity_progress_and_engagement(client, world):
    person = world["people"][0]
    client.force_login(world["coach"])
    response = client.get("/en" + panel_url(world, person)[3:])
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment for the room's page
    assert person.display_name in html and world["companies"][0].name in html
    result = world["result"]
    assert f"/en/assessments/responses/{result.pk}/results/" in html
    assert "Strategy" in html and "Data" in html  # per-dimension scores
    assert f"{round(result.overall)}/100" in html
    assert "Vendre en ligne" in html and "1 of 4 lessons done (25%)" in html
    assert "Last activity" in html  # the lesson completed today
    engagement = response.context["engagement"]
    assert engagement.chat_messages == 1 and engagement.minutes >= 5
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_coach_does_not_read_a_persons_self_check_but_a_manager_does(client, world):
    person = world["people"][0]
    instrument = install_instrument(small_instrument(slug="self", audience="person"))
    response = start_or_resume(instrument, "T0", person=person, filled_by=person)
    save_answers(response, {"Q1": 2, "Q4": {"1": 3, "2": 3}})
    submit(response)
    client.force_login(world["coach"])
    html = client.get("/en" + panel_url(world, person)[3:]).content.decode()
    assert "its results are theirs to share" in html
    client.force_login(factories.make_user(role="manager"))
    page = client.get("/en" + panel_url(world, person)[3:])
    assert page.context["self_check"] is not None
    assert "its results are theirs to share" not in page.content.decode()


def test_a_participant_without_results_or_courses_is_said_so(client, world):
    newcomer = factories.add_member(world["companies"][1])
    client.force_login(world["coach"])
    html = client.get("/en" + panel_url(world, newcomer)[3:]).content.decode()
    assert "has not submitted a maturity assessment yet" in html
    assert "Not enrolled in any course yet" in html


@pytest.mark.parametrize("viewer", ["participant", "outsider", "other_coach", "other_member"])
def test_only_the_sessions_moderators_get_the_panel(client, world, viewer):
    people = {
        "participant": world["people"][1],
        "outsider": world["outsider"],
        "other_coach": world["other_coach"],
        "other_member": world["other_cohort_member"],
    }
    client.force_login(people[viewer])
    assert client.get(panel_url(world, world["people"][0])).status_code == 404


@pytest.mark.parametrize("target", ["outsider", "other_cohort_member", "coach"])
def test_the_panel_is_only_about_members_of_the_sessions_cohort(client, world, target):
    client.force_login(world["coach"])
    assert client.get(panel_url(world, world[target])).status_code == 404
    url = reverse("coaching:participant-panel", args=[world["session"].pk, 10**17])
    assert client.get(url).status_code == 404


def test_visitors_are_sent_to_log_in(client, world):
    response = client.get(panel_url(world, world["people"][0]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_inactive_member_has_no_panel(client, world):
    person = world["people"][0]
    person.is_active = False
    person.save()
    client.force_login(world["coach"])
    assert client.get(panel_url(world, person)).status_code == 404
