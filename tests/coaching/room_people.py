"""People in a live room served by real server processes (tests/servers.py), each reading
numbered events the way docs/room-protocol.md asks a client to; and what the database holds,
to compare with what each of them applied."""

from collections import Counter

from django.db.models import Q

from coaching.models import LiveSession, RoomEvent
from tests.coaching.rooms import session_cookie
from tests.socket_client import WebSocketClient


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
        self.is_moderator = False

    def connect(self, server):
        url = f"ws://127.0.0.1:{server.port}/ws/coaching/sessions/{self.session.pk}/"
        self.socket = WebSocketClient(
            url, cookies={"sessionid": self.cookie}, on_frame=self._note
        ).connect()
        welcome = self.socket.expect("welcome")
        assert welcome["you"]["status"] == "admitted", welcome
        self.is_moderator = welcome["you"]["role"] == "moderator"
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

    def chats(self):
        """The texts of the chat messages applied, in the room's order."""
        return [self.events[seq]["text"] for seq in sorted(self.events) if self._is_chat(seq)]

    def _is_chat(self, seq):
        return self.events[seq]["type"] == "chat"

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


def stored_chats(session):
    """The texts of the room's stored chat messages, in the room's order."""
    return list(
        RoomEvent.objects.filter(session=session, type="chat")
        .order_by("seq")
        .values_list("data__text", flat=True)
    )


def assert_numbered_without_gaps(session):
    numbers = [seq for seq, _type in stored_events(session)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert LiveSession.objects.get(pk=session.pk).last_seq == len(numbers)


def assert_has_the_whole_room(person):
    """The person applied every stored event, each once and under its own number (a `skip`
    for a private one they may not read), and holds the room's chat in the room's order."""
    stored = stored_events(person.session)
    reader = None if person.is_moderator else person.user
    readable = {seq for seq, _type in stored_events(person.session, readable_by=reader)}
    applied = [(seq, person.events[seq]["type"]) for seq in sorted(person.events)]
    assert applied == [(seq, kind if seq in readable else "skip") for seq, kind in stored]
    assert person.last_seq == len(stored)
    assert person.chats() == stored_chats(person.session)
