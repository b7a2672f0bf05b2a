"""The live room's WebSocket consumer: one per socket. It checks who is there (from the
session, never from a frame), validates and rate-limits every frame, runs the command, and
hands what it produced to the process's hub. Frames are documented in docs/room-protocol.md.

Whatever fails, a socket does not outlive its place in the room: an error that escapes a
handler makes the socket leave the room (its departure recorded) and close with 4500.
"""

import asyncio
import json
import logging
import secrets

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from ..models import Participant
from . import access, commands, limits, locks, log, presence
from .commands.calls import CALL_SIZE
from .commands.chat import CHAT_MAX_CHARS
from .hub import hub
from .protocol import COMMANDS, RoomContext, control_envelope, error_frame, run_in_room
from .validation import FrameError, Integer, clean_fields, encodable

logger = logging.getLogger(__name__)

commands.load()

PONG = log.encode({"type": "pong"})
SYNC_TYPE = "sync"
SYNC_FIELDS = {"since": Integer(minimum=0)}
SIGNAL_TYPE = "rtc_signal"
MAX_REF_CHARS = 40


class RoomConsumer(AsyncWebsocketConsumer):
    # The hub fans out to the room's sockets: a socket needs no channel of its own, nor a task
    # reading one (get_channel_layer() gives None for an alias that is not configured).
    channel_layer_alias = "room-sockets-have-no-channel"

    session_id = None
    user_id = None
    name = ""
    company_id = None
    is_moderator = False
    waiting = True
    in_call = False
    connection = ""
    closing = False
    # The hub counts the socket (`let_in`) from the moment `hub` is set until `leave`.
    hub = None
    # Frames are read once the welcome is sent.
    entered = False
    # The connection may have an open attendance: its departure must be recorded.
    present = False
    left = False
    entering = None
    # A socket's first replay comes with its arrival (which has a budget); later ones are
    # counted.
    synced = False
    refused_in_a_row = 0

    async def dispatch(self, message):
        # Channels closes stale database connections before every handler, in a thread hop of
        # its own; every database call of the room goes through database_sync_to_async, which
        # does that already, so a frame skips the hop, and so does a disconnection: the socket
        # stops counting at once, not after the database thread's queue.
        try:
            if message["type"] == "websocket.receive":
                await self.websocket_receive(message)
            elif message["type"] == "websocket.disconnect":
                await self.disconnect(message.get("code"))
                raise StopConsumer()
            else:
                await super().dispatch(message)
        except StopConsumer:
            raise
        except Exception:
            # Left to Channels, the error would end this consumer without `disconnect`: a
            # socket gone, its person present in the room for ever.
            logger.exception("room: %s failed on connection %r", message["type"], self.connection)
            await self.fail()
            if message["type"] == "websocket.disconnect":
                raise StopConsumer() from None

    async def fail(self):
        """The socket tells its client if it still can, leaves the room and closes with 4500:
        the client reconnects and resyncs."""
        if not self.closing:
            await self.send_error(error_frame("server_error"))
        try:
            await self.leave()
        except Exception:
            logger.exception("room: connection %r could not leave cleanly", self.connection)
        await self.close_room(access.CLOSE_SERVER_ERROR)

    async def connect(self):
        user = self.scope["user"]
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        # Accept first, so that a refused person gets a close code that says why.
        await self.accept()
        if not user.is_authenticated:
            await self.close_room(access.CLOSE_NOT_LOGGED_IN)
            return
        self.user_id = user.pk
        self.connection = secrets.token_hex(8)
        room_hub = hub()
        # Before any database work: a loop of connections costs the room nothing.
        if not room_hub.let_in(self):
            await self.close_room(access.CLOSE_FLOOD)
            return
        self.hub = room_hub
        await self.enter(user)

    async def enter(self, user):
        arrival = await database_sync_to_async(presence.arrive)(
            self.session_id, user, self.connection
        )
        if arrival.close_code:
            await self.close_room(arrival.close_code)
            return
        self.present = arrival.status == Participant.Status.ADMITTED
        self.name = user.display_name
        self.is_moderator = arrival.is_moderator
        self.company_id = arrival.company_id
        self.waiting = not self.present
        await self.hub.attach(self)
        # Decisions taken between the arrival and now reached the process before this socket
        # listened: read where the person stands once more.
        standing = await database_sync_to_async(locks.standing)(self.session_id, user.pk)
        refused = locks.refusal(standing, waiting_allowed=True)
        if refused:
            await self.close_room(refused.close_code)
            return
        if self.waiting and standing.status == Participant.Status.ADMITTED:
            self.waiting = False
            self.present = True
            arrival.events += await database_sync_to_async(presence.enter_after_admission)(
                self.session_id, user, self.connection
            )
        await self.send_frame(self.welcome(arrival, standing.last_seq))
        self.entered = True
        if arrival.admit:
            await self.hub.publish(self.session_id, control_envelope(admit=arrival.admit))
        await self.hub.publish_events(self.session_id, arrival.events)

    def welcome(self, arrival, last_seq):
        frame = {
            "type": "welcome",
            "connection": self.connection,
            "you": {
                "id": self.user_id,
                "name": self.name,
                "role": arrival.role,
                "status": "waiting" if self.waiting else "admitted",
                "muted": arrival.chat_muted,
                "company": arrival.company_id,
                "votes": arrival.votes,
            },
            "room": arrival.session,
            "last_seq": last_seq,
            "limits": {
                "max_frame_bytes": limits.MAX_FRAME_BYTES,
                "burst": limits.BURST,
                "per_second": limits.RATE_PER_S,
                "chat_max_chars": CHAT_MAX_CHARS,
                "call_size": CALL_SIZE,
            },
        }
        if not self.waiting:
            # The relay servers' credentials are for the room's members, not its waiting room.
            frame["ice_servers"] = settings.COACHING_ICE_SERVERS
        if self.is_moderator:
            frame["drafts"] = arrival.drafts
        return frame

    async def disconnect(self, code):
        self.closing = True
        await self.leave()

    async def leave(self):
        """Once per socket: the hub forgets it, and its departure is recorded (the room hears
        that its person left if it was their last socket)."""
        if self.hub is None or self.left:
            return
        self.left = True
        self.hub.let_out(self)
        await self.hub.detach(self)
        if self.entering is not None:
            # Its attendance must exist before it can be closed.
            await asyncio.gather(self.entering, return_exceptions=True)
        if not self.present:
            return
        try:
            events = await database_sync_to_async(presence.depart)(
                self.session_id, self.user_id, self.connection
            )
        except FrameError:
            return  # the session ended or no longer exists: nobody to tell
        except Exception:
            logger.exception("room: the departure of %s was not recorded", self.connection)
            return
        await self.hub.publish_events(self.session_id, events)

    # What the hub calls.

    async def write(self, message):
        # The server's send when the stack kept it (see `sending`): what the room broadcasts
        # needs none of the middleware's work.
        send = self.scope.get("server_send") or self.base_send
        try:
            await send(message)
        except Exception:  # the socket closed while the hub was writing to it
            logger.debug("room: write to a closed socket", exc_info=True)

    async def admit(self):
        """Called by the hub: the socket hears the room from now on, and receives the relay
        servers for the call; its attendance starts in a task of its own, so that the hub goes
        on delivering meanwhile. A socket that is closing stays out (False)."""
        if self.closing or self.left or not self.waiting:
            return False
        self.waiting = False
        self.present = True
        self.entering = asyncio.get_running_loop().create_task(self.admitted())
        await self.write(
            {
                "type": "websocket.send",
                "text": log.encode(
                    {"type": "ice_servers", "ice_servers": settings.COACHING_ICE_SERVERS}
                ),
            }
        )
        return True

    async def admitted(self):
        try:
            events = await database_sync_to_async(presence.enter_after_admission)(
                self.session_id, self.scope["user"], self.connection
            )
        except Exception:
            logger.exception("room: the admission of %s was not recorded", self.connection)
            return
        await self.hub.publish_events(self.session_id, events)

    async def close_room(self, code):
        if self.closing:
            return
        self.closing = True
        try:
            await self.close(code=code or access.CLOSE_REMOVED)
        except Exception:  # the socket is gone already
            logger.debug("room: close of a closed socket", exc_info=True)

    # Frames from the client.

    async def receive(self, text_data=None, bytes_data=None):
        if not self.entered or self.closing:
            return
        ref = None
        try:
            frame = self.parse(text_data)
            ref = frame.get("ref")
            await self.run(frame)
            self.refused_in_a_row = 0
        except FrameError as error:
            await self.refuse(error, ref)
        except Exception:
            # A command failed unexpectedly: its transaction was rolled back, the sender hears
            # so, and the socket stays open.
            logger.exception("room: a %r frame failed", text_data[:40] if text_data else None)
            await self.send_error(error_frame("server_error", ref=ref))

    def parse(self, text_data):
        """The frame as a dict, within the size and rate limits, or a FrameError."""
        if text_data is None:
            raise FrameError("not_text")
        if len(text_data) > limits.MAX_FRAME_BYTES:
            raise FrameError("too_large")
        budget = self.hub.limits_of(self.session_id, self.user_id)
        if not budget.frames.take():
            raise FrameError("rate_limited")
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError) as error:
            # RecursionError: arrays nested thousands deep, which no client of ours sends.
            raise FrameError("bad_json") from error
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise FrameError("bad_frame")
        ref = frame.get("ref")
        if ref is not None and not valid_ref(ref):
            frame.pop("ref")
            raise FrameError("invalid_value", "ref")
        if frame["type"] == SIGNAL_TYPE:
            # Signals have a budget of their own (they come in bursts).
            budget.frames.give_back()
            if not budget.signals.take():
                raise FrameError("rate_limited")
        elif frame["type"] == SYNC_TYPE and self.synced and not budget.syncs.take():
            # A replay may be the whole history: resyncs have a budget of their own too.
            raise FrameError("rate_limited")
        return frame

    async def refuse(self, error, ref):
        if error.close_code:
            # The person should no longer be here (removed, refused, the session ended): the
            # socket missed the message that closes it, and closes now.
            await self.send_error(error_frame(error.code, error.field, ref))
            await self.close_room(error.close_code)
            return
        self.refused_in_a_row += 1
        if self.refused_in_a_row >= limits.ABUSE_LIMIT:
            code = access.CLOSE_FLOOD if error.code == "rate_limited" else access.CLOSE_BAD_FRAMES
            await self.close_room(code)
            return
        await self.send_error(error_frame(error.code, error.field, ref))

    async def run(self, frame):
        kind = frame["type"]
        if kind == "ping":
            clean_fields({}, frame)
            await self.send(text_data=PONG)
            return
        if self.waiting:
            raise FrameError("not_admitted")
        if kind == SYNC_TYPE:
            since = clean_fields(SYNC_FIELDS, frame)["since"]
            self.synced = True
            await self.resync(since)
            return
        spec = COMMANDS.get(kind)
        if spec is None:
            raise FrameError("unknown_type", "type")
        if spec.moderator_only and not self.is_moderator:
            raise FrameError("forbidden")
        fields = clean_fields(spec.fields, frame)
        context = RoomContext(
            session_id=self.session_id,
            user_id=self.user_id,
            name=self.name,
            is_moderator=self.is_moderator,
            connection=self.connection,
            company_id=self.company_id,
            in_call=self.in_call,
        )
        if spec.batched:
            # Stored and published by the process's writer with the others of its batch.
            said = await spec.run(context, **fields)
            await self.hub.writer.submit(context, spec.type, said)
            return
        if spec.transient:
            outcome = spec.run(context, **fields)
        else:
            outcome = await database_sync_to_async(run_in_room)(spec, context, fields)
        await self.publish_outcome(outcome, frame.get("ref"))

    async def publish_outcome(self, outcome, ref=None):
        if outcome.in_call is not None:
            self.in_call = outcome.in_call
        # Admissions first: an admitted socket then receives the event that announces it as
        # an ordinary member of the room (one hub channel per process keeps this order).
        if outcome.admit or outcome.leave_call:
            await self.hub.publish(
                self.session_id,
                control_envelope(admit=outcome.admit, leave_call=outcome.leave_call),
            )
        await self.hub.publish_events(self.session_id, outcome.events)
        for envelope in outcome.deliveries:
            await self.hub.publish(self.session_id, envelope)
        if outcome.close:
            await self.hub.publish(
                self.session_id,
                control_envelope(close=outcome.close, close_code=outcome.close_code),
            )
        if outcome.reply is not None:
            reply = dict(outcome.reply)
            if ref is not None:
                reply["ref"] = ref
            await self.send_frame(reply)

    async def resync(self, since):
        while True:
            texts, upto, complete = await database_sync_to_async(log.replay)(
                self.session_id, since, self.user_id, self.is_moderator
            )
            await self.send(text_data=log.replay_frame(texts, upto, complete))
            if complete:
                return
            since = upto

    async def send_frame(self, frame):
        await self.send(text_data=log.encode(frame))

    async def send_error(self, frame):
        """An error frame, if the socket can still take one: failing to tell is no new error."""
        try:
            await self.send_frame(frame)
        except Exception:
            logger.debug("room: an error frame could not be sent", exc_info=True)


def valid_ref(ref):
    """A client's `ref`: a number, or a short string that can be written back as UTF-8."""
    if isinstance(ref, bool) or not isinstance(ref, (int, str)):
        return False
    if isinstance(ref, str) and not encodable(ref):
        return False
    return len(str(ref)) <= MAX_REF_CHARS
