"""Commands a client can send, what running one produces, and the envelopes the hub carries.

A command module registers its commands with `@command(...)`:

    @command("chat", fields={"text": Text(max_length=2000)})
    def send_chat(ctx, text):
        ...
        return Outcome(events=[event])

A command runs in the database thread, through `run_in_room`: in one transaction that first
locks the room and checks, under that lock, that its sender is still admitted (its events are
appended in that transaction). A command declared `transient` must not touch the database and
runs at once in the event loop (reactions, WebRTC signals). A command declared `batched` is a
coroutine that runs in the event loop too, and returns the data of the event it says: the
process's writer stores that event with the others of its batch, under the same rules as
`run_in_room` (see `writer`).
"""

from dataclasses import dataclass, field, replace

from django.db import transaction

from . import locks, log
from .validation import FrameError  # noqa: F401  (re-exported for command modules)

COMMANDS = {}


@dataclass(frozen=True)
class Command:
    type: str
    run: object
    fields: dict
    moderator_only: bool = False
    while_waiting: bool = False
    transient: bool = False
    batched: bool = False


def command(
    type, fields=None, moderator_only=False, while_waiting=False, transient=False, batched=False
):
    def register(run):
        if type in COMMANDS:
            raise ValueError(f"room command {type!r} is registered twice")
        COMMANDS[type] = Command(
            type=type,
            run=run,
            fields=fields or {},
            moderator_only=moderator_only,
            while_waiting=while_waiting,
            transient=transient,
            batched=batched,
        )
        return run

    return register


@dataclass(frozen=True)
class RoomContext:
    """Who sends a command, from which connection, in which room. Built by the consumer from
    the authenticated session, never from the frame."""

    session_id: int
    user_id: int
    name: str
    is_moderator: bool
    connection: str
    company_id: int | None = None
    in_call: bool = False
    # As stored, read under the room's lock by `run_in_room`.
    chat_muted: bool = False


def run_in_room(spec, ctx, fields):
    """Runs a command that is not transient. Its transaction locks the room's row first, as
    every transaction of the room does (see `locks`), and reads in the same statement where the
    sender stands: a person removed or refused, whose socket missed the message that closes
    it, does nothing (a FrameError that closes the socket). The command's own atomic blocks,
    if any, are savepoints of this transaction."""
    with transaction.atomic():
        found = locks.standing(ctx.session_id, ctx.user_id, lock=True)
        refused = locks.refusal(found)
        if refused:
            raise refused
        return spec.run(replace(ctx, chat_muted=found.chat_muted), **fields)


@dataclass
class Outcome:
    """What a command produced: persisted events to broadcast, transient deliveries, a reply
    to the sender, and changes of the sockets: people let in from the waiting room (`admit`),
    people whose sockets close (`close`: user ids, or "all", with `close_code`), connections
    that left the call (`leave_call`), and whether the sender's own connection is now in the
    call (`in_call`; None: unchanged)."""

    events: list = field(default_factory=list)
    deliveries: list = field(default_factory=list)
    reply: dict | None = None
    admit: list = field(default_factory=list)
    close: list | str = field(default_factory=list)
    close_code: int = 0
    leave_call: list = field(default_factory=list)
    in_call: bool | None = None


# Envelopes: what the hub of every process receives through the channel layer. Plain dicts of
# strings, numbers and lists, so that Redis can carry them; the frame is encoded once, by the
# process that publishes it, and every socket receives that same text.


# Events a waiting socket hears: that the room opened, and the answer to its knock.
LOBBY_EVENTS = {
    "room_opened": lambda event: "all",
    "admitted": lambda event: event.data.get("users", []),
    "denied": lambda event: [event.data["user"]],
}


def event_envelope(event):
    """A persisted event: to everyone admitted, or (private) to its actor, its recipient and
    the moderators, with a `skip` frame to the others so that their sequence has no gap. The
    waiting hear only the events of `LOBBY_EVENTS` that concern them (`lobby`)."""
    audience = None
    if event.private:
        audience = [uid for uid in (event.actor_id, event.recipient_id) if uid is not None]
    lobby = LOBBY_EVENTS.get(event.type)
    return {
        "type": "room.deliver",
        "text": log.encode(log.event_frame(event)),
        "seq": event.seq,
        "audience": audience,
        "moderators": event.private,
        "lobby": lobby(event) if lobby else None,
    }


def transient_envelope(frame, audience=None, connection=None, moderators=False, in_call=False):
    """A frame that is not persisted and has no number (a reaction, a WebRTC signal): to
    everyone admitted, to some people (`audience`, with the moderators if `moderators`), or to
    one connection (only if that connection is in the call, when `in_call`)."""
    return {
        "type": "room.deliver",
        "text": log.encode(frame),
        "seq": None,
        "audience": audience,
        "moderators": moderators,
        "connection": connection,
        "in_call": in_call,
    }


def control_envelope(admit=(), close=(), close_code=0, leave_call=()):
    """Changes of the sockets themselves: admit people from the waiting room, close the sockets
    of some people (or of everyone: `close="all"`), take connections out of the call."""
    return {
        "type": "room.control",
        "admit": list(admit),
        "close": close if close == "all" else list(close),
        "close_code": close_code,
        "leave_call": list(leave_call),
    }


def error_frame(code, field=None, ref=None):
    frame = {"type": "error", "code": code}
    if field is not None:
        frame["field"] = field
    if ref is not None:
        frame["ref"] = ref
    return frame
