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
    revision = session.revision
    client.force_login(room["coach"])
    html = page(client, reverse("coaching:session-edit", args=[session.pk]))
    assert f'value="{typed(local(hour=10))}"' in html
    data = schedule_data(room["cohort"], title="Titre revu")
    data.update(starts_at=typed(local(hour=10)), ends_at=typed(local(hour=11)))
    client.post(reverse("coaching:session-edit", args=[session.pk]), data)
    session.refresh_from_db()
    assert (session.title, session.revision) == ("Titre revu", revision)
    data["starts_at"] = typed(local(hour=14))
    data["ends_at"] = typed(local(hour=15))
    response = client.post(reverse("coaching:session-edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == local(hour=14) and session.revision == revision + 1


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


def test_a_session_whose_room_opened_stays_with_its_cohort(client, room):
    session = room["session"]
    session.opened_at = timezone.now()
    session.save()
    other = Cohort.objects.get(name="Promotion Agadir")
    client.force_login(room["manager"])  # who may schedule for both cohorts
    url = reverse("coaching:session-edit", args=[session.pk])
    html = page(client, "/en" + url[3:])
    assert 'name="cohort"' in html and "disabled" in html.split('name="cohort"')[1][:200]
    assert "the session stays with its cohort" in html
    data = schedule_data(other, title="Renommée")
    data.update(starts_at=typed(session.starts_at), ends_at=typed(session.ends_at))
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.title == "Renommée" and session.cohort == room["cohort"]


def test_an_ended_session_keeps_its_times_and_its_attendance(client, room):
    from coaching.models import Attendance, Participant
    from coaching.stats import session_figures

    session = room["session"]
    person = room["people"][0]
    Participant.objects.create(
        session=session, user=person, company=room["companies"][0], role="participant"
    )
    Attendance.objects.create(
        session=session,
        user=person,
        connection="ended-1",
        opened_at=session.starts_at,
        last_seen_at=timezone.now(),
        closed_at=timezone.now(),
    )
    session.opened_at = session.starts_at
    session.ended_at = timezone.now()
    session.save()
    starts_at, ends_at, revision = session.starts_at, session.ends_at, session.revision
    seconds = session_figures(session).of(person.pk).seconds
    assert seconds > 0
    client.force_login(room["coach"])
    url = reverse("coaching:session-edit", args=[session.pk])
    html = page(client, "/en" + url[3:])
    assert "its times stay as they were" in html
    data = schedule_data(room["cohort"], title="Bilan")
    data.update(starts_at=typed(local(hour=14)), ends_at=typed(local(hour=15)))
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.title == "Bilan"
    assert (session.starts_at, session.ends_at, session.revision) == (starts_at, ends_at, revision)
    assert session_figures(session).of(person.pk).seconds == seconds


def test_an_edit_never_writes_what_the_room_did_meanwhile(client, room):
    """The form was read before the room opened and posted after: the cohort stays."""
    from coaching.forms import SessionForm
    from coaching.schedule import schedulable_cohorts

    session = room["session"]
    other = Cohort.objects.get(name="Promotion Agadir")
    data = schedule_data(other, title="Renommée")
    data.update(starts_at=typed(session.starts_at), ends_at=typed(session.ends_at))
    form = SessionForm(data, instance=session, cohorts=schedulable_cohorts(room["manager"]))
    assert form.is_valid(), form.errors
    LiveSession.objects.filter(pk=session.pk).update(opened_at=timezone.now())
    form.save()
    session.refresh_from_db()
    assert session.title == "Renommée" and session.cohort == room["cohort"]
    assert session.opened_at is not None


def test_the_revision_rises_whenever_the_time_or_place_changes_however_saved(room):
    session = room["session"]
    revision = session.revision
    session.title = "Autre titre"
    session.save()
    session.refresh_from_db()
    assert session.revision == revision
    session.external_video_url = "https://meet.jit.si/autre"
    session.save()
    session.refresh_from_db()
    assert session.revision == revision + 1
    stale = LiveSession.objects.get(pk=session.pk)
    session.ends_at += datetime.timedelta(minutes=30)
    session.save(update_fields=["ends_at"])
    session.ends_at -= datetime.timedelta(minutes=30)  # and back: announced again
    session.save()
    session.refresh_from_db()
    assert session.revision == revision + 3
    # An instance read before those changes never writes its older revision back.
    stale.agenda = "Ordre du jour"
    stale.save()
    session.refresh_from_db()
    assert session.revision == revision + 3 and session.agenda == "Ordre du jour"


def test_a_session_whose_room_opens_while_cancelling_is_not_deleted(client, room):
    """The page was read before the room opened; the deletion comes after: nothing goes."""
    from unittest import mock

    from coaching.views import lookup, sessions

    session = room["session"]

    def before_the_room_opened(*args, **kwargs):
        viewing = lookup.session_for(*args, **kwargs)
        LiveSession.objects.filter(pk=session.pk).update(opened_at=timezone.now())
        return viewing

    client.force_login(room["coach"])
    url = "/en" + reverse("coaching:session-cancel", args=[session.pk])[3:]
    with mock.patch.object(sessions, "session_for", before_the_room_opened):
        response = client.post(url, follow=True)
    assert LiveSession.objects.filter(pk=session.pk).exists()
    assert "The room has just opened" in response.content.decode()


@pytest.mark.parametrize("raw", ["%C2%B2", "%D9%A3", "9" * 40, "-1", "1e3", ""])
def test_a_strange_cohort_in_the_address_preselects_nothing(client, room, raw):
    client.force_login(room["coach"])
    response = client.get(reverse("coaching:session-new") + f"?cohort={raw}")
    assert response.status_code == 200
    assert (
        "selected" not in response.content.decode().split('name="cohort"')[1].split("</select>")[0]
    )


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
    # Opened in the room meanwhile: refused with a reason, not deleted.
    response = client.post("/en" + url[3:], follow=True)
    assert "This poll has been opened in the room" in response.content.decode()
    assert client.get(reverse("coaching:poll-add", args=[session.pk])).status_code == 405
    assert Poll.objects.filter(pk=opened.pk).exists()
    elsewhere = LiveSession.objects.create(
        cohort=room["cohort"], title="Autre", starts_at=local(), ends_at=local(hour=11)
    )
    draft = Poll.objects.create(session=elsewhere, question="Q", options=["A", "B"])
    url = reverse("coaching:poll-delete", args=[session.pk, draft.pk])
    assert client.post(url).status_code == 404  # a poll of another session
    assert Poll.objects.filter(pk=draft.pk).exists()


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


def test_a_room_left_open_long_after_its_end_is_over_everywhere(client, room):
    session = room["session"]
    long_ago = timezone.now() - datetime.timedelta(days=30)
    session.starts_at, session.ends_at = long_ago, long_ago + datetime.timedelta(hours=1)
    session.opened_at = long_ago
    session.save()
    room_url = reverse("coaching:room", args=[session.pk])
    client.force_login(room["people"][0])
    listing = page(client, reverse("coaching:sessions"))
    upcoming, past = listing.split('id="past-title"')
    assert "Vendre en ligne" not in upcoming and "Vendre en ligne" in past
    assert room_url not in listing
    assert "Vendre en ligne" not in page(client, reverse("dashboard"))
    detail = page(client, reverse("coaching:session", args=[session.pk]))
    assert room_url not in detail
    assert reverse("coaching:session-ics", args=[session.pk]) not in detail
    client.force_login(room["coach"])
    assert room_url not in page(client, reverse("coaching:session", args=[session.pk]))


def test_a_room_overrunning_its_end_by_less_than_half_an_hour_is_still_joined(client, room):
    session = room["session"]
    now = timezone.now()
    session.starts_at = now - datetime.timedelta(hours=1, minutes=10)
    session.ends_at = now - datetime.timedelta(minutes=10)
    session.opened_at = session.starts_at
    session.save()
    room_url = reverse("coaching:room", args=[session.pk])
    client.force_login(room["people"][0])
    upcoming = page(client, reverse("coaching:sessions")).split('id="past-title"')[0]
    assert "Vendre en ligne" in upcoming and room_url in upcoming
    assert room_url in page(client, reverse("dashboard"))
    assert not session.is_over() and session.is_over(now + datetime.timedelta(minutes=21))
    # Never opened: over at its scheduled end.
    session.opened_at = None
    session.save()
    assert session.is_over()
    assert room_url not in page(client, reverse("coaching:session", args=[session.pk]))


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
    sequence = int(event["sequence"])
    assert sequence == session.revision
    session.title = "Renommée"  # not the time nor the place: calendars keep their copy
    session.save()
    session.starts_at, session.ends_at = local(hour=14), local(hour=15)
    session.save()
    again = Calendar.from_ical(
        client.get(reverse("coaching:session-ics", args=[session.pk])).content
    ).walk("VEVENT")[0]
    assert str(again["uid"]) == uid and int(again["sequence"]) == sequence + 1


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


def admin_data(session, **changes):
    data = {
        "cohort": session.cohort_id,
        "title": session.title,
        "starts_at": typed(session.starts_at).replace("T", " "),
        "ends_at": typed(session.ends_at).replace("T", " "),
        "agenda": "",
        "external_video_url": "",
    }
    data.update(changes)
    return data


def test_the_admin_takes_casablanca_times_and_raises_the_revision(client, room):
    session = room["session"]
    revision = session.revision
    client.force_login(room["manager"])
    url = f"/admin/live-sessions/edit/{session.pk}/"
    html = page(client, url)
    assert "Début (heure de Casablanca)" in html and "Africa/Casablanca" in html
    data = admin_data(
        session, starts_at=typed(local(days=2, hour=9)), ends_at=typed(local(days=2, hour=10))
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.starts_at == local(days=2, hour=9) and session.revision == revision + 1
    data.update(
        title="Créée dans l'admin", starts_at="2099-03-10 10:00", ends_at="2099-03-10 11:00"
    )
    assert client.post("/admin/live-sessions/new/", data).status_code == 302
    created = LiveSession.objects.get(title="Créée dans l'admin")
    assert created.local_starts_at.strftime("%Y-%m-%d %H:%M") == "2099-03-10 10:00"


def test_the_admin_keeps_the_cohort_and_times_of_what_took_place(client, room):
    session = room["session"]
    session.opened_at = session.starts_at
    session.ended_at = timezone.now()
    session.save()
    starts_at = session.starts_at
    other = Cohort.objects.get(name="Promotion Agadir")
    client.force_login(room["manager"])
    url = f"/admin/live-sessions/edit/{session.pk}/"
    data = admin_data(
        session,
        cohort=other.pk,
        title="Bilan",
        starts_at=typed(local(hour=14)),
        ends_at=typed(local(hour=15)),
    )
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.title, session.cohort, session.starts_at) == (
        "Bilan",
        room["cohort"],
        starts_at,
    )


def test_the_admin_never_deletes_a_session_that_took_place(client, room):
    session = room["session"]
    session.opened_at = session.starts_at
    session.save()
    client.force_login(room["manager"])
    url = f"/admin/live-sessions/delete/{session.pk}/"
    assert client.get(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/live-sessions/edit/{session.pk}/"
    assert LiveSession.objects.filter(pk=session.pk).exists()
    edit = page(client, f"/admin/live-sessions/edit/{session.pk}/")
    assert url not in edit  # no delete button
    later = LiveSession.objects.create(
        cohort=room["cohort"], title="Jamais ouverte", starts_at=local(), ends_at=local(hour=11)
    )
    response = client.post(f"/admin/live-sessions/delete/{later.pk}/")
    assert response.status_code == 302
    assert not LiveSession.objects.filter(pk=later.pk).exists()


def test_an_admin_deletion_loses_the_race_with_the_room(client, room):
    """The room opens between the confirmation page and the deletion: nothing goes, and the
    deletion is not logged."""
    from unittest import mock

    from wagtail.models import ModelLogEntry

    from coaching import wagtail_hooks

    session = room["session"]
    real = wagtail_hooks.delete_locked

    def room_opens_first(rows):
        LiveSession.objects.filter(pk=session.pk).update(opened_at=timezone.now())
        return real(rows)

    client.force_login(room["manager"])
    with mock.patch.object(wagtail_hooks, "delete_locked", room_opens_first):
        response = client.post(f"/admin/live-sessions/delete/{session.pk}/")
    assert response.status_code == 302
    assert LiveSession.objects.filter(pk=session.pk).exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.delete").exists()


def test_the_stylesheet_uses_logical_properties_only():
    from pathlib import Path

    import coaching

    css = (Path(coaching.__file__).parent / "static" / "coaching" / "sessions.css").read_text()
    for physical in ("left", "right", "margin-top", "padding-bottom", "width:", "height:"):
        assert physical not in css.replace("inline-size", "").replace("block-size", ""), physical
