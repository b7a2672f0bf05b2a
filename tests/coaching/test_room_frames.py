"""Bad input: malformed, oversized and flooding frames get an error frame (or, for abuse, a
documented close code); nothing is broadcast or stored, and the room keeps running for the
others. A command that fails unexpectedly answers `server_error` and keeps the socket; an error
anywhere else closes the socket with 4500, and its person leaves the room."""

import dataclasses
import json
import logging

import pytest

from coaching.models import Attendance, RoomEvent
from coaching.room import commands
from coaching.room.consumer import RoomConsumer
from coaching.room.hub import hub
from coaching.room.limits import PersonLimits, TokenBucket
from coaching.room.protocol import COMMANDS
from tests.coaching.rooms import RoomClient, admitted, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("room_hub_closed")]


@pytest.fixture
def room():
    return make_room()


def unlimited(session, user):
    """A budget the test cannot exhaust, so that only the refusals count."""
    hub().limits[(session.pk, user.pk)] = PersonLimits(
        frames=TokenBucket(capacity=1000, rate=1000, tokens=1000)
    )


async def error_for(client, text=None, data=None):
    await client.send_raw(text, data)
    error = await client.expect("error")
    return error["code"], error.get("field")


BAD_FRAMES = [
    ("not json", None, ("bad_json", None)),
    ("[1, 2]", None, ("bad_frame", None)),
    ('"chat"', None, ("bad_frame", None)),
    ('{"text": "no type"}', None, ("bad_frame", None)),
    ('{"type": 5}', None, ("bad_frame", None)),
    ('{"type": "nope"}', None, ("unknown_type", "type")),
    ('{"type": "chat", "text": 5}', None, ("wrong_type", "text")),
    ('{"type": "chat", "text": "   "}', None, ("invalid_value", "text")),
    ('{"type": "chat", "text": "a\\u0000b"}', None, ("invalid_value", "text")),
    # Lone UTF-16 surrogates: valid JSON, but no socket, database or page can take them.
    ('{"type": "chat", "text": "a\\ud800b"}', None, ("invalid_value", "text")),
    ('{"type": "dm", "text": "\\udc00"}', None, ("invalid_value", "text")),
    ('{"type": "question_ask", "text": "Pourquoi \\udfff ?"}', None, ("invalid_value", "text")),
    (
        '{"type": "poll_create", "question": "Q", "options": ["a", "\\ud83d"], "open": true}',
        None,
        ("invalid_value", "options"),
    ),
    ('{"type": "ping", "ref": "r\\ud800"}', None, ("invalid_value", "ref")),
    (
        '{"type": "rtc_signal", "to": "x", "signal": {"type": "offer", "sdp": "v=0\\ud800"}}',
        None,
        ("invalid_value", "signal"),
    ),
    (
        '{"type": "rtc_signal", "to": "x", "signal": {"candidate": "c", "sdpMid": "\\ud800"}}',
        None,
        ("invalid_value", "signal"),
    ),
    # Nested deeper than the parser goes.
    ("[" * 8000 + "]" * 8000, None, ("bad_json", None)),
    ('{"a":' * 2500 + "1" + "}" * 2500, None, ("bad_json", None)),
    ('{"type": "chat"}', None, ("missing_field", "text")),
    ('{"type": "chat", "text": "x", "html": "<b>"}', None, ("unknown_field", "html")),
    ('{"type": "chat", "text": "x", "ref": {"a": 1}}', None, ("invalid_value", "ref")),
    ('{"type": "hand", "raised": "yes"}', None, ("wrong_type", "raised")),
    ('{"type": "question_upvote", "question": true}', None, ("wrong_type", "question")),
    ('{"type": "react", "emoji": "💩"}', None, ("invalid_value", "emoji")),
    ('{"type": "sync", "since": -1}', None, ("invalid_value", "since")),
    ('{"type": "sync", "since": "0"}', None, ("wrong_type", "since")),
    (
        '{"type": "poll_create", "question": "Q", "options": ["a"], "open": true}',
        None,
        ("invalid_value", "options"),
    ),
    (
        '{"type": "poll_create", "question": "Q", "options": "a,b", "open": true}',
        None,
        ("wrong_type", "options"),
    ),
    (
        '{"type": "action_add", "text": "t", "company": 1, "due_on": "2026-W01-1"}',
        None,
        ("invalid_value", "due_on"),
    ),
    (
        '{"type": "rtc_signal", "to": "x", "signal": {"type": "offer", "sdp": "v=0", "x": 1}}',
        None,
        ("invalid_value", "signal"),
    ),
    ('{"type": "chat", "text": "' + "x" * 20000 + '"}', None, ("too_large", None)),
    (None, b'{"type": "chat", "text": "bytes"}', ("not_text", None)),
]


