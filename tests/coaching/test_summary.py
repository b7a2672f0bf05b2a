"""Attendance and engagement figures, checked against minutes counted by hand, and the summary
page that shows them: everyone's to the coaches, one's own to a participant."""

import datetime
import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import (
    ActionItem,
    Attendance,
    LiveSession,
    Participant,
    Poll,
    PollVote,
    Question,
    QuestionVote,
)
from coaching.room import log
from coaching.stats import present_seconds, session_figures
from tests import factories
from tests.coaching.rooms import make_room

pytestmark = pytest.mark.django_db

_connections = itertools.count(1)
START = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def minutes(n):
    return datetime.timedelta(minutes=n)


@pytest.fixture
def room():
    world = make_room(participants=4)
    session = world["session"]
    session.starts_at, session.ends_at = START, START + minutes(60)
    session.opened_at = START - minutes(10)
    session.save()
    return world


def place(session, user, role=Participant.Role.PARTICIPANT, company=None):
    return Participant.objects.create(
        session=session, user=user, role=role, status="admitted", company=company
    )


def connect(session, user, opened, closed=None, last_seen=None):
    return Attendance.objects.create(
        session=session,
        user=user,
        connection=f"c{next(_connections)}",
        opened_at=START + minutes(opened),
        last_seen_at=START + minutes(last_seen if last_seen is not None else opened),
        closed_at=START + minutes(closed) if closed is not None else None,
    )


def event(session, kind, actor, **data):
    with transaction.atomic():
        log.append(session.pk, kind, data, actor_id=actor.pk)


def test_the_union_of_intervals_is_counted_once_and_clipped():
    intervals = [
        (START - minutes(10), START + minutes(20)),
        (START + minutes(10), START + minutes(40)),
        (START + minutes(50), START + minutes(70)),
    ]
    assert present_seconds(intervals, START, START + minutes(60)) == 50 * 60
    assert present_seconds([], START, START + minutes(60)) == 0
    assert present_seconds(intervals, START, START + minutes(15)) == 15 * 60


def test_minutes_present_against_hand_counted_figures(room):
    session = room["session"]
    overlapping, late, still_here, gone_silent = room["people"]
    for person in room["people"]:
        place(session, person)
    # Two tabs: 09:50–09:20 and 09:10–09:40 overlap; within the session: 09:00–09:40 = 40 min.
    connect(session, overlapping, -10, closed=20)
    connect(session, overlapping, 10, closed=40)
    # Came at 09:50 and left at 10:10, after the scheduled end: 10 minutes count.
    connect(session, late, 50, closed=70)
    # Still connected and heard from a moment ago: counts up to now (09:45), 15 minutes.
    connect(session, still_here, 30, last_seen=44.5)
    # Connection open but silent since 09:35 (its process died): counts up to 09:35.
    connect(session, gone_silent, 5, last_seen=35)
    figures = session_figures(session, now=START + minutes(45))
    by_user = {person.user_id: person for person in figures.people}
    assert by_user[overlapping.pk].seconds == 40 * 60
    assert by_user[overlapping.pk].first_joined_at == START - minutes(10)
    assert by_user[overlapping.pk].last_left_at == START + minutes(40)
    assert by_user[late.pk].seconds == 0  # not yet come at 09:45
    assert by_user[still_here.pk].seconds == 15 * 60
    assert by_user[still_here.pk].present_now and by_user[still_here.pk].last_left_at is None
    assert by_user[gone_silent.pk].seconds == 30 * 60
    assert not by_user[gone_silent.pk].present_now
    # Attended: at least half of the 60 scheduled minutes.
    assert [by_user[p.pk].attended for p in room["people"]] == [True, False, False, True]
    assert figures.attended_count == 2 and figures.came_count == 4
    afterwards = session_figures(session, now=START + minutes(80))
    assert afterwards.of(late.pk).seconds == 10 * 60
    assert afterwards.of(still_here.pk).seconds == 14.5 * 60  # silent since 09:44:30


def test_a_session_ended_early_counts_up_to_its_end(room):
    session = room["session"]
    session.ended_at = START + minutes(25)
    session.save()
    stayed, left_soon = room["people"][:2]
    place(session, stayed)
    place(session, left_soon)
    connect(session, stayed, 0, closed=25)
    connect(session, left_soon, 0, closed=12)
    figures = session_figures(session, now=START + minutes(90))
    assert figures.of(stayed.pk).seconds == 25 * 60
    # Half of the 25 minutes the session lasted (not of the hour it was planned for).
    assert figures.of(stayed.pk).attended
    assert not figures.of(left_soon.pk).attended  # 12 of 25 minutes


