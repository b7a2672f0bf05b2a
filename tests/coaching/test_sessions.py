"""Live sessions as pages: coaches schedule them for their cohorts, participants see them, with
times in Casablanca time named as such; nobody else learns that they exist."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Cohort, LiveSession, Poll
from coaching.models.sessions import SESSION_TIME_ZONE
from tests import factories
from tests.coaching.rooms import make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(catalogue):
    world = make_room()
    world["course"], _lessons = factories.build_course(catalogue, modules=2, lessons=1)
    world["other_coach"] = factories.make_user(role="coach")
    Cohort.objects.get(name="Promotion Agadir").coaches.add(world["other_coach"])
    world["manager"] = factories.make_user(role="manager")
    return world


def local(days=1, hour=10, minute=0):
    day = timezone.localdate(timezone.now(), SESSION_TIME_ZONE) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SESSION_TIME_ZONE)


def typed(moment):
    """What a datetime-local input sends: the Casablanca wall-clock time."""
    return moment.astimezone(SESSION_TIME_ZONE).strftime("%Y-%m-%dT%H:%M")


def schedule_data(cohort, **changes):
    data = {
        "cohort": cohort.pk,
        "title": "Vendre sur Instagram",
        "starts_at": typed(local(hour=10)),
        "ends_at": typed(local(hour=11, minute=30)),
        "agenda": "Tour de table\nDémonstration",
        "external_video_url": "",
    }
    data.update(changes)
    return data


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# Scheduling


def test_a_coach_schedules_a_session_in_casablanca_time(client, room):
    module = room["course"].get_children().live().first().specific
    client.force_login(room["coach"])
    data = schedule_data(
        room["cohort"],
        modules=[module.pk],
        external_video_url="meet.jit.si/virage-atelier",
        waiting_room="on",
    )
    response = client.post(reverse("coaching:session-new"), data)
    session = LiveSession.objects.get(title="Vendre sur Instagram")
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:session", args=[session.pk])
    assert session.starts_at == local(hour=10)
    assert session.ends_at == local(hour=11, minute=30)
    assert session.cohort == room["cohort"] and session.created_by == room["coach"]
    assert list(session.modules.all()) == [module]
    assert session.external_video_url == "https://meet.jit.si/virage-atelier"
    assert session.waiting_room


def test_the_form_says_which_time_zone_the_times_are_in(client, room):
    client.force_login(room["coach"])
    html = page(client, "/en/coaching/sessions/new/")
    assert "Starts (Casablanca time)" in html and "Africa/Casablanca" in html
    assert 'type="datetime-local"' in html


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"ends_at": typed(local(hour=9))},
            "A session must end after it starts.",
        ),
        (
            {"ends_at": typed(local(hour=19))},
            "A session lasts at most eight hours.",
        ),
        (
            {"starts_at": typed(local(days=-1)), "ends_at": typed(local(days=-1, hour=11))},
            "This time has already passed",
        ),
        ({"starts_at": "demain"}, "Enter a date and time"),
        ({"title": ""}, "This field is required."),
        ({"external_video_url": "http://meet.example.org/a"}, "https://"),
        ({"modules": ["999999"]}, "Select a valid choice"),
    ],
)
def test_scheduling_explains_what_is_wrong(client, room, changes, message):
    client.force_login(room["coach"])
    response = client.post("/en/coaching/sessions/new/", schedule_data(room["cohort"], **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LiveSession.objects.filter(title="Vendre sur Instagram").exists()


def test_a_coach_schedules_only_for_the_cohorts_they_coach(client, room):
    client.force_login(room["coach"])
    other = Cohort.objects.get(name="Promotion Agadir")
    response = client.post("/en/coaching/sessions/new/", schedule_data(other))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    html = page(client, f"/fr/coaching/sessions/new/?cohort={room['cohort'].pk}")
    assert f'<option value="{room["cohort"].pk}" selected>' in html
    assert f'value="{other.pk}"' not in html


def test_a_manager_schedules_for_any_cohort(client, room):
    client.force_login(room["manager"])
    other = Cohort.objects.get(name="Promotion Agadir")
    response = client.post(reverse("coaching:session-new"), schedule_data(other))
    assert response.status_code == 302
    assert LiveSession.objects.get(title="Vendre sur Instagram").cohort == other


def test_participants_and_outsiders_cannot_schedule(client, room):
    for person in (room["people"][0], room["outsider"]):
        client.force_login(person)
        assert client.get(reverse("coaching:session-new")).status_code == 404
        response = client.post(reverse("coaching:session-new"), schedule_data(room["cohort"]))
        assert response.status_code == 404
    assert not LiveSession.objects.filter(title="Vendre sur Instagram").exists()


def test_the_agenda_lists_modules_titled_in_the_active_language(client, room):
    factories.translate_course(room["course"], "en")
    client.force_login(room["coach"])
    html = page(client, "/en/coaching/sessions/new/")
    assert "Module 1 [en]" in html
    html = page(client, "/fr/coaching/sessions/new/")
    assert "Module 1" in html and "Module 1 [en]" not in html


# Editing and cancelling


def test_editing_shows_casablanca_times_and_raises_the_revision_when_times_move(client, room):
    session = room["session"]
    session.starts_at, session.ends_at = local(hour=10), local(hour=11)
    session.save()
    client.force_login(room["coach"])
    html = page(client, reverse("coaching:session-edit", args=[session.pk]))
    assert f'value="{typed(local(hour=10))}"' in html
    data = schedule_data(room["cohort"], title="Titre revu")
    data.update(starts_at=typed(local(hour=10)), ends_at=typed(local(hour=11)))
    client.post(reverse("coaching:session-edit", args=[session.pk]), data)
    session.refresh_from_db()
    assert (session.title, session.revision) == ("Titre revu", 0)
    data["starts_at"] = typed(local(hour=14))
    data["ends_at"] = typed(local(hour=15))
    response = client.post(reverse("coaching:session-edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == local(hour=14) and session.revision == 1


def test_a_session_under_way_keeps_its_past_start_when_edited(client, room):
    session = room["session"]  # started five minutes ago
    client.force_login(room["coach"])
    data = schedule_data(room["cohort"], title="Renommée")
    data.update(starts_at=typed(session.starts_at), ends_at=typed(session.ends_at))
    assert client.post(reverse("coaching:session-edit", args=[session.pk]), data).status_code == 302
    starts_at = session.starts_at
    session.refresh_from_db()
    assert session.title == "Renommée"
    # The exact start (with its seconds) is kept: nothing to announce again.
    assert session.starts_at == starts_at and session.revision == 0


def test_only_the_cohorts_coaches_and_managers_edit(client, room):
    url = reverse("coaching:session-edit", args=[room["session"].pk])
    for person in (room["people"][0], room["other_coach"], room["outsider"]):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(room["manager"])
    assert client.get(url).status_code == 200


def test_cancelling_asks_then_deletes_with_a_post(client, room):
    session = room["session"]
    url = reverse("coaching:session-cancel", args=[session.pk])
    client.force_login(room["people"][0])
    assert client.post(url).status_code == 404
    client.force_login(room["coach"])
    html = page(client, "/en" + url[3:])
    assert "Yes, cancel the session" in html and "csrfmiddlewaretoken" in html
    assert LiveSession.objects.filter(pk=session.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("coaching:sessions")
    assert not LiveSession.objects.filter(pk=session.pk).exists()


def test_a_session_that_took_place_cannot_be_cancelled(client, room):
    session = room["session"]
    session.opened_at = timezone.now()
    session.save()
    client.force_login(room["coach"])
    response = client.post(reverse("coaching:session-cancel", args=[session.pk]))
    assert response.status_code == 302
    assert LiveSession.objects.filter(pk=session.pk).exists()


# The session's page


def test_the_session_page_shows_casablanca_time_with_machine_readable_times(client, room):
    session = room["session"]
    session.starts_at, session.ends_at = local(hour=10), local(hour=11, minute=30)
    session.agenda = "Tour de table"
    session.external_video_url = "https://meet.jit.si/virage"
    session.save()
    module = room["course"].get_children().live().first().specific
    session.modules.add(module)
    client.force_login(room["people"][1])
    html = page(client, f"/fr/coaching/sessions/{session.pk}/")
    assert '<html lang="fr"' in html
    assert f'datetime="{session.starts_at.astimezone(datetime.UTC).isoformat()}"' in html
    assert ">10:00</time>" in html and ">11:30</time>" in html
    assert "Tour de table" in html and module.url in html
    assert "https://meet.jit.si/virage" in html
    assert reverse("coaching:session-ics", args=[session.pk]) in html
    assert "coaching/times.js" in html
    english = page(client, f"/en/coaching/sessions/{session.pk}/")
    assert "(Casablanca time)" in english and "your time: %(zone)s" in english
    # Tomorrow: no room to join yet, and no coach's tools for a participant.
    assert reverse("coaching:room", args=[session.pk]) not in html
    assert reverse("coaching:session-edit", args=[session.pk]) not in html


def test_the_join_button_appears_a_quarter_of_an_hour_before_the_start(client, room):
    session = room["session"]
    room_url = reverse("coaching:room", args=[session.pk])
    client.force_login(room["people"][0])
    session.starts_at = timezone.now() + datetime.timedelta(minutes=20)
    session.save()
    assert room_url not in page(client, reverse("coaching:session", args=[session.pk]))
    session.starts_at = timezone.now() + datetime.timedelta(minutes=10)
    session.save()
    assert room_url in page(client, reverse("coaching:session", args=[session.pk]))
    session.ended_at = timezone.now()
    session.save()
    assert room_url not in page(client, reverse("coaching:session", args=[session.pk]))


@pytest.mark.parametrize("who", ["outsider", "other_cohort_member", "other_coach"])
def test_people_outside_the_cohort_get_404_on_every_session_page(client, room, who):
    session = room["session"]
    client.force_login(room[who])
    for name in ("session", "session-ics", "summary", "session-edit", "session-cancel"):
        assert client.get(reverse(f"coaching:{name}", args=[session.pk])).status_code == 404
    assert client.get(reverse("coaching:session", args=[10**17])).status_code == 404
    assert client.get("/fr/coaching/sessions/99999999999999999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, room):
    session = room["session"]
    for url in (
        reverse("coaching:sessions"),
        reverse("coaching:session-new"),
        reverse("coaching:session", args=[session.pk]),
        reverse("coaching:session-ics", args=[session.pk]),
        reverse("coaching:summary", args=[session.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Prepared polls


def test_a_coach_prepares_and_deletes_polls(client, room):
    session = room["session"]
    client.force_login(room["coach"])
    url = reverse("coaching:poll-add", args=[session.pk])
    data = {
        "question": "Où vendez-vous ?",
        "option_1": "Boutique",
        "option_2": "",
        "option_3": "En ligne",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    poll = Poll.objects.get(session=session)
    assert (poll.question, poll.options, poll.status) == (
        "Où vendez-vous ?",
        ["Boutique", "En ligne"],
        "draft",
    )
    html = page(client, reverse("coaching:session", args=[session.pk]))
    assert "Où vendez-vous ?" in html and "En ligne" in html
    response = client.post(reverse("coaching:poll-delete", args=[session.pk, poll.pk]))
    assert response.status_code == 302 and not Poll.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"question": "Une seule ?", "option_1": "Oui"}, "Give at least two answers"),
        (
            {"question": "Pareil ?", "option_1": "Oui", "option_2": "oui"},
            "Two answers are the same",
        ),
        ({"question": "", "option_1": "A", "option_2": "B"}, "This field is required."),
        ({"question": "Long ?", "option_1": "A" * 201, "option_2": "B"}, "at most 200"),
    ],
)
def test_a_poll_needs_a_question_and_two_to_six_distinct_answers(client, room, data, message):
    client.force_login(room["coach"])
    response = client.post(f"/en/coaching/sessions/{room['session'].pk}/polls/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Poll.objects.exists()


def test_only_moderators_prepare_polls_and_only_drafts_are_deleted(client, room):
    session = room["session"]
    data = {"question": "Q ?", "option_1": "A", "option_2": "B"}
    client.force_login(room["people"][0])
    assert client.post(reverse("coaching:poll-add", args=[session.pk]), data).status_code == 404
    opened = Poll.objects.create(session=session, question="Q", options=["A", "B"], status="open")
    client.force_login(room["coach"])
    url = reverse("coaching:poll-delete", args=[session.pk, opened.pk])
    assert client.post(url).status_code == 404
    assert client.get(reverse("coaching:poll-add", args=[session.pk])).status_code == 405
    assert Poll.objects.filter(pk=opened.pk).exists()


# Lists


def test_each_person_lists_the_sessions_they_may_see(client, room):
    other_cohort = Cohort.objects.get(name="Promotion Agadir")
    elsewhere = LiveSession.objects.create(
        cohort=other_cohort, title="Session à Agadir", starts_at=local(), ends_at=local(hour=11)
    )
    past = LiveSession.objects.create(
        cohort=room["cohort"],
        title="Session passée",
        starts_at=local(days=-3),
        ends_at=local(days=-3, hour=11),
    )
    client.force_login(room["people"][0])
    html = page(client, reverse("coaching:sessions"))
    assert "Vendre en ligne" in html and "Session passée" in html
    assert elsewhere.title not in html
    assert html.index("Vendre en ligne") < html.index("Session passée")
    assert reverse("coaching:summary", args=[past.pk]) in html
    assert reverse("coaching:session-new") not in html
    client.force_login(room["other_coach"])
    html = page(client, reverse("coaching:sessions"))
    assert "Session à Agadir" in html and "Vendre en ligne" not in html
    client.force_login(room["manager"])
    html = page(client, reverse("coaching:sessions"))
    assert "Session à Agadir" in html and "Vendre en ligne" in html
    html = page(client, reverse("coaching:sessions") + f"?cohort={other_cohort.pk}")
    assert "Session à Agadir" in html and "Vendre en ligne" not in html
    html = page(client, reverse("coaching:sessions") + "?cohort=nonsense")
    assert "Vendre en ligne" in html


# The dashboard card


def test_the_dashboard_lists_the_next_sessions_with_a_join_link_when_open(client, room):
    session = room["session"]  # started five minutes ago
    later = LiveSession.objects.create(
        cohort=room["cohort"], title="Atelier de demain", starts_at=local(), ends_at=local(hour=11)
    )
    client.force_login(room["people"][0])
    html = page(client, "/en/dashboard/")
    assert "Upcoming live sessions" in html
    assert "Vendre en ligne" in html and "Atelier de demain" in html
    assert reverse("coaching:room", args=[session.pk]).replace("/fr/", "/en/") in html
    assert reverse("coaching:room", args=[later.pk]).replace("/fr/", "/en/") not in html
    assert "/en/coaching/action-plan/" in html
    client.force_login(room["outsider"])
    assert "Upcoming live sessions" not in page(client, "/en/dashboard/")


def test_the_dashboard_card_costs_the_same_queries_however_many_sessions(client, room):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(room["people"][0])
    page(client, reverse("dashboard"))  # warm caches (site root paths, groups)
    with CaptureQueriesContext(connection) as few:
        page(client, reverse("dashboard"))
    for days in range(1, 6):
        LiveSession.objects.create(
            cohort=room["cohort"],
            title=f"Atelier {days}",
            starts_at=local(days=days),
            ends_at=local(days=days, hour=11),
        )
    for _ in range(10):
        factories.add_member(room["companies"][0])
    with CaptureQueriesContext(connection) as many:
        html = page(client, reverse("dashboard"))
    assert html.count('class="session-row"') == 3
    assert len(many) == len(few)


# The calendar file


def test_the_calendar_file_describes_the_session_in_utc(client, room):
    from icalendar import Calendar

    session = room["session"]
    session.starts_at, session.ends_at = local(hour=10), local(hour=11, minute=30)
    session.agenda = "Tour de table"
    session.save()
    client.force_login(room["people"][0])
    response = client.get(reverse("coaching:session-ics", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert (
        b"DTSTART:" + session.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ").encode()
        in response.content
    )
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") == session.ends_at
    assert str(event["summary"]) == "Vendre en ligne"
    description = str(event["description"])
    room_url = "http://testserver" + reverse("coaching:room", args=[session.pk])
    assert "Tour de table" in description and room_url in description
    assert str(event["url"]) == "http://testserver" + reverse("coaching:session", args=[session.pk])
    uid = str(event["uid"])
    assert uid.startswith(f"live-session-{session.pk}@")
    assert int(event["sequence"]) == 0
    session.revision = 2
    session.save()
    again = Calendar.from_ical(
        client.get(reverse("coaching:session-ics", args=[session.pk])).content
    ).walk("VEVENT")[0]
    assert str(again["uid"]) == uid and int(again["sequence"]) == 2


# The admin


def test_programme_managers_manage_live_sessions_in_the_admin(client, room):
    client.force_login(room["manager"])
    listing = client.get("/admin/live-sessions/")
    assert listing.status_code == 200
    assert "Vendre en ligne" in listing.content.decode()
    other = Cohort.objects.get(name="Promotion Agadir")
    filtered = client.get(f"/admin/live-sessions/?cohort={other.pk}")
    assert "Vendre en ligne" not in filtered.content.decode()
    assert client.get(f"/admin/live-sessions/edit/{room['session'].pk}/").status_code == 200
    client.force_login(room["coach"])
    assert client.get("/admin/live-sessions/").status_code in (302, 403)


def test_the_stylesheet_uses_logical_properties_only():
    from pathlib import Path

    import coaching

    css = (Path(coaching.__file__).parent / "static" / "coaching" / "sessions.css").read_text()
    for physical in ("left", "right", "margin-top", "padding-bottom", "width:", "height:"):
        assert physical not in css.replace("inline-size", "").replace("block-size", ""), physical
