"""The live room's WebSocket consumer: one per socket. It checks who is there (from the
session, never from a frame), validates and rate-limits every frame, runs the command, and
hands what it produced to the process's hub. Frames are documented in docs/room-protocol.md.
"""

import asyncio
import json
import logging
import secrets

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from ..models import Participant
from . import access, commands, limits, log, presence
from .commands.calls import CALL_SIZE
from .commands.chat import CHAT_MAX_CHARS
from .hub import hub
from .protocol import COMMANDS, RoomContext, control_envelope, error_frame
from .validation import FrameError, Integer, clean_fields

logger = logging.getLogger(__name__)

commands.load()

PONG = log.encode({"type": "pong"})
SYNC_FIELDS = {"since": Integer(minimum=0)}
SIGNAL_TYPE = "rtc_signal"
REFUSED_STANDING = {
    Participant.Status.REMOVED: access.CLOSE_REMOVED,
    Participant.Status.DENIED: access.CLOSE_DENIED,
}


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
    hub = None
    entering = None
    refused_in_a_row = 0

    async def dispatch(self, message):
        # Channels closes stale database connections before every handler, in a thread hop of
        # its own; every database call of the room goes through database_sync_to_async, which
        # does that already, so a frame skips the hop.
        if message["type"] == "websocket.receive":
            await self.websocket_receive(message)
        else:
            await super().dispatch(message)

    async def connect(self):
        user = self.scope["user"]
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        # Accept first, so that a refused person gets a close code that says why.
        await self.accept()
        if not user.is_authenticated:
            await self.close(code=access.CLOSE_NOT_LOGGED_IN)
            return
        self.connection = secrets.token_hex(8)
        try:
            await self.enter(user)
        except Exception:
            logger.exception("room: %s could not enter room %s", user.pk, self.session_id)
            await self.close_room(access.CLOSE_SERVER_ERROR)

    async def enter(self, user):
        arrival = await database_sync_to_async(presence.arrive)(
            self.session_id, user, self.connection
        )
        if arrival.close_code:
            await self.close_room(arrival.close_code)
            return
        self.user_id = user.pk
        self.name = user.display_name
        self.is_moderator = arrival.is_moderator
        self.company_id = arrival.company_id
        self.waiting = arrival.status != Participant.Status.ADMITTED
        self.hub = hub()
        await self.hub.attach(self)
        # Decisions taken between the arrival and now reached the process before this socket
        # listened: read where the person stands once more.
        standing = await database_sync_to_async(presence.standing)(self.session_id, user.pk)
        if standing is None or standing.ended:
            await self.close_room(access.CLOSE_ENDED)
            return
        refused = REFUSED_STANDING.get(standing.status)
        if refused:
            await self.close_room(refused)
            return
        admitted_meanwhile = self.waiting and standing.status == Participant.Status.ADMITTED
        if admitted_meanwhile:
            self.waiting = False
            arrival.events += await database_sync_to_async(presence.enter_after_admission)(
                self.session_id, user, self.connection
            )
        await self.send_frame(self.welcome(arrival, standing.last_seq))
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
            "ice_servers": settings.COACHING_ICE_SERVERS,
            "limits": {
                "max_frame_bytes": limits.MAX_FRAME_BYTES,
                "burst": limits.BURST,
                "per_second": limits.RATE_PER_S,
                "chat_max_chars": CHAT_MAX_CHARS,
                "call_size": CALL_SIZE,
            },
        }
        if self.is_moderator:
            frame["drafts"] = arrival.drafts
        return frame

    async def disconnect(self, code):
        self.closing = True
        if self.hub is None:
            return
        await self.hub.detach(self)
        if self.entering is not None:
            # Its attendance must exist before it can be closed.
            await asyncio.gather(self.entering, return_exceptions=True)
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
        try:
            await self.base_send(message)
        except Exception:  # the socket closed while the hub was writing to it
            logger.debug("room: write to a closed socket", exc_info=True)

    def admit(self):
        """Called by the hub: the socket hears the room from now on; its attendance starts in a
        task of its own, so that the hub goes on delivering meanwhile."""
        self.waiting = False
        self.entering = asyncio.get_running_loop().create_task(self.admitted())

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
        await self.close(code=code or access.CLOSE_REMOVED)

    # Frames from the client.

    async def receive(self, text_data=None, bytes_data=None):
        if self.hub is None or self.closing:
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
            await self.send_frame(error_frame("server_error", ref=ref))

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
        except ValueError as error:
            raise FrameError("bad_json") from error
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise FrameError("bad_frame")
        ref = frame.get("ref")
        if ref is not None and (
            not isinstance(ref, (int, str)) or isinstance(ref, bool) or len(str(ref)) > 40
        ):
            frame.pop("ref")
            raise FrameError("invalid_value", "ref")
        if frame["type"] == SIGNAL_TYPE:
            # Signals have a budget of their own (they come in bursts).
            budget.frames.give_back()
            if not budget.signals.take():
                raise FrameError("rate_limited")
        return frame

    async def refuse(self, error, ref):
        self.refused_in_a_row += 1
        if self.refused_in_a_row >= limits.ABUSE_LIMIT:
            code = access.CLOSE_FLOOD if error.code == "rate_limited" else access.CLOSE_BAD_FRAMES
            await self.close_room(code)
            return
        await self.send_frame(error_frame(error.code, error.field, ref))

    async def run(self, frame):
        kind = frame["type"]
        if kind == "ping":
            clean_fields({}, frame)
            await self.send(text_data=PONG)
            return
        if self.waiting:
            raise FrameError("not_admitted")
        if kind == "sync":
            await self.resync(clean_fields(SYNC_FIELDS, frame)["since"])
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
        if spec.transient:
            outcome = spec.run(context, **fields)
        else:
            outcome = await database_sync_to_async(spec.run)(context, **fields)
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
            events, upto, complete = await database_sync_to_async(log.replay)(
                self.session_id, since, self.user_id, self.is_moderator
            )
            await self.send_frame(
                {"type": "replay", "events": events, "last_seq": upto, "complete": complete}
            )
            if complete:
                return
            since = upto

    async def send_frame(self, frame):
        await self.send(text_data=log.encode(frame))
