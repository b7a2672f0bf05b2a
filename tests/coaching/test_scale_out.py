"""Scale-out: two daphne processes serve one room through the Redis channel layer, on one
database. What is said through one process reaches the people on the other; when a process
dies, nothing it stored is lost, and its people, reconnected to the other process, receive
exactly what they missed.

The two processes share a channel-layer prefix of this test's own (the run's prefix and a
random part), so no key of an earlier run is ever read; the test deletes its own keys when it
ends. Redis is REDIS_URL when set, else the local one (see tests/coaching/redis_layer.py).
"""

import pytest

from coaching.models import LiveSession
from tests.coaching.redis_layer import delete_keys, keys_under, own_prefix, redis_url_or_skip
from tests.coaching.room_people import (
    Person,
    assert_has_the_whole_room,
    assert_numbered_without_gaps,
    stored_chats,
    stored_events,
)
from tests.coaching.rooms import make_room
from tests.servers import start_daphnes
from tests.socket_client import CLOSED_ABNORMALLY


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
        chats = stored_chats(session)
        assert chats[:3] == ["avant 0", "avant 1", "avant 2"]
        assert chats[3:] == burst[: len(chats) - 3]

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


def test_the_people_of_a_killed_process_come_back_through_the_other_with_the_whole_room(
    room, two_servers
):
    """The coach and two participants are on A, one participant on B; everybody is talking
    when A dies. Back through B, each of A's people has the room's every event once, in
    order, and every message whose echo a sender had received is among them."""
    a, b = two_servers
    session = room["session"]
    coach = Person(room["coach"], session)
    first, second = (Person(user, session) for user in room["people"][:2])
    on_b = Person(room["people"][2], session)
    on_a = (coach, first, second)
    everybody = (*on_a, on_b)
    try:
        for person, server in ((coach, a), (first, a), (second, a), (on_b, b)):
            person.connect(server)
            person.sync()
        for person in everybody:
            person.say(f"bonjour de {person.user.pk}")
        sent = {person: [f"{person.user.pk} rafale {n}" for n in range(6)] for person in everybody}
        for n in range(6):
            for person in everybody:
                person.send(type="chat", text=sent[person][n])
        a.kill()
        for person in on_a:
            assert person.read_until_closed() == CLOSED_ABNORMALLY
        on_b.expect("chat", text=sent[on_b][-1])  # B has stored its person's whole burst
        # The echoes that reached their senders before A died: the room acknowledged those.
        acknowledged = {
            event["text"]
            for person in on_a
            for event in person.events.values()
            if event["type"] == "chat" and event.get("by") == person.user.pk
        }
        assert_numbered_without_gaps(session)
        chats = stored_chats(session)
        assert acknowledged <= set(chats)
        for person in everybody:
            # Each sender's burst is stored in the order it was sent, up to where A stopped
            # (B's person lost nothing: B is alive).
            theirs = [text for text in chats if text in sent[person]]
            assert theirs == sent[person][: len(theirs)]
        assert [text for text in chats if text in sent[on_b]] == sent[on_b]

        # The room goes on through B meanwhile; then A's people come back there.
        on_b.say("pendant la panne")
        for person in on_a:
            person.connect(b)
            person.sync()
        after = coach.say("Tout le monde est revenu ?")
        for person in (first, second, on_b):
            assert person.expect("chat", text="Tout le monde est revenu ?")["seq"] == after["seq"]
        on_b.sync()
        for person in everybody:
            assert_has_the_whole_room(person)
        assert_numbered_without_gaps(session)
    finally:
        for person in everybody:
            person.close()
