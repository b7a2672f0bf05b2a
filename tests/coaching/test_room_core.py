"""The room's core: entry, chat, private messages, numbered events and resync."""

import pytest

from coaching.models import RoomEvent
from tests.coaching.rooms import RoomClient, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


@pytest.fixture
def room():
    return make_room()


async def enter(user, session):
    client = RoomClient(user, session.pk)
    welcome = await client.connect()
    return client, welcome


async def test_chat_reaches_everyone_with_consecutive_numbers(room):
    session = room["session"]
    coach, coach_welcome = await enter(room["coach"], session)
    assert coach_welcome["you"]["role"] == "moderator"
    first, welcome = await enter(room["people"][0], session)
    assert welcome["you"]["status"] == "admitted"
    await first.sync(0)
    await first.send(type="chat", text="Bonjour <script>alert(1)</script> à tous")
    said = await coach.expect("chat")
    assert said["text"] == "Bonjour alert(1) à tous"
    assert said["by"] == room["people"][0].pk
    mine = await first.expect("chat")
    assert mine["seq"] == said["seq"]
    numbers = [e.seq async for e in RoomEvent.objects.filter(session=session)]
    assert numbers == list(range(1, len(numbers) + 1))
    for client in (coach, first):
        await client.close()


async def test_private_message_reaches_coach_only_and_others_see_a_skip(room):
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    writer, _ = await enter(room["people"][0], session)
    other, _ = await enter(room["people"][1], session)
    await other.sync(0)
    await writer.send(type="dm", text="Une question privée")
    to_coach = await coach.expect("dm")
    assert to_coach["text"] == "Une question privée"
    skip = await other.expect("skip")
    assert skip["seq"] == to_coach["seq"]
    events, last = await other.sync(0)
    assert "dm" not in [e["type"] for e in events]
    assert last >= to_coach["seq"]
    for client in (coach, writer, other):
        await client.close()


async def test_a_reconnecting_client_receives_exactly_what_it_missed(room):
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    leaver, _ = await enter(room["people"][0], session)
    _, last = await leaver.sync(0)
    await leaver.close()
    for n in range(3):
        await coach.send(type="chat", text=f"message {n}")
        await coach.expect("chat")
    back, _ = await enter(room["people"][0], session)
    missed, _ = await back.sync(last)
    chats = [e["text"] for e in missed if e["type"] == "chat"]
    assert chats == ["message 0", "message 1", "message 2"]
    assert [e["seq"] for e in missed] == list(range(last + 1, last + 1 + len(missed)))
    for client in (coach, back):
        await client.close()


async def test_outsiders_are_closed_with_a_code(room):
    session = room["session"]
    for user in (room["outsider"], room["other_cohort_member"]):
        client = RoomClient(user, session.pk)
        assert await client.connect() is None
        assert client.close_code == 4403


async def test_bad_frames_get_error_frames_and_nothing_is_stored(room):
    session = room["session"]
    coach, _ = await enter(room["coach"], session)
    await coach.sync(0)
    before = await RoomEvent.objects.filter(session=session).acount()
    await coach.send_raw("not json")
    assert (await coach.expect("error"))["code"] == "bad_json"
    await coach.send(type="nope")
    assert (await coach.expect("error"))["code"] == "unknown_type"
    await coach.send(type="chat", text=5)
    error = await coach.expect("error")
    assert (error["code"], error["field"]) == ("wrong_type", "text")
    await coach.send(type="chat", text="x" * 20000)
    assert (await coach.expect("error"))["code"] == "too_large"
    assert await RoomEvent.objects.filter(session=session).acount() == before
    await coach.close()