async def test_every_malformed_frame_gets_an_error_and_nothing_is_stored(room, caplog):
    caplog.set_level(logging.ERROR)
    session = room["session"]
    coach = await admitted(room["coach"], session)
    sender = await admitted(room["people"][0], session)
    other = await admitted(room["people"][1], session)
    unlimited(session, room["coach"])
    before = await RoomEvent.objects.acount()
    for text, data, expected in BAD_FRAMES:
        assert await error_for(coach, text, data) == expected, (text or "")[:80]
    assert await RoomEvent.objects.acount() == before
    assert await other.nothing_more()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    # The room still works, for the sender and for the others.
    await sender.send(type="chat", text="Bonjour")
    assert (await other.expect("chat"))["text"] == "Bonjour"
    await coach.send(type="chat", text="Bienvenue")
    await sender.expect("chat", text="Bienvenue")
    for client in (coach, sender, other):
        await client.close()


async def test_an_error_echoes_the_frame_ref(room):
    coach = await admitted(room["coach"], room["session"])
    await coach.send(type="chat", text=5, ref="m-17")
    error = await coach.expect("error")
    assert error == {"type": "error", "code": "wrong_type", "field": "text", "ref": "m-17"}
    await coach.close()


async def test_flooding_gets_rate_limited_errors_then_a_4429_close(room):
    session = room["session"]
    coach = await admitted(room["coach"], session)
    flooder = await admitted(room["people"][0], session)
    for _ in range(80):
        await flooder.send(type="ping")
    codes = []
    while (frame := await flooder.next_frame()) is not None:
        codes.append(frame.get("code", frame["type"]))
    assert flooder.close_code == 4429
    # The burst of 20 frames (the first went to the sync), then refusals.
    assert codes.count("pong") >= 19
    assert codes.count("rate_limited") == 39
    assert codes[-1] == "rate_limited"
    await flooder.close()
    await coach.send(type="chat", text="La salle continue")
    await coach.expect("chat", text="La salle continue")
    await coach.close()


async def test_a_run_of_refused_frames_closes_with_4400(room):
    coach = await admitted(room["coach"], room["session"])
    unlimited(room["session"], room["coach"])
    for _ in range(40):
        await coach.send_raw("{broken")
    errors = 0
    while (frame := await coach.next_frame()) is not None:
        errors += frame["type"] == "error"
    assert (errors, coach.close_code) == (39, 4400)
    await coach.close()


async def test_a_valid_frame_resets_the_run_of_refused_ones(room):
    coach = await admitted(room["coach"], room["session"])
    unlimited(room["session"], room["coach"])
    for _ in range(3):
        for _ in range(30):
            await coach.send_raw("{broken")
        await coach.send(type="ping")
    await coach.send(type="ping")
    pongs = 0
    while pongs < 4:
        frame = await coach.next_frame()
        assert frame is not None, coach.close_code
        pongs += frame["type"] == "pong"
    await coach.close()


async def test_the_rate_limit_is_shared_by_a_persons_sockets(room):
    session = room["session"]
    person = room["people"][0]
    await admitted(room["coach"], session)
    first = await admitted(person, session)
    second = await admitted(person, session)
    # A budget of three frames that does not refill during the test.
    hub().limits[(session.pk, person.pk)] = PersonLimits(
        frames=TokenBucket(capacity=3, rate=0.0001, tokens=3)
    )
    for client in (first, second, first):
        await client.send(type="ping")
        await client.expect("pong")
    await second.send(type="ping")
    assert (await second.expect("error"))["code"] == "rate_limited"
    await first.send(type="ping")
    assert (await first.expect("error"))["code"] == "rate_limited"
    for client in (first, second):
        await client.close()


