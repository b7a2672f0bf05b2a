"""Commands a client can send, what running one produces, and the envelopes the hub carries.

A command module registers its commands with `@command(...)`:

    @command("chat", fields={"text": Text(max_length=2000)})
    def send_chat(ctx, text):
        ...
        return Outcome(events=[event])

A command runs in the database thread (it may read and write models; its events are appended
in its own transaction) unless it is declared `transient`, in which case it must not touch the
database and runs at once in the event loop (reactions, WebRTC signals).
"""

from dataclasses import dataclass, field

from . import log
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


def command(type, fields=None, moderator_only=False, while_waiting=False, transient=False):
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


@dataclass
class Outcome:
    """What a command produced: persisted events to broadcast, transient deliveries, a reply
    to the sender, and changes of who is in the room."""

    events: list = field(default_factory=list)
    deliveries: list = field(default_factory=list)
    reply: dict | None = None
    admit: list = field(default_factory=list)
    close: list = field(default_factory=list)
    close_code: int = 0


# Envelopes: what the hub of every process receives through the channel layer. Plain dicts of
# strings, numbers and lists, so that Redis can carry them; the frame is encoded once, by the
# process that publishes it, and every socket receives that same text.


def event_envelope(event, lobby=None):
    """A persisted event: to everyone admitted, or (private) to its actor, its recipient and
    the moderators, with a `skip` frame to the others so that their sequence has no gap."""
    audience = None
    if event.private:
        audience = [uid for uid in (event.actor_id, event.recipient_id) if uid is not None]
    return {
        "type": "room.deliver",
        "text": log.encode(log.event_frame(event)),
        "seq": event.seq,
        "audience": audience,
        "moderators": event.private,
        "lobby": lobby,
    }


def transient_envelope(frame, audience=None, connection=None, moderators=False):
    """A frame that is not persisted and has no number (a reaction, a WebRTC signal): to
    everyone admitted, to some people (`audience`, with the moderators if `moderators`), or to
    one connection."""
    return {
        "type": "room.deliver",
        "text": log.encode(frame),
        "seq": None,
        "audience": audience,
        "moderators": moderators,
        "connection": connection,
    }


def control_envelope(admit=(), close=(), close_code=0):
    """Changes of the sockets themselves: admit people from the waiting room, close the sockets
    of people removed from the room."""
    return {
        "type": "room.control",
        "admit": list(admit),
        "close": list(close),
        "close_code": close_code,
    }


def error_frame(code, field=None, ref=None):
    frame = {"type": "error", "code": code}
    if field is not None:
        frame["field"] = field
    if ref is not None:
        frame["ref"] = ref
    return frame
