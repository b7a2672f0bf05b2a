"""Session reminders: sent by a background command, once per person, kind and start time; a
rescheduled session is announced again; nothing for sessions that are over or far away."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from coaching.models import LiveSession, ReminderSent
from coaching.models.sessions import SESSION_TIME_ZONE
from coaching.reminders import send_due_reminders
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


def test_a_rescheduled_session_is_announced_again_but_never_twice_for_one_start(room):
    session = room["session"]
    send_due_reminders()
    session.starts_at += datetime.timedelta(hours=2)
    session.ends_at += datetime.timedelta(hours=2)
    session.save()
    mail.outbox.clear()
    assert send_due_reminders() == 4
    session.starts_at -= datetime.timedelta(hours=2)
    session.ends_at -= datetime.timedelta(hours=2)
    session.save()
    assert send_due_reminders() == 0  # that start was announced already


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


def test_a_reminder_claimed_by_another_process_is_not_sent_again(room):
    person = room["people"][0]
    ReminderSent.objects.create(
        session=room["session"], user=person, kind="day", starts_at=room["session"].starts_at
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