async def test_signals_have_their_own_budget(room):
    session = room["session"]
    person = room["people"][0]
    client = await admitted(room["coach"], session)
    await admitted(person, session)
    hub().limits[(session.pk, room["coach"].pk)] = PersonLimits(
        frames=TokenBucket(capacity=1, rate=0.0001, tokens=1)
    )
    for _ in range(5):
        await client.send(type="rtc_signal", to="abc", signal={"type": "offer", "sdp": "v=0"})
        assert (await client.expect("error"))["code"] == "not_in_call"
    await client.send(type="ping")
    await client.expect("pong")
    await client.send(type="ping")
    assert (await client.expect("error"))["code"] == "rate_limited"
    await client.close()


async def test_a_failing_command_answers_server_error_and_keeps_the_socket(room, monkeypatch):
    def broken(ctx, text):
        raise RuntimeError("the database went away")

    commands.load()
    monkeypatch.setitem(COMMANDS, "chat", dataclasses.replace(COMMANDS["chat"], run=broken))
    session = room["session"]
    coach = await admitted(room["coach"], session)
    before = await RoomEvent.objects.acount()
    await coach.send(type="chat", text="Bonjour", ref=7)
    assert await coach.expect("error") == {"type": "error", "code": "server_error", "ref": 7}
    await coach.send(type="hand", raised=True)
    await coach.expect("hand_raised")
    assert await RoomEvent.objects.acount() == before + 1
    await coach.close()


async def test_a_waiting_socket_may_only_ping(room):
    waiting = RoomClient(room["people"][0], room["session"].pk)
    welcome = await waiting.connect()
    assert welcome["you"]["status"] == "waiting"
    for frame in ({"type": "chat", "text": "Allô"}, {"type": "sync", "since": 0}):
        await waiting.send(**frame)
        assert (await waiting.expect("error"))["code"] == "not_admitted"
    await waiting.send(type="ping")
    await waiting.expect("pong")
    assert not await RoomEvent.objects.filter(type="chat").aexists()
    await waiting.close()
    assert json.dumps(waiting.frames).count("Allô") == 0


async def test_resyncs_have_a_budget_of_their_own(room):
    """A socket's first sync comes with its arrival; three more at once, then one every ten
    seconds."""
    person = room["people"][0]
    await admitted(room["coach"], room["session"])
    client = await admitted(person, room["session"])
    for _ in range(3):
        await client.sync(0)
    await client.send(type="sync", since=0)
    assert (await client.expect("error"))["code"] == "rate_limited"
    # Other frames are not held back, nor the first sync of the person's other socket.
    await client.send(type="ping")
    await client.expect("pong")
    other_tab = await admitted(person, room["session"])
    for socket in (client, other_tab):
        await socket.close()


async def test_an_error_outside_a_command_closes_the_socket_and_its_person_leaves(
    room, monkeypatch, caplog
):
    """An error that escapes a handler (here: while refusing a frame) would end the consumer
    without its disconnection: the socket gone, the person present for ever."""

    async def broken(self, error, ref):
        raise RuntimeError("the error frame could not be built")

    session, person = room["session"], room["people"][0]
    coach = await admitted(room["coach"], session)
    client = await admitted(person, session)
    monkeypatch.setattr(RoomConsumer, "refuse", broken)
    with caplog.at_level(logging.CRITICAL, logger="coaching.room.consumer"):
        await client.send(type="nope")
        assert (await client.expect("error"))["code"] == "server_error"
        assert await client.next_frame() is None
    assert client.close_code == 4500
    await coach.expect("left", user=person.pk)
    assert not await Attendance.objects.filter(user=person, closed_at__isnull=True).aexists()
    the_hub = hub()
    assert person.pk not in {socket.user_id for socket in the_hub.rooms[session.pk]}
    assert (session.pk, person.pk) not in the_hub.people
    await client.close()
    await coach.close()
