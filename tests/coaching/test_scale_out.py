"""Scale-out: two daphne processes serve one room through the Redis channel layer, on one
database. What is said through one process reaches the people on the other; when a process
dies, nothing it stored is lost, and its people, reconnected to the other process, receive
exactly what they missed.

The two processes share a channel-layer prefix of this test's own (the run's prefix and a
random part), so no key of an earlier run is ever read; the test deletes its own keys when it
ends. Redis is REDIS_URL when set, else the local one (see tests/coaching/redis_layer.py).
"""

from collections import Counter

import pytest
from django.db.models import Q

from coaching.models import LiveSession, RoomEvent
from tests.coaching.redis_layer import delete_keys, keys_under, own_prefix, redis_url_or_skip
from tests.coaching.rooms import make_room, session_cookie
from tests.servers import start_daphnes
from tests.socket_client import CLOSED_ABNORMALLY, WebSocketClient


@pytest.fixture
def room(transactional_db):
    return make_room()


@pytest.fixture
def two_servers(transactional_db):
    """Two daphne processes on the test database and one Redis layer (prefix of their own)."""
    url = redis_url_or_skip()
    prefix = own_prefix("scale")
    servers = []
    try:
        servers = start_daphnes(2, REDIS_URL=url, VIRAGE_TEST_PREFIX=prefix)
        yield servers
    finally:
        for server in servers:
            server.stop()
        delete_keys(url, prefix)
        assert keys_under(url, prefix) == []


class Person:
    """One person's socket in the room, on one server process at a time. It reads numbered
    events the way docs/room-protocol.md asks a client to: `events` holds the first arrival of
    each number (a `skip` for a private event it may not read), `last_seq` is the last number
    up to which it has everything, and `arrivals` counts how often each number came in."""

    def __init__(self, user, session):
        self.user = user
        self.session = session
        self.cookie = session_cookie(user)
        self.socket = None
        self.events = {}
        self.arrivals = Counter()
        self.last_seq = 0

    def connect(self, server):
        url = f"ws://127.0.0.1:{server.port}/ws/coaching/sessions/{self.session.pk}/"
        self.socket = WebSocketClient(
            url, cookies={"sessionid": self.cookie}, on_frame=self._note
        ).connect()
        welcome = self.socket.expect("welcome")
        assert welcome["you"]["status"] == "admitted", welcome
        return welcome

    def sync(self):
        """Asks for what came after `last_seq`; returns the events replayed."""
        self.send(type="sync", since=self.last_seq)
        replayed = []
        while True:
            replay = self.expect("replay")
            replayed.extend(replay["events"])
            if replay["complete"]:
                self.last_seq = max(self.last_seq, replay["last_seq"])
                self._advance()
                return replayed

    def send(self, **frame):
        self.socket.send_json(**frame)

    def say(self, text):
        """Chats, and waits until the room has numbered the message (its echo comes back)."""
        self.send(type="chat", text=text)
        return self.expect("chat", text=text)

    def expect(self, type, **fields):
        return self.socket.expect(type, **fields)

    def read_until_closed(self):
        """Reads what the socket still brings until it ends; returns its close code."""
        while self.socket.receive() is not None:
            pass
        return self.socket.close_code

    def _note(self, frame):
        numbered = frame["events"] if frame["type"] == "replay" else [frame]
        for event in numbered:
            if "seq" in event and event["type"] != "replay":
                self.arrivals[event["seq"]] += 1
                self.events.setdefault(event["seq"], event)
        self._advance()

    def _advance(self):
        while self.last_seq + 1 in self.events:
            self.last_seq += 1

    def close(self):
        if self.socket is not None:
            self.socket.close()


def stored_events(session, since=0, readable_by=None):
    """(seq, type) of the room's stored events after `since`, all or those a participant may
    read, oldest first."""
    events = RoomEvent.objects.filter(session=session, seq__gt=since)
    if readable_by is not None:
        events = events.filter(Q(private=False) | Q(actor=readable_by) | Q(recipient=readable_by))
    return list(events.order_by("seq").values_list("seq", "type"))