def test_a_room_ended_before_its_scheduled_start_counts_from_its_opening(room):
    session = room["session"]
    session.opened_at = START - minutes(40)
    session.ended_at = START - minutes(10)
    session.save()
    came, glimpsed = room["people"][:2]
    place(session, came)
    place(session, glimpsed)
    connect(session, came, -38, closed=-12)
    connect(session, glimpsed, -20, closed=-15)
    figures = session_figures(session, now=START + minutes(90))
    assert (figures.window_start, figures.window_end) == (START - minutes(40), START - minutes(10))
    assert figures.of(came.pk).seconds == 26 * 60 and figures.of(came.pk).attended
    assert figures.of(glimpsed.pk).seconds == 5 * 60 and not figures.of(glimpsed.pk).attended


def test_engagement_is_counted_per_person(room):
    session = room["session"]
    talker, quiet = room["people"][:2]
    place(session, talker)
    place(session, quiet)
    for _ in range(3):
        event(session, "chat", talker, name="T", text="Bonjour")
    event(session, "dm", talker, name="T", text="Privé")  # private: not a chat message
    event(session, "hand_raised", talker, user=talker.pk)
    event(session, "hand_raised", talker, user=talker.pk)
    first = Poll.objects.create(
        session=session, question="A ?", options=["x", "y"], status="closed"
    )
    second = Poll.objects.create(session=session, question="B ?", options=["x", "y"], status="open")
    PollVote.objects.create(poll=first, user=talker, option=0)
    PollVote.objects.create(poll=second, user=talker, option=1)
    PollVote.objects.create(poll=first, user=quiet, option=1)
    Question.objects.create(session=session, author=talker, text="Pourquoi ?")
    figures = session_figures(session, now=START + minutes(60))
    assert (
        figures.of(talker.pk).chat_messages,
        figures.of(talker.pk).hands_raised,
        figures.of(talker.pk).poll_answers,
        figures.of(talker.pk).questions_asked,
    ) == (3, 2, 2, 1)
    assert (figures.of(quiet.pk).chat_messages, figures.of(quiet.pk).poll_answers) == (0, 1)
    assert figures.chat_messages == 3


def test_members_who_never_came_are_listed_as_absent(room):
    session = room["session"]
    place(session, room["coach"], role=Participant.Role.MODERATOR)
    place(session, room["people"][0])
    connect(session, room["people"][0], 0, closed=30)
    figures = session_figures(session, now=START + minutes(60))
    absent = [p for p in figures.people if not p.came]
    assert {p.user_id for p in absent} == {p.pk for p in room["people"][1:]} | {room["coach"].pk}
    assert room["outsider"].pk not in {p.user_id for p in figures.people}
    assert figures.people[0].user_id == room["coach"].pk  # coaches first


def populate(session, people):
    poll = Poll.objects.create(session=session, question="A ?", options=["x", "y"], status="closed")
    for person in people:
        place(session, person)
        connect(session, person, 0, closed=45)
        connect(session, person, 30, closed=50)
        event(session, "chat", person, name="P", text="Salut")
        PollVote.objects.create(poll=poll, user=person, option=0)
        Question.objects.create(session=session, author=person, text="Q ?")


def test_figures_take_the_same_queries_for_three_or_thirty_people(room):
    session = room["session"]
    populate(session, room["people"][:3])
    with CaptureQueriesContext(connection) as few:
        session_figures(session, now=START + minutes(60))
    populate(session, [factories.add_member(room["companies"][0]) for _ in range(27)])
    with CaptureQueriesContext(connection) as many:
        figures = session_figures(session, now=START + minutes(60))
    assert len(many) == len(few) <= 6
    assert len(figures.participants) == 31


# The summary page


