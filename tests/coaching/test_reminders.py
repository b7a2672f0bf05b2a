"""Session reminders: sent by a background command, once per person, kind and revision of the
session; a rescheduled session is announced again; nothing for sessions that are over or far
away. The same command ends the rooms left open after their session."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from coaching.models import LiveSession, ReminderSent
from coaching.models.sessions import SESSION_TIME_ZONE
from coaching.reminders import reminder_kind, send_due_reminders
from tests import factories
from tests.coaching.rooms import make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    world = make_room()
    session = world["session"]
    session.starts_at = timezone.now() + datetime.timedelta(hours=20)
    session.ends_at = session.starts_at + datetime.timedelta(hours=1)
    session.save()
    return world


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def everyone(room):
    return sorted(person.email for person in [*room["people"], room["coach"]])


def test_the_day_before_each_member_and_coach_gets_one_reminder(room):
    assert send_due_reminders() == 4
    assert recipients() == everyone(room)
    assert room["outsider"].email not in recipients()
    assert room["other_cohort_member"].email not in recipients()
    assert send_due_reminders() == 0  # idempotent
    assert len(mail.outbox) == 4
    assert ReminderSent.objects.filter(kind="day").count() == 4


def test_within_the_hour_a_second_reminder_goes_once(room):
    session = room["session"]
    send_due_reminders()
    mail.outbox.clear()
    later = session.starts_at - datetime.timedelta(minutes=30)
    assert send_due_reminders(now=later) == 4
    assert send_due_reminders(now=later + datetime.timedelta(minutes=5)) == 0
    assert ReminderSent.objects.filter(kind="soon").count() == 4


def test_a_rescheduled_session_is_announced_again_but_never_twice_for_one_revision(room):
    session = room["session"]
    send_due_reminders()
    session.starts_at += datetime.timedelta(hours=2)
    session.ends_at += datetime.timedelta(hours=2)
    session.save()
    mail.outbox.clear()
    assert send_due_reminders() == 4
    assert send_due_reminders() == 0
    # Back to the first time: people now believe the second one, so it is announced again.
    session.starts_at -= datetime.timedelta(hours=2)
    session.ends_at -= datetime.timedelta(hours=2)
    session.save()
    assert send_due_reminders() == 4
    assert send_due_reminders() == 0
    assert len(mail.outbox) == 8
    # A change of title alone announces nothing.
    session.title = "Vendre en ligne, suite"
    session.save()
    assert send_due_reminders() == 0


def test_no_day_reminder_for_a_session_starting_within_two_hours(room):
    session = room["session"]
    now = timezone.now()
    session.starts_at = now + datetime.timedelta(minutes=90)
    session.ends_at = session.starts_at + datetime.timedelta(hours=1)
    session.save()
    assert send_due_reminders(now=now) == 0
    assert send_due_reminders(now=now + datetime.timedelta(minutes=35)) == 4
    # Only the "soon" reminder (its subject, in French by default, starts "Bientôt").
    assert all(m.subject.startswith("Bientôt") for m in mail.outbox)
    assert not ReminderSent.objects.filter(kind="day").exists()
    # Two hours and a minute ahead, the day's reminder still goes.
    assert reminder_kind(session, session.starts_at - datetime.timedelta(minutes=121)) == "day"


@pytest.mark.parametrize(
    "starts_in, ended",
    [
        (datetime.timedelta(hours=30), False),  # too far ahead
        (datetime.timedelta(minutes=-5), False),  # already started
        (datetime.timedelta(hours=2), True),  # ended early by its coach
    ],
)
def test_no_reminder_outside_the_window_or_for_an_ended_session(room, starts_in, ended):
    session = room["session"]
    session.starts_at = timezone.now() + starts_in
    session.ends_at = session.starts_at + datetime.timedelta(hours=1)
    session.ended_at = timezone.now() if ended else None
    session.save()
    assert send_due_reminders() == 0
    assert mail.outbox == []


def test_inactive_people_get_nothing(room):
    person = room["people"][0]
    person.is_active = False
    person.save()
    send_due_reminders()
    assert person.email not in recipients()


def test_the_email_names_the_session_time_in_casablanca_and_links_to_its_page(room, settings):
    settings.VIRAGE_BASE_URL = "https://virage.example.ma/"
    session = room["session"]
    session.agenda = "Tour de table"
    session.save()
    send_due_reminders()
    message = next(m for m in mail.outbox if m.to == [room["people"][0].email])
    local = timezone.localtime(session.starts_at, SESSION_TIME_ZONE)
    assert "Vendre en ligne" in message.subject and local.strftime("%H:%M") in message.subject
    assert f"https://virage.example.ma/fr/coaching/sessions/{session.pk}/" in message.body
    assert f"https://virage.example.ma/fr/coaching/sessions/{session.pk}/calendar.ics" in (
        message.body
    )
    assert "Tour de table" in message.body
    # The subject line in the other languages, for a reader of another one.
    assert "English: Live session “Vendre en ligne”" in message.body
    assert "العربية: " in message.body


def test_a_person_who_chose_a_language_reads_the_reminder_in_it(room):
    from wagtail.users.models import UserProfile

    person = room["people"][0]
    UserProfile.objects.update_or_create(user=person, defaults={"preferred_language": "en"})
    send_due_reminders()
    message = next(m for m in mail.outbox if m.to == [person.email])
    assert message.subject.startswith("Live session “Vendre en ligne”")
    assert f"/en/coaching/sessions/{room['session'].pk}/" in message.body
    assert "Français: " in message.body


def test_a_refused_email_is_tried_again_next_round(room):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPException("busy"),
    ):
        assert send_due_reminders() == 0
    assert not ReminderSent.objects.exists()
    assert send_due_reminders() == 4


def test_an_address_the_server_refuses_is_recorded_and_not_tried_every_minute(room, caplog):
    person = room["people"][0]
    real_send = mail.backends.locmem.EmailBackend.send_messages

    def refuse_one(backend, messages):
        if messages[0].to == [person.email]:
            raise smtplib.SMTPRecipientsRefused({person.email: (550, b"No such user")})
        return real_send(backend, messages)

    send = "django.core.mail.backends.locmem.EmailBackend.send_messages"
    with mock.patch(send, autospec=True, side_effect=refuse_one) as sending:
        assert send_due_reminders() == 3
        assert send_due_reminders() == 0
    assert sending.call_count == 4  # the refused address was tried once
    assert ReminderSent.objects.get(user=person, kind="day").refused
    assert ReminderSent.objects.filter(refused=False).count() == 3
    refusals = [r for r in caplog.records if "refused the address" in r.getMessage()]
    assert len(refusals) == 1 and refusals[0].levelname == "WARNING"


def test_a_subject_with_quotes_and_ampersands_is_written_as_typed(room):
    session = room["session"]
    session.title = "Vendre à l'export & <en ligne>"
    session.save()
    send_due_reminders()
    message = mail.outbox[0]
    assert "Vendre à l'export & <en ligne>" in message.subject
    assert "&amp;" not in message.subject and "&#x27;" not in message.subject
    assert "Vendre à l'export & <en ligne>" in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body


def test_a_reminder_claimed_by_another_process_is_not_sent_again(room):
    person = room["people"][0]
    session = room["session"]
    ReminderSent.objects.create(
        session=session,
        user=person,
        kind="day",
        revision=session.revision,
        starts_at=session.starts_at,
    )
    assert send_due_reminders() == 3
    assert person.email not in recipients()


def test_the_command_sends_them_and_keeps_running_in_a_loop(room):
    call_command("send_session_reminders", verbosity=0)
    assert len(mail.outbox) == 4

    class Stop(Exception):
        pass

    LiveSession.objects.update(starts_at=timezone.now() + datetime.timedelta(minutes=40))
    command = "coaching.management.commands.send_session_reminders"
    # Between rounds the command drops stale connections; the test's own must stay open.
    keep_connection = mock.patch(f"{command}.close_old_connections")
    with (
        keep_connection,
        mock.patch("time.sleep", side_effect=Stop) as sleep,
        mock.patch(
            f"{command}.send_due_reminders",
            side_effect=[RuntimeError("database away")],
        ),
        pytest.raises(Stop),
    ):
        call_command("send_session_reminders", loop=True, interval=5, verbosity=0)
    sleep.assert_called_once_with(5)  # a failed round does not stop the loop
    with keep_connection, mock.patch("time.sleep", side_effect=Stop), pytest.raises(Stop):
        call_command("send_session_reminders", loop=True, verbosity=0)
    assert len(mail.outbox) == 8


def test_a_new_member_gets_the_reminder_others_already_had(room):
    send_due_reminders()
    newcomer = factories.add_member(room["companies"][0])
    assert send_due_reminders() == 1
    assert mail.outbox[-1].to == [newcomer.email]


def test_reminders_sent_before_revisions_keep_their_announced_start():
    """The migration to revisions: a reminder of the current start belongs to the current
    revision; one of an earlier start goes (earlier revisions are never announced again)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("coaching.migrations.0004_session_revisions")
    world = make_room()
    session = world["session"]
    session.starts_at += datetime.timedelta(hours=1)
    session.save()
    person, other = world["people"][:2]
    current = ReminderSent.objects.create(
        session=session, user=person, kind="day", starts_at=session.starts_at
    )
    earlier = ReminderSent.objects.create(
        session=session,
        user=other,
        kind="day",
        starts_at=session.starts_at - datetime.timedelta(hours=1),
    )
    migration.key_by_revision(apps, None)
    current.refresh_from_db()
    assert current.revision == session.revision == 1
    assert not ReminderSent.objects.filter(pk=earlier.pk).exists()


