"""What moderators do in a room is in the audit log: who did what to whom, in which session,
written with the moderation itself."""

import pytest
from asgiref.sync import sync_to_async
from wagtail.models import ModelLogEntry

from coaching.models import LiveSession
from tests.coaching.rooms import RoomClient, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


def _entries(session):
    return list(
        ModelLogEntry.objects.filter(object_id=str(session.pk))
        .order_by("pk")
        .values_list("action", "user_id", "data")
    )


async def test_mute_lock_remove_and_end_are_logged_with_the_coach_and_the_person():
    room = make_room()
    session, coach_user = room["session"], room["coach"]
    person = room["people"][0]
    coach = RoomClient(coach_user, session.pk)
    await coach.connect()
    participant = RoomClient(person, session.pk)
    await participant.connect()
    await coach.expect("joined", user=person.pk)
    await coach.send(type="mute", user=person.pk, muted=True)
    await coach.expect("chat_muted")
    # Muting someone already muted changes nothing, and logs nothing.
    await coach.send(type="mute", user=person.pk, muted=True)
    await coach.send(type="lock", locked=True)
    await coach.expect("room_locked")
    await coach.send(type="remove", user=person.pk)
    await coach.expect("removed")
    await coach.send(type="end")
    await coach.expect("room_ended")
    for client in (coach, participant):
        await client.close()

    entries = await _aentries(session)
    assert [action for action, _, _ in entries] == [
        "coaching.room.mute",
        "coaching.room.lock",
        "coaching.room.remove",
        "coaching.room.end",
    ]
    assert {user for _, user, _ in entries} == {coach_user.pk}
    assert entries[0][2] == {"person": person.pk, "person_name": person.display_name}


async def test_a_refused_command_logs_nothing():
    room = make_room()
    session = room["session"]
    coach = RoomClient(room["coach"], session.pk)
    await coach.connect()
    participant = RoomClient(room["people"][0], session.pk)
    await participant.connect()
    await participant.send(type="lock", locked=True)
    assert (await participant.expect("error"))["code"] == "forbidden"
    await participant.send(type="mute", user=room["people"][1].pk, muted=True)
    assert (await participant.expect("error"))["code"] == "forbidden"
    for client in (coach, participant):
        await client.close()
    assert await _aentries(session) == []
    assert not (await LiveSession.objects.aget(pk=session.pk)).locked


async def _aentries(session):
    return await sync_to_async(_entries)(session)
