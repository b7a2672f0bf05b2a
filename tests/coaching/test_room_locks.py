"""The room's lock order on PostgreSQL: every transaction of a room locks the session's row
first. Two server processes are played by two threads, each with its own database connection;
each race is forced by pausing one transaction at the point where the other must run.

Pauses end after a short wait whatever happens: with the lock taken first, the other thread
waits for the lock instead of reaching its meeting point, and the race cannot happen. A pause
also ends as soon as PostgreSQL says the other thread waits for a lock the pausing one holds:
it then cannot reach its meeting point before the pause ends, however long that is."""

import threading
import time

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.utils import timezone

from coaching.models import Attendance, Participant, RoomEvent
from coaching.room import access, commands, log, presence, writer
from coaching.room.protocol import COMMANDS, RoomContext
from tests.coaching.rooms import make_room

pytestmark = pytest.mark.django_db(transaction=True)

PAUSE_S = 1.5


@pytest.fixture
def room(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite runs one writer at a time)")
    commands.load()
    return make_room()


# The database backend of each thread of `in_threads`, by thread name.
backends = {}


def in_threads(*targets):
    """Runs each target in a thread of its own (named t0, t1, …); the errors they raised."""
    errors = []
    backends.clear()
    ready = threading.Barrier(len(targets))

    def wrapped(target):
        def run():
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    backends[threading.current_thread().name] = cursor.fetchone()[0]
                ready.wait(30)
                target()
            except Exception as error:  # noqa: BLE001 (reported to the test)
                errors.append(error)
            finally:
                connection.close()

        return run

    threads = [
        threading.Thread(target=wrapped(target), name=f"t{n}") for n, target in enumerate(targets)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


class Meeting:
    """Two threads each say they arrived and wait, a short while at most, for the other."""

    def __init__(self):
        self.arrived = {name: threading.Event() for name in ("t0", "t1")}

    def wait_for_other(self):
        me = threading.current_thread().name
        self.arrived[me].set()
        other = "t1" if me == "t0" else "t0"
        deadline = time.monotonic() + PAUSE_S
        while not self.arrived[other].wait(0.02):
            if time.monotonic() > deadline or waits_for_me(backends[other]):
                return


def waits_for_me(backend):
    """Whether that database backend waits for a lock this thread's transaction holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid() = ANY(pg_blocking_pids(%s))", [backend])
        return cursor.fetchone()[0]


def admitted_place(room, user):
    session = room["session"]
    session.opened_at = timezone.now()
    session.save(update_fields=["opened_at"])
    return Participant.objects.create(
        session=session,
        user=user,
        role="participant",
        status="admitted",
        company=user.memberships.first().company,
    )


def test_two_tabs_closing_at_once_on_two_processes_still_say_left(room, monkeypatch):
    session, person = room["session"], room["people"][0]
    admitted_place(room, person)
    for tab in ("tab1", "tab2"):
        Attendance.objects.create(session=session, user=person, connection=tab)
    meeting = Meeting()
    leave_call = presence.leave_call

    def leave_call_then_meet(*args, **kwargs):
        found = leave_call(*args, **kwargs)
        meeting.wait_for_other()  # both tabs closed, neither committed
        return found

    monkeypatch.setattr(presence, "leave_call", leave_call_then_meet)
    errors = in_threads(
        lambda: presence.depart(session.pk, person.pk, "tab1"),
        lambda: presence.depart(session.pk, person.pk, "tab2"),
    )
    assert not errors, errors
    assert not Attendance.objects.filter(session=session, closed_at__isnull=True).exists()
    assert RoomEvent.objects.filter(session=session, type="left").count() == 1


def test_a_reload_across_processes_keeps_the_person_present(room, monkeypatch):
    """A reloaded tab: the old socket departs on one process while the new one arrives on the
    other. The departure must see the arrival (or the arrival the departure)."""
    session, person = room["session"], room["people"][0]
    admitted_place(room, person)
    Attendance.objects.create(session=session, user=person, connection="old")
    meeting = Meeting()
    enter, left_if_gone = presence._enter, presence._left_if_gone

    def enter_then_meet(*args, **kwargs):
        found = enter(*args, **kwargs)
        meeting.wait_for_other()  # the new attendance is made, not committed
        return found

    def meet_then_check(*args, **kwargs):
        meeting.wait_for_other()
        return left_if_gone(*args, **kwargs)

    monkeypatch.setattr(presence, "_enter", enter_then_meet)
    monkeypatch.setattr(presence, "_left_if_gone", meet_then_check)
    errors = in_threads(
        lambda: presence.depart(session.pk, person.pk, "old"),
        lambda: presence.arrive(session.pk, person, "new"),
    )
    assert not errors, errors
    assert Attendance.objects.filter(connection="new", closed_at=None).exists()
    last = (
        RoomEvent.objects.filter(session=session, type__in=("joined", "left"))
        .order_by("-seq")
        .first()
    )
    assert last is None or last.type == "joined", "connected, but the room says they left"


def test_a_chat_and_a_second_tab_of_the_same_person_do_not_deadlock(room, monkeypatch):
    session, person = room["session"], room["people"][0]
    place = admitted_place(room, person)
    meeting = Meeting()
    take_seqs, role_in = log.take_seqs, access.role_in

    def take_seqs_after_meeting(counts):
        if threading.current_thread().name == "t0":
            meeting.wait_for_other()  # the chat's batch holds its locks so far
        return take_seqs(counts)

    def role_in_after_meeting(user, session):
        if threading.current_thread().name == "t1":
            meeting.wait_for_other()  # the arrival holds the room's row
        return role_in(user, session)

    monkeypatch.setattr(log, "take_seqs", take_seqs_after_meeting)
    monkeypatch.setattr(access, "role_in", role_in_after_meeting)
    context = RoomContext(
        session_id=session.pk,
        user_id=person.pk,
        name="Amal",
        is_moderator=False,
        connection="tab1",
        company_id=place.company_id,
    )
    said = async_to_sync(COMMANDS["chat"].run)(context, text="Bonjour")
    errors = in_threads(
        lambda: writer.persist([(context, "chat", said)]),
        lambda: presence.arrive(session.pk, person, "tab2"),
    )
    assert not errors, errors
    assert RoomEvent.objects.filter(session=session, type="chat").count() == 1


def test_every_transaction_of_the_room_locks_its_row_first(room):
    from django.test.utils import CaptureQueriesContext

    session, person = room["session"], room["people"][0]
    admitted_place(room, person)
    lock = 'FOR UPDATE OF "coaching_livesession"'

    def locks_taken(run):
        """The transaction's statements, from its first on."""
        with CaptureQueriesContext(connection) as queries:
            run()
        statements = [q["sql"] for q in queries.captured_queries]
        return statements[statements.index("BEGIN") + 1 :]

    runs = {
        "arrive": lambda: presence.arrive(session.pk, person, "a"),
        "depart": lambda: presence.depart(session.pk, person.pk, "a"),
        "enter_after_admission": lambda: presence.enter_after_admission(session.pk, person, "b"),
    }
    for name, run in runs.items():
        assert lock in locks_taken(run)[0], name
    Attendance.objects.filter(connection="b").update(
        last_seen_at=timezone.now() - 2 * presence.STALE_AFTER
    )
    taken = locks_taken(lambda: presence.expire_stale(session.pk))
    assert lock in taken[0]
    assert "left" in [event.type for event in RoomEvent.objects.filter(session=session)]