# Rooms left open


def open_room(world, ended_ago):
    """The world's session, scheduled an hour ending `ended_ago`, its room opened."""
    from coaching.models import Participant

    session = world["session"]
    session.ends_at = timezone.now() - ended_ago
    session.starts_at = session.ends_at - datetime.timedelta(hours=1)
    session.opened_at = session.starts_at
    session.save()
    Participant.objects.create(
        session=session,
        user=world["coach"],
        role="moderator",
        status="admitted",
        in_call=True,
        hand_raised_at=session.starts_at,
    )
    return session


def attend(session, user, opened, last_seen, closed=None, name="c"):
    from coaching.models import Attendance

    return Attendance.objects.create(
        session=session,
        user=user,
        connection=f"{name}-{session.pk}-{user.pk}",
        opened_at=opened,
        last_seen_at=last_seen,
        closed_at=closed,
    )


def test_a_room_everyone_left_is_ended_half_an_hour_after_its_end(db):
    from coaching.models import Participant, RoomEvent
    from coaching.schedule import end_abandoned_rooms

    world = make_room()
    session = open_room(world, ended_ago=datetime.timedelta(days=3))
    last_left = session.ends_at + datetime.timedelta(minutes=10)
    attend(session, world["coach"], session.starts_at, last_left, closed=last_left)
    assert session.is_over() and session.is_open  # over for the pages, still open
    assert end_abandoned_rooms() == 1
    session.refresh_from_db()
    assert not session.is_open and session.ended_at == last_left  # when its last person left
    event = RoomEvent.objects.get(session=session)
    assert (event.type, event.seq, session.last_seq) == ("room_ended", 1, 1)
    place = Participant.objects.get(session=session)
    assert not place.in_call and place.hand_raised_at is None
    assert end_abandoned_rooms() == 0  # once


