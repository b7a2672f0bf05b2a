"""Prepared polls added or deleted on the session's page while its room is open reach the
room's coaches there (private events), and nobody else; a room that is not open hears nothing."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from coaching.models import LiveSession, Poll, RoomEvent
from tests import factories
from tests.coaching.rooms import RoomClient, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]

QUESTION = "Quel canal testez-vous d'abord ?"


@pytest.fixture
def room():
    found = make_room()
    second_coach = factories.make_user(role="coach", first_name="Coach", last_name="Karim")
    found["cohort"].coaches.add(second_coach)
    found["second_coach"] = second_coach
    return found


async def admitted(user, session):
    client = RoomClient(user, session.pk)
    welcome = await client.connect()
    await client.sync(0)
    return client, welcome


def page_client(user):
    client = Client()
    client.force_login(user)
    return client


@database_sync_to_async
def add_on_page(user, session, question=QUESTION, options=("Le site web", "WhatsApp")):
    """Submits the session page's form for a prepared poll; the poll (None if refused)."""
    data = {"question": question}
    data.update({f"option_{n}": text for n, text in enumerate(options, start=1)})
    before = set(Poll.objects.values_list("pk", flat=True))
    response = page_client(user).post(reverse("coaching:poll-add", args=[session.pk]), data)
    assert response.status_code == 302
    return Poll.objects.exclude(pk__in=before).first()


@database_sync_to_async
def delete_on_page(user, session, poll_id):
    """Submits the delete button of a prepared poll; the kinds of the messages the page shows
    next (`success`, `error`), in whatever language the site speaks."""
    response = page_client(user).post(reverse("coaching:poll-delete", args=[session.pk, poll_id]))
    assert response.status_code == 302
    return [message.level_tag for message in get_messages(response.wsgi_request)]


# The test's own reads go through `database_sync_to_async` as the page's do: it closes the
# connection of its thread afterwards, which PostgreSQL would otherwise see still open when the
# test database is dropped.


@database_sync_to_async
def stored_events(session):
    return [
        (event.type, event.private, event.data)
        for event in RoomEvent.objects.filter(session=session).order_by("seq")
    ]


@database_sync_to_async
def last_seq(session):
    return LiveSession.objects.get(pk=session.pk).last_seq


@database_sync_to_async
def poll_status(poll):
    """The poll's status as stored, or None once it is deleted."""
    return Poll.objects.filter(pk=poll.pk).values_list("status", flat=True).first()


async def test_coaches_in_the_room_see_polls_prepared_and_deleted_on_the_page(room):
    session = room["session"]
    coach, _ = await admitted(room["coach"], session)
    participant, _ = await admitted(room["people"][0], session)

    poll = await add_on_page(room["second_coach"], session)
    prepared = await coach.expect("poll_prepared")
    assert prepared["private"] is True
    assert prepared["by"] == room["second_coach"].pk
    assert (prepared["poll"], prepared["question"], prepared["options"]) == (
        poll.pk,
        QUESTION,
        ["Le site web", "WhatsApp"],
    )
    assert (await participant.expect("skip"))["seq"] == prepared["seq"]

    # A coach who enters now finds it among the drafts.
    latecomer, welcome = await admitted(room["second_coach"], session)
    assert {"poll": poll.pk, "question": QUESTION, "options": ["Le site web", "WhatsApp"]} in (
        welcome["drafts"]
    )

    assert await delete_on_page(room["coach"], session, poll.pk) == ["success"]
    withdrawn = await coach.expect("poll_withdrawn")
    assert (withdrawn["poll"], withdrawn["private"], withdrawn["by"]) == (
        poll.pk,
        True,
        room["coach"].pk,
    )
    assert (await latecomer.expect("poll_withdrawn"))["seq"] == withdrawn["seq"]
    assert (await participant.expect("skip"))["seq"] == withdrawn["seq"]

    # A public event after them: the participant has received everything before it, and never
    # the poll.
    await coach.send(type="chat", text="On continue.")
    await participant.expect("chat")
    assert not any(
        frame.get("type") in ("poll_prepared", "poll_withdrawn") or frame.get("poll") == poll.pk
        for frame in participant.frames
    )
    replayed, _ = await participant.sync(0)
    assert not any(event["type"].startswith("poll_") for event in replayed)

    # Stored in the room's history, for its moderators only.
    events = [event for event in await stored_events(session) if event[0].startswith("poll_")]
    assert events == [
        (
            "poll_prepared",
            True,
            {"poll": poll.pk, "question": QUESTION, "options": ["Le site web", "WhatsApp"]},
        ),
        ("poll_withdrawn", True, {"poll": poll.pk}),
    ]
    assert await poll_status(poll) is None
    for client in (coach, participant, latecomer):
        await client.close()


async def test_a_coach_sees_the_poll_they_prepared_on_the_page_themselves(room):
    session = room["session"]
    coach, _ = await admitted(room["coach"], session)
    poll = await add_on_page(room["coach"], session)
    prepared = await coach.expect("poll_prepared")
    assert (prepared["poll"], prepared["by"]) == (poll.pk, room["coach"].pk)
    await delete_on_page(room["coach"], session, poll.pk)
    assert (await coach.expect("poll_withdrawn"))["poll"] == poll.pk
    await coach.close()


async def test_a_room_that_never_opened_stores_no_event(room):
    session = room["session"]
    poll = await add_on_page(room["coach"], session)
    assert poll is not None and poll.status == Poll.Status.DRAFT
    assert await delete_on_page(room["coach"], session, poll.pk) == ["success"]
    assert await stored_events(session) == []
    assert await last_seq(session) == 0
    # The first coach to arrive opens the room and finds the drafts as they are.
    kept = await add_on_page(room["coach"], session)
    coach, welcome = await admitted(room["coach"], session)
    assert [draft["poll"] for draft in welcome["drafts"]] == [kept.pk]
    assert not any(event[0].startswith("poll_") for event in await stored_events(session))
    await coach.close()


async def test_deleting_an_opened_poll_is_refused_and_stores_nothing(room):
    session = room["session"]
    coach, _ = await admitted(room["coach"], session)
    participant, _ = await admitted(room["people"][0], session)
    poll = await add_on_page(room["coach"], session)
    await coach.expect("poll_prepared")
    await coach.send(type="poll_open", poll=poll.pk)
    await participant.expect("poll_opened", poll=poll.pk)
    before = await last_seq(session)

    messages = await delete_on_page(room["second_coach"], session, poll.pk)
    assert messages == ["error"]
    assert await poll_status(poll) == Poll.Status.OPEN
    assert await last_seq(session) == before
    assert "poll_withdrawn" not in [event[0] for event in await stored_events(session)]
    # The next event the room hears is the next one made in it.
    await coach.send(type="poll_close", poll=poll.pk)
    closed = await participant.expect("poll_closed")
    assert closed["seq"] == before + 1
    for client in (coach, participant):
        await client.close()


async def test_a_room_that_has_ended_takes_no_more_events_from_the_page(room):
    session = room["session"]
    poll = await add_on_page(room["coach"], session)
    coach, _ = await admitted(room["coach"], session)
    await coach.send(type="end")
    await coach.expect("room_ended")
    # The room closes the socket; it then ends as a browser's does.
    while await coach.next_frame() is not None:
        pass
    assert coach.close_code == 4410
    await coach.close()
    before = await last_seq(session)
    assert await delete_on_page(room["coach"], session, poll.pk) == ["success"]
    assert await add_on_page(room["coach"], session) is None
    assert await last_seq(session) == before
    assert not any(event[0].startswith("poll_") for event in await stored_events(session))
