"""Text that only a real server shows to be broken: a lone UTF-16 surrogate ("\\ud800") is valid
JSON, but daphne cannot write it to a socket as UTF-8. Stored, it would break the live delivery
and every later replay of the room's history."""

import pytest
from django.db import connection, transaction

from coaching.models import RoomEvent
from coaching.room import log
from tests.coaching.rooms import make_room, session_cookie
from tests.servers import start_daphne
from tests.socket_client import WebSocketClient


@pytest.fixture
def room(transactional_db):
    return make_room()


@pytest.fixture
def server(transactional_db):
    process = start_daphne()
    yield process
    process.stop()


def in_the_room(server, user, session):
    url = f"ws://127.0.0.1:{server.port}/ws/coaching/sessions/{session.pk}/"
    socket = WebSocketClient(url, cookies={"sessionid": session_cookie(user)}).connect()
    socket.expect("welcome")
    return socket


def replay_of(socket):
    socket.send_json(type="sync", since=0)
    frame = socket.receive()
    while frame is not None and frame["type"] not in ("replay", "error"):
        frame = socket.receive()
    return frame


def test_a_lone_surrogate_is_refused_and_a_stored_one_still_replays(room, server):
    session = room["session"]
    coach = in_the_room(server, room["coach"], session)
    person = in_the_room(server, room["people"][0], session)
    assert replay_of(person)["type"] == "replay"
    person.send_json(type="chat", text="bonjour \ud800 tout le monde", ref="s1")
    error = person.expect("error")
    assert (error["code"], error["field"], error["ref"]) == ("invalid_value", "text", "s1")
    person.send_json(type="chat", text="après")
    coach.expect("chat", text="après")
    assert RoomEvent.objects.filter(session=session, type="chat").count() == 1
    # A row stored before such text was refused (PostgreSQL never took one).
    stored_before = connection.vendor != "postgresql"
    if stored_before:
        with transaction.atomic():
            log.append(session.pk, "chat", {"name": "Amal", "text": "avant \ud800 le correctif"})
    newcomer = in_the_room(server, room["people"][1], session)
    replay = replay_of(newcomer)
    assert replay is not None and replay["type"] == "replay", replay
    texts = [event.get("text") for event in replay["events"]]
    assert "après" in texts
    assert ("avant \ud800 le correctif" in texts) == stored_before
    for socket in (coach, person, newcomer):
        socket.close()