@pytest.fixture
def ran(room):
    session = room["session"]
    first, second = room["companies"]
    place(session, room["coach"], role=Participant.Role.MODERATOR)
    alice, bob = room["people"][0], room["people"][1]  # of the first and second company
    place(session, alice, company=first)
    place(session, bob, company=second)
    connect(session, alice, 0, closed=50)
    connect(session, bob, 40, closed=60)
    event(session, "chat", alice, name="A", text="Bonjour")
    poll = Poll.objects.create(
        session=session,
        question="Où vendez-vous ?",
        options=["Boutique", "En ligne"],
        status="closed",
    )
    PollVote.objects.create(poll=poll, user=alice, option=1)
    PollVote.objects.create(poll=poll, user=bob, option=1)
    Poll.objects.create(session=session, question="Brouillon jamais ouvert", options=["a", "b"])
    question = Question.objects.create(
        session=session, author=bob, text="Faut-il un site ?", answered=True
    )
    QuestionVote.objects.create(question=question, user=alice)
    ActionItem.objects.create(session=session, company=first, text="Ouvrir WhatsApp Business")
    ActionItem.objects.create(session=session, company=second, text="Photographier le catalogue")
    session.ended_at = START + minutes(60)
    session.save()
    return room


def test_coaches_read_everyones_attendance_and_engagement(client, ran):
    client.force_login(ran["coach"])
    html = client.get(f"/en/coaching/sessions/{ran['session'].pk}/summary/").content.decode()
    alice, bob = ran["people"][0], ran["people"][1]
    assert alice.display_name in html and bob.display_name in html
    assert "Attendance and engagement per person" in html
    assert "Où vendez-vous ?" in html and "2 (100%)" in html and "0 (0%)" in html
    assert "Brouillon jamais ouvert" not in html
    assert "Faut-il un site ?" in html and "1 vote" in html and "Answered" in html
    assert "Ouvrir WhatsApp Business" in html and "Photographier le catalogue" in html


def test_a_participant_reads_the_summary_with_their_own_figures_only(client, ran):
    alice, bob = ran["people"][0], ran["people"][1]
    client.force_login(alice)
    response = client.get(f"/fr/coaching/sessions/{ran['session'].pk}/summary/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert bob.display_name not in html  # neither his figures nor his question's authorship
    assert response.context["mine"].minutes == 50
    assert "Où vendez-vous ?" in html and "Faut-il un site ?" in html
    # What was said in the room is seen by the room: every company's action items.
    assert "Ouvrir WhatsApp Business" in html and "Photographier le catalogue" in html
    english = client.get(f"/en/coaching/sessions/{ran['session'].pk}/summary/").content.decode()
    assert "Your participation" in english
    assert "Attendance and engagement per person" not in english


def test_a_member_of_two_companies_reads_every_action_item(client, ran):
    from virage_site.companies.models import Membership

    alice = ran["people"][0]  # of the first company, and now of the second too
    Membership.objects.create(user=alice, company=ran["companies"][1], role="employee")
    client.force_login(alice)
    html = client.get(reverse("coaching:summary", args=[ran["session"].pk])).content.decode()
    assert "Ouvrir WhatsApp Business" in html and "Photographier le catalogue" in html


def test_ones_own_attendance_says_no_once_the_session_is_over(client, room):
    session = room["session"]
    now = timezone.now()
    session.starts_at, session.ends_at = now - minutes(20), now + minutes(40)
    session.opened_at = session.starts_at
    session.save()
    person = room["people"][0]
    place(session, person)
    client.force_login(person)
    url = f"/en/coaching/sessions/{session.pk}/summary/"

    def attended():
        html = client.get(url).content.decode()
        return html.split("<dt>Attended</dt><dd>")[1].split("</dd>")[0]

    assert attended() == "Not yet"
    session.ended_at = now
    session.save()
    assert attended() == "No"


def test_outsiders_get_404_and_visitors_log_in(client, ran):
    url = reverse("coaching:summary", args=[ran["session"].pk])
    for who in ("outsider", "other_cohort_member"):
        client.force_login(ran[who])
        assert client.get(url).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]


def test_the_summary_page_costs_the_same_queries_with_more_people(client, ran):
    session = ran["session"]
    client.force_login(ran["coach"])
    url = reverse("coaching:summary", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ended_at = session.ended_at
    LiveSession.objects.filter(pk=session.pk).update(ended_at=None)  # an ended room logs nothing
    populate(session, [factories.add_member(ran["companies"][0]) for _ in range(12)])
    LiveSession.objects.filter(pk=session.pk).update(ended_at=ended_at)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_summary_before_the_start_says_it_fills_in_later(client, room):
    session = room["session"]
    session.starts_at = timezone.now() + datetime.timedelta(days=1)
    session.ends_at = session.starts_at + minutes(60)
    session.opened_at = None
    session.save()
    client.force_login(room["people"][0])
    html = client.get(f"/en/coaching/sessions/{session.pk}/summary/").content.decode()
    assert "has not started yet" in html
