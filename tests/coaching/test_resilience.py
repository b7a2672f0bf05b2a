"""The live room when what it stands on fails under it: the Redis channel layer restarting in
the middle of a session, and the database going away while a room is open. (A server process
that dies is tests/coaching/test_scale_out.py's.)

Redis here is a server of the test's own (tests/coaching/redis_layer.py's OwnRedis), which the
test stops and starts again on the same port; the daphne processes are tests/servers.py's."""

import contextlib

import psycopg
import pytest
from django.db import connection

from coaching.models import RoomEvent
from tests.coaching.redis_layer import OwnRedis
from tests.coaching.room_people import (
    Person,
    assert_has_the_whole_room,
    assert_numbered_without_gaps,
)
from tests.coaching.rooms import make_room
from tests.servers import start_daphne, start_daphnes
from tests.socket_client import HandshakeRefused, WebSocketClient

# A person says something once a second until the other side hears it: the frame budget is
# 5 a second, and Redis coming back takes the servers a few seconds to notice.
ATTEMPTS = 30
HEARD_WITHIN_S = 1


@pytest.fixture
def room(transactional_db):
    return make_room()


@pytest.fixture
def own_redis():
    server = OwnRedis()
    yield server
    server.stop()


@pytest.fixture
def two_servers(transactional_db, own_redis):
    """Two daphne processes on the test database and on the test's own Redis."""
    servers = start_daphnes(2, REDIS_URL=own_redis.url)
    yield servers
    for server in servers:
        server.stop()


def heard_across(speaker, listener, text):
    """The speaker says `text 1`, `text 2`… until the listener hears one live; returns its
    event as the listener received it, or None if it never did."""
    for attempt in range(1, ATTEMPTS + 1):
        said = f"{text} {attempt}"
        speaker.say(said)
        try:
            return listener.socket.expect("chat", timeout=HEARD_WITHIN_S, text=said)
        except AssertionError:
            continue
    return None


def test_the_room_carries_on_through_a_restart_of_redis(room, own_redis, two_servers):
    a, b = two_servers
    session = room["session"]
    coach = Person(room["coach"], session)
    on_a = Person(room["people"][0], session)
    on_b = Person(room["people"][1], session)
    everybody = (coach, on_a, on_b)
    try:
        for person, server in ((coach, a), (on_a, a), (on_b, b)):
            person.connect(server)
            person.sync()
        on_b.say("avant")
        on_a.expect("chat", text="avant")

        own_redis.stop()
        # Without Redis, each process still stores what its people say and tells them.
        on_a.say("pendant, depuis A")
        coach.expect("chat", text="pendant, depuis A")
        on_b.say("pendant, depuis B")
        own_redis.start()

        # Redis is back, empty: what is said reaches the other process again, both ways.
        assert heard_across(on_a, on_b, "de A vers B") is not None
        assert heard_across(on_b, on_a, "de B vers A") is not None
        assert heard_across(on_b, coach, "de B vers le coach") is not None
        # What crossed no process meanwhile, a resync brings: everybody has the whole room.
        for person in everybody:
            person.sync()
            assert_has_the_whole_room(person)
        assert_numbered_without_gaps(session)
        assert a.process.poll() is None and b.process.poll() is None
    finally:
        for person in everybody:
            person.close()


@contextlib.contextmanager
def database_away():
    """The test database refuses connections, and those it had are ended, until the block
    ends (PostgreSQL: a database may be closed to connections without stopping the server)."""
    config = connection.settings_dict
    name = config["NAME"]
    admin = {
        "dbname": "postgres",
        "user": config.get("USER") or "postgres",
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "autocommit": True,
    }
    quoted = connection.ops.quote_name(name)
    connection.close()
    with psycopg.connect(**admin) as other:
        other.execute(f"ALTER DATABASE {quoted} WITH ALLOW_CONNECTIONS false")
        try:
            other.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            yield
        finally:
            other.execute(f"ALTER DATABASE {quoted} WITH ALLOW_CONNECTIONS true")


@pytest.fixture
def server(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("closing the database to connections needs PostgreSQL (DATABASE_URL)")
    started = start_daphne()
    yield started
    started.stop()


def test_the_room_tells_who_acts_while_the_database_is_away_and_resumes(server, room):
    session = room["session"]
    coach = Person(room["coach"], session)
    person = Person(room["people"][0], session)
    everybody = (coach, person)
    try:
        for someone in everybody:
            someone.connect(server)
            someone.sync()
        person.say("avant la panne")
        latecomer = Person(room["people"][1], session)  # signed in before the database goes
        with database_away():
            # Nothing can be stored: the sender hears so, and the socket stays open.
            person.send(type="chat", text="pendant la panne", ref="c1")
            assert person.expect("error", ref="c1")["code"] == "server_error"
            person.send(type="hand", raised=True, ref="h1")
            assert person.expect("error", ref="h1")["code"] == "server_error"
            person.send(type="ping")
            person.expect("pong")
            # A socket that arrives meanwhile is refused before it opens (its session cannot
            # be read): a browser sees it close abnormally, and reconnects with backoff.
            arriving = WebSocketClient(
                f"ws://127.0.0.1:{server.port}/ws/coaching/sessions/{session.pk}/",
                cookies={"sessionid": latecomer.cookie},
            )
            with pytest.raises(HandshakeRefused) as refused:
                arriving.connect()
            assert refused.value.status == 500
        # The database is back: the same sockets carry on, and the latecomer enters.
        said = person.say("après la panne")
        assert coach.expect("chat", text="après la panne")["seq"] == said["seq"]
        person.send(type="hand", raised=True)
        coach.expect("hand_raised", user=person.user.pk)
        everybody += (latecomer,)
        latecomer.connect(server)
        latecomer.sync()
        for someone in everybody:
            someone.sync()
            assert_has_the_whole_room(someone)
        assert not RoomEvent.objects.filter(session=session, data__text="pendant la panne").exists()
        assert_numbered_without_gaps(session)
    finally:
        for someone in everybody:
            someone.close()
