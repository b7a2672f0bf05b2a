"""Audio and video: at most six people in the call, and WebRTC signals that reach only the
connection they are meant for, and only inside the call."""

import pytest

from coaching.models import Participant
from tests.coaching.rooms import RoomClient, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


OFFER = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}
CANDIDATE = {
    "candidate": "candidate:1 1 udp 2122260223 192.168.1.2 54400 typ host",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "abcd",
}


async def admitted(user, session):
    client = RoomClient(user, session.pk)
    welcome = await client.connect()
    await client.sync(0)
    client.connection = welcome["connection"]
    return client


async def test_the_call_takes_six_people_and_refuses_the_seventh():
    room = make_room(participants=6)
    session = room["session"]
    coach = await admitted(room["coach"], session)
    people = [await admitted(person, session) for person in room["people"]]
    for client in [coach, *people[:5]]:
        await client.send(type="call_join")
        joined = await client.expect("call_joined", connection=client.connection)
        assert joined["user"] == client.user.pk
    await people[5].send(type="call_join")
    assert (await people[5].expect("error"))["code"] == "call_full"
    assert await Participant.objects.filter(in_call=True).acount() == 6
    # Joining again from the same connection changes nothing; leaving makes room.
    await people[0].send(type="call_join")
    await people[0].send(type="call_leave")
    left = await coach.expect("call_left")
    assert (left["user"], left["connection"]) == (room["people"][0].pk, people[0].connection)
    await people[5].send(type="call_join")
    await coach.expect("call_joined", user=room["people"][5].pk)
    await people[0].send(type="call_leave")
    assert (await people[0].expect("error"))["code"] == "not_in_call"
    for client in [coach, *people]:
        await client.close()


async def test_a_signal_reaches_only_its_target_inside_the_call():
    room = make_room(participants=4)
    session = room["session"]
    coach = await admitted(room["coach"], session)
    caller, callee, bystander, outside = [
        await admitted(person, session) for person in room["people"]
    ]
    for client in (caller, callee, bystander):
        await client.send(type="call_join")
        await client.expect("call_joined", connection=client.connection)
    for client in (caller, callee, outside, coach):
        await client.expect("call_joined", connection=bystander.connection)
    await caller.send(type="rtc_signal", to=callee.connection, signal=OFFER)
    received = await callee.expect("rtc_signal")
    assert received == {
        "type": "rtc_signal",
        "from": caller.connection,
        "by": room["people"][0].pk,
        "signal": OFFER,
    }
    await callee.send(type="rtc_signal", to=caller.connection, signal=CANDIDATE)
    assert (await caller.expect("rtc_signal"))["signal"] == CANDIDATE
    for client in (bystander, outside, coach):
        assert await client.nothing_more()
    # Not to a connection outside the call, not from one, not to oneself.
    await caller.send(type="rtc_signal", to=outside.connection, signal=OFFER)
    assert await outside.nothing_more()
    await outside.send(type="rtc_signal", to=caller.connection, signal=OFFER)
    assert (await outside.expect("error"))["code"] == "not_in_call"
    await caller.send(type="rtc_signal", to=caller.connection, signal=OFFER)
    error = await caller.expect("error")
    assert (error["code"], error["field"]) == ("invalid_value", "to")
    assert await caller.nothing_more()
    for client in (coach, caller, callee, bystander, outside):
        await client.close()


async def test_a_closing_connection_leaves_the_call_and_a_second_tab_takes_it_over():
    room = make_room(participants=2)
    session = room["session"]
    coach = await admitted(room["coach"], session)
    first_tab = await admitted(room["people"][0], session)
    peer = await admitted(room["people"][1], session)
    for client in (first_tab, peer):
        await client.send(type="call_join")
        await coach.expect("call_joined", connection=client.connection)
    second_tab = await admitted(room["people"][0], session)
    await second_tab.send(type="call_join")
    moved = await coach.expect("call_left")
    assert (moved["user"], moved["connection"]) == (room["people"][0].pk, first_tab.connection)
    await coach.expect("call_joined", connection=second_tab.connection)
    await first_tab.expect("call_joined", connection=second_tab.connection)
    await first_tab.send(type="rtc_signal", to=peer.connection, signal=OFFER)
    assert (await first_tab.expect("error"))["code"] == "not_in_call"
    await second_tab.send(type="rtc_signal", to=peer.connection, signal=OFFER)
    assert (await peer.expect("rtc_signal"))["from"] == second_tab.connection
    # The old tab closes: nothing changes for the call. The new one closes: its person leaves it.
    await first_tab.close()
    await second_tab.close()
    left = await peer.expect("call_left")
    assert left == {**left, "user": room["people"][0].pk, "connection": second_tab.connection}
    await peer.expect("left", user=room["people"][0].pk)
    assert await Participant.objects.filter(in_call=True).acount() == 1
    await peer.close()
    await coach.expect("call_left", user=room["people"][1].pk)
    await coach.close()