def test_a_room_whose_server_stopped_is_ended_and_its_connections_closed(db):
    from coaching.schedule import end_abandoned_rooms

    world = make_room()
    session = open_room(world, ended_ago=datetime.timedelta(hours=2))
    silent_since = session.ends_at - datetime.timedelta(minutes=5)
    connection = attend(session, world["people"][0], session.starts_at, silent_since)
    assert end_abandoned_rooms() == 1
    connection.refresh_from_db()
    session.refresh_from_db()
    assert connection.closed_at == silent_since
    assert session.ended_at == session.ends_at  # nobody stayed past the scheduled end


def test_a_room_with_someone_in_it_or_within_half_an_hour_stays_open(db):
    from coaching.schedule import end_abandoned_rooms

    world = make_room()
    session = open_room(world, ended_ago=datetime.timedelta(minutes=20))
    assert end_abandoned_rooms() == 0  # overrunning: the coach may still be there
    session.ends_at = timezone.now() - datetime.timedelta(hours=1)
    session.save()
    attend(session, world["coach"], session.starts_at, timezone.now())
    assert end_abandoned_rooms() == 0  # someone is connected and heard from
    session.refresh_from_db()
    assert session.ended_at is None and session.is_open
    never_opened = LiveSession.objects.create(
        cohort=world["cohort"],
        title="Jamais ouverte",
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-1),
    )
    assert end_abandoned_rooms() == 0
    never_opened.refresh_from_db()
    assert never_opened.ended_at is None and never_opened.is_over()


def test_each_round_of_the_command_ends_abandoned_rooms(db):
    world = make_room()
    session = open_room(world, ended_ago=datetime.timedelta(hours=1))

    class Stop(Exception):
        pass

    command = "coaching.management.commands.send_session_reminders"
    with (
        mock.patch(f"{command}.close_old_connections"),
        mock.patch("time.sleep", side_effect=Stop),
        mock.patch(f"{command}.send_due_reminders", side_effect=RuntimeError("mail away")),
        pytest.raises(Stop),
    ):
        call_command("send_session_reminders", loop=True, verbosity=0)
    session.refresh_from_db()
    assert session.ended_at is not None  # a mail failure does not keep rooms open
