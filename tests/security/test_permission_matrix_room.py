"""The live room's socket, tried by each kind of person: who enters the room of a Fès session
(and the close code of those who do not), and, for every command of the room's protocol
(docs/room-protocol.md), whether a participant, the cohort's coach and a programme manager are
let through or refused with a `forbidden` error.

The commands are read from the room's dispatch table (coaching.room.protocol.COMMANDS): a command
added without a row in COMMAND_MATRIX fails `test_every_room_command_declares_its_answers`.

Each command is sent once per person in a session of its own (a removal or the end of a session
must not change what the next person is answered), with a `ref`; a `ping` after it returns once
the command has run, so the answer is whatever error frame carries that `ref`, or none.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from coaching.models import ActionItem, Cohort, LiveSession, Participant, Poll, Programme, Question
from coaching.room.protocol import COMMANDS
from tests import factories
from tests.coaching.conftest import room_hub_closed  # noqa: F401  (a fixture)
from tests.coaching.rooms import HOST, ORIGIN, RoomClient
from virage_site.companies.models import Membership

ALLOWED = None  # no error frame
FORBIDDEN = "forbidden"
SENDERS = ("participant", "coach", "manager")
MODERATORS_ONLY = {"participant": FORBIDDEN, "coach": ALLOWED, "manager": ALLOWED}
EVERYONE = dict.fromkeys(SENDERS, ALLOWED)


@dataclass
class Command:
    """A command's fields (room -> sender -> fields), frames sent before it, and the answer of
    each sender: ALLOWED, or the error code."""

    answers: dict
    fields: object = lambda room, sender: {}
    before: list = field(default_factory=list)


def _target(room, sender):
    return {"user": room.target.pk}


COMMAND_MATRIX = {
    "chat": Command(EVERYONE, lambda r, s: {"text": "Bonjour"}),
    # A participant writes to the coaches; a coach or manager answers one participant.
    "dm": Command(
        EVERYONE,
        lambda r, s: {"text": "Une question"} if s == "participant" else {"text": "Oui", **_to(r)},
    ),
    "hand": Command(EVERYONE, lambda r, s: {"raised": True}),
    "lower_hand": Command(MODERATORS_ONLY, _target),
    "react": Command(EVERYONE, lambda r, s: {"emoji": "👍"}),
    "poll_create": Command(
        MODERATORS_ONLY, lambda r, s: {"question": "Oui ?", "options": ["Oui", "Non"], "open": True}
    ),
    "poll_open": Command(MODERATORS_ONLY, lambda r, s: {"poll": r.draft_poll.pk}),
    "poll_close": Command(MODERATORS_ONLY, lambda r, s: {"poll": r.open_poll.pk}),
    "poll_vote": Command(EVERYONE, lambda r, s: {"poll": r.open_poll.pk, "option": 0}),
    "question_ask": Command(EVERYONE, lambda r, s: {"text": "Et la livraison ?"}),
    "question_upvote": Command(EVERYONE, lambda r, s: {"question": r.question.pk}),
    "question_answered": Command(
        MODERATORS_ONLY, lambda r, s: {"question": r.question.pk, "answered": True}
    ),
    # A participant writes their own company's actions; moderators any company's of the cohort.
    "action_add": Command(EVERYONE, lambda r, s: {"text": "Ouvrir", "company": r.zellige.pk}),
    "action_done": Command(EVERYONE, lambda r, s: {"item": r.item.pk, "done": True}),
    "mute": Command(MODERATORS_ONLY, lambda r, s: {**_target(r, s), "muted": True}),
    "remove": Command(MODERATORS_ONLY, _target),
    "lock": Command(MODERATORS_ONLY, lambda r, s: {"locked": True}),
    "waiting_room": Command(MODERATORS_ONLY, lambda r, s: {"enabled": True}),
    # The target is in the room already: a moderator is let through, and told so.
    "admit": Command(
        {**MODERATORS_ONLY, "coach": "not_waiting", "manager": "not_waiting"}, _target
    ),
    "deny": Command({**MODERATORS_ONLY, "coach": "not_waiting", "manager": "not_waiting"}, _target),
    # Everyone's socket closes, the moderator's too, with the code of an ended session.
    "end": Command({**MODERATORS_ONLY, "coach": "closed 4410", "manager": "closed 4410"}),
    "call_join": Command(EVERYONE),
    "call_leave": Command(EVERYONE, before=[{"type": "call_join"}]),
    "rtc_signal": Command(
        EVERYONE,
        lambda r, s: {
            "to": "0123456789abcdef",
            "signal": {"candidate": "candidate:1 1 UDP 1 10.0.0.1 9 typ host"},
        },
        before=[{"type": "call_join"}],
    ),
}


def _to(room):
    return {"to": room.target.pk}


def test_every_room_command_declares_its_answers():
    undeclared = sorted(set(COMMANDS) - set(COMMAND_MATRIX))
    assert not undeclared, (
        f"Room commands without expected answers: {undeclared}. Add them to COMMAND_MATRIX in "
        "tests/security/test_permission_matrix_room.py."
    )
    gone = sorted(set(COMMAND_MATRIX) - set(COMMANDS))
    assert not gone, f"Rows for room commands that no longer exist: {gone}"
    for name, command in COMMAND_MATRIX.items():
        assert set(command.answers) == set(SENDERS), name


@dataclass
class People:
    zellige: object
    argan: object
    fes: object
    learner: object  # Zellige's employee
    lead: object  # Zellige's lead
    other_lead: object  # Argan's lead (Fès too)
    other_learner: object  # Tannerie's employee (Agadir)
    coach: object
    other_coach: object
    editor: object
    manager: object
    superuser: object


def build_people():
    programme = Programme.objects.create(
        name="TPME", starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2027, 6, 30)
    )
    fes = Cohort.objects.create(programme=programme, name="Promotion Fès")
    agadir = Cohort.objects.create(programme=programme, name="Promotion Agadir")
    zellige, argan = factories.make_company(name="Zellige"), factories.make_company(name="Argan")
    tannerie = factories.make_company(name="Tannerie")
    fes.companies.add(zellige, argan)
    agadir.companies.add(tannerie)
    coach, other_coach = factories.make_user(role="coach"), factories.make_user(role="coach")
    fes.coaches.add(coach)
    agadir.coaches.add(other_coach)
    lead = Membership.Role.LEAD
    return People(
        zellige=zellige,
        argan=argan,
        fes=fes,
        learner=factories.add_member(zellige),
        lead=factories.add_member(zellige, role=lead),
        other_lead=factories.add_member(argan, role=lead),
        other_learner=factories.add_member(tannerie),
        coach=coach,
        other_coach=other_coach,
        editor=factories.make_user(role="editor"),
        manager=factories.make_user(role="manager"),
        superuser=factories.make_user(is_superuser=True, is_staff=True),
    )


def session_now(people):
    """A session under way: its coach opened the room (participants wait until then)."""
    now = timezone.now()
    return LiveSession.objects.create(
        cohort=people.fes,
        title="Vendre en ligne",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
        opened_at=now - datetime.timedelta(minutes=4),
    )


@dataclass
class Room:
    session: object
    zellige: object
    target: object  # Zellige's lead, in the room
    draft_poll: object
    open_poll: object
    question: object  # the target's
    item: object  # Zellige's, of this session


def build_room(people):
    session = session_now(people)
    Participant.objects.create(
        session=session,
        user=people.lead,
        company=people.zellige,
        role=Participant.Role.PARTICIPANT,
        status=Participant.Status.ADMITTED,
    )

    def poll(status):
        return Poll.objects.create(
            session=session, question="Prêts ?", options=["Oui", "Non"], status=status
        )

    return Room(
        session=session,
        zellige=people.zellige,
        target=people.lead,
        draft_poll=poll(Poll.Status.DRAFT),
        open_poll=poll(Poll.Status.OPEN),
        question=Question.objects.create(session=session, author=people.lead, text="Quand ?"),
        item=ActionItem.objects.create(session=session, company=people.zellige, text="Photos"),
    )


async def answer_to(client, frame):
    """The code of the error frame answering `frame`, None if there is none, or "closed <code>"
    if the socket closed: a `ping` sent after the frame comes back once the command has run."""
    await client.send(**frame, ref="checked")
    await client.send(type="ping")
    error = None
    while True:
        received = await client.next_frame()
        if received is None:
            return f"closed {client.close_code}"
        if received["type"] == "error" and received.get("ref") == "checked":
            error = received["code"]
        if received["type"] == "pong":
            return error


ENTRY = {
    "anonymous": 4401,
    "learner": "participant",
    "lead": "participant",
    "other_lead": "participant",  # Argan is in Fès too
    "other_learner": 4403,
    "coach": "moderator",
    "other_coach": 4403,
    "editor": 4403,
    "manager": "moderator",
    "superuser": "moderator",
}


@pytest.fixture
def people(transactional_db):
    return build_people()


# Rows are written from the database thread (which closes its connections after each use), or
# before the test's event loop starts: a connection left open in another thread would keep the
# test database busy when the run drops it.
@pytest.mark.usefixtures("room_hub_closed")
async def test_who_enters_the_room_of_a_fes_session(people):
    session = await database_sync_to_async(session_now)(people)
    problems = []
    for who, expected in ENTRY.items():
        if who == "anonymous":
            from virage_site.asgi import application

            socket = WebsocketCommunicator(
                application, f"/ws/coaching/sessions/{session.pk}/", headers=[ORIGIN, HOST]
            )
            await socket.connect()
            closed = await socket.receive_output(3)
            await socket.disconnect()
            got = closed.get("code") if closed["type"] == "websocket.close" else closed
        else:
            client = RoomClient(getattr(people, who), session.pk)
            welcome = await client.connect()
            got = welcome["you"]["role"] if welcome else client.close_code
            if welcome:
                assert "Tannerie" not in str(welcome), who
            await client.close()
        if got != expected:
            problems.append(f"{who}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.usefixtures("room_hub_closed")
async def test_each_room_command_answers_each_sender_as_declared(people):
    senders = {"participant": people.learner, "coach": people.coach, "manager": people.manager}
    problems = []
    for name, command in sorted(COMMAND_MATRIX.items()):
        for sender, expected in command.answers.items():
            room = await database_sync_to_async(build_room)(people)
            client = RoomClient(senders[sender], room.session.pk)
            welcome = await client.connect()
            assert welcome and welcome["type"] == "welcome", (name, sender, client.close_code)
            for frame in command.before:
                assert await answer_to(client, frame) is None, (name, sender, frame)
            got = await answer_to(client, {"type": name, **command.fields(room, sender)})
            await client.close()
            if got != expected:
                problems.append(f"{name} by the {sender}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.usefixtures("room_hub_closed")
async def test_a_participant_does_not_act_for_another_company_of_the_cohort(people):
    """Argan's lead, in the same room as Zellige, writes and ticks Argan's actions only."""
    room = await database_sync_to_async(build_room)(people)
    client = RoomClient(people.other_lead, room.session.pk)
    assert (await client.connect())["you"]["role"] == "participant"
    add = {"type": "action_add", "text": "Pour Zellige", "company": people.zellige.pk}
    assert await answer_to(client, add) == FORBIDDEN
    assert await answer_to(client, {"type": "action_done", "item": room.item.pk, "done": True}) == (
        FORBIDDEN
    )
    own = {"type": "action_add", "text": "Pour Argan", "company": people.argan.pk}
    assert await answer_to(client, own) is None
    await client.close()
    assert not await database_sync_to_async(zellige_items_changed)(people)


def zellige_items_changed(people):
    """Whether anything was ticked or added for Zellige (the database thread closes its
    connection after the call)."""
    zellige = ActionItem.objects.filter(company=people.zellige)
    return zellige.filter(done_at__isnull=False).exists() or zellige.exclude(text="Photos").exists()