def assert_numbered_without_gaps(session):
    numbers = [seq for seq, _type in stored_events(session)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert LiveSession.objects.get(pk=session.pk).last_seq == len(numbers)


def test_what_is_said_through_one_process_reaches_the_people_on_the_other(room, two_servers):
    a, b = two_servers
    session = room["session"]
    coach = Person(room["coach"], session)
    on_a, on_b = Person(room["people"][0], session), Person(room["people"][1], session)
    people = (coach, on_a, on_b)
    try:
        assert coach.connect(a)["you"]["role"] == "moderator"
        coach.sync()
        on_b.connect(b)
        on_b.sync()
        # Presence crosses processes, both ways.
        coach.expect("joined", user=on_b.user.pk)
        on_a.connect(a)
        on_a.sync()
        on_b.expect("joined", user=on_a.user.pk)

        said_on_b = on_b.say("Bonjour depuis B")
        assert coach.expect("chat", text="Bonjour depuis B")["seq"] == said_on_b["seq"]
        assert on_a.expect("chat", text="Bonjour depuis B")["seq"] == said_on_b["seq"]
        said_on_a = on_a.say("Réponse depuis A")
        assert on_b.expect("chat", text="Réponse depuis A")["seq"] == said_on_a["seq"]

        # A private message from B reaches the coach on A; the other person on A sees a skip.
        on_b.send(type="dm", text="Question privée")
        private = coach.expect("dm", text="Question privée")
        assert private["by"] == on_b.user.pk
        assert on_b.expect("dm", text="Question privée")["seq"] == private["seq"]
        assert on_a.expect("skip")["seq"] == private["seq"]
        # The coach's answer, written on A, reaches its recipient on B.
        coach.send(type="dm", text="Réponse privée", to=on_b.user.pk)
        answer = on_b.expect("dm", text="Réponse privée")
        assert on_a.expect("skip")["seq"] == answer["seq"]

        on_a.close()
        on_b.expect("left", user=on_a.user.pk)
        for person in (coach, on_b):
            person.sync()
            assert [seq for seq, _type in stored_events(session)] == sorted(person.events)
        assert_numbered_without_gaps(session)
    finally:
        for person in people:
            person.close()


def test_a_crashed_process_loses_no_stored_event(room, two_servers):
    a, b = two_servers
    session = room["session"]
    coach = Person(room["coach"], session)
    on_a, on_b = Person(room["people"][0], session), Person(room["people"][1], session)
    people = (coach, on_a, on_b)
    try:
        coach.connect(b)
        coach.sync()
        on_b.connect(b)
        on_b.sync()
        on_a.connect(a)
        on_a.sync()
        for n in range(3):
            on_a.say(f"avant {n}")
        # A burst that process A may be in the middle of when it dies.
        burst = [f"rafale {n}" for n in range(5)]
        for text in burst:
            on_a.send(type="chat", text=text)
        a.kill()
        assert on_a.read_until_closed() == CLOSED_ABNORMALLY
        seen_before_the_crash = set(on_a.events)
        since = on_a.last_seq

        # What A stored before it died is numbered without gaps; the burst arrived in order.
        assert_numbered_without_gaps(session)
        stored_chats = list(
            RoomEvent.objects.filter(session=session, type="chat")
            .order_by("seq")
            .values_list("data__text", flat=True)
        )
        assert stored_chats[:3] == ["avant 0", "avant 1", "avant 2"]
        assert stored_chats[3:] == burst[: len(stored_chats) - 3]

        # The room goes on through B meanwhile.
        during = [on_b.say(f"pendant {n}") for n in range(3)]

        # Back, on B, with the last number it had: exactly what it missed, each once.
        on_a.connect(b)
        replayed = on_a.sync()
        missed = stored_events(session, since, readable_by=on_a.user)
        assert [(e["seq"], e["type"]) for e in replayed] == missed
        assert all(on_a.arrivals[seq] == 1 for seq, _type in missed)
        assert not seen_before_the_crash & {seq for seq, _type in missed}
        texts = [e["text"] for e in replayed if e["type"] == "chat"]
        assert texts[-3:] == ["pendant 0", "pendant 1", "pendant 2"]
        assert [e["seq"] for e in replayed][-3:] == [event["seq"] for event in during]
        assert on_a.last_seq == LiveSession.objects.get(pk=session.pk).last_seq

        # Every stored event reached the people on B, live or by a sync, and the room carries
        # on for the person who came back.
        after = coach.say("On continue")
        assert on_a.expect("chat", text="On continue")["seq"] == after["seq"] == on_a.last_seq
        for person in (coach, on_b):
            person.sync()
            assert sorted(person.events) == [seq for seq, _type in stored_events(session)]
        assert_numbered_without_gaps(session)
    finally:
        for person in people:
            person.close()
