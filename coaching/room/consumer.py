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

from . import access, commands, limits, log, presence
from .hub import hub
from .protocol import (
    COMMANDS,
    RoomContext,
    control_envelope,
    error_frame,
    event_envelope,
)
from .validation import FrameError, clean_fields

logger = logging.getLogger(__name__)

commands.load()


class RoomConsumer(AsyncWebsocketConsumer):
    session_id = None
    user_id = None
    is_moderator = False
    waiting = True
    connection = ""

    async def connect(self):
        user = self.scope["user"]
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        # Accept first, so that a refused person gets a close code that says why.
        await self.accept()
        if not user.is_authenticated:
            await self.close(code=access.CLOSE_NOT_LOGGED_IN)
            return
        self.user_id = user.pk
        self.name = user.display_name
        self.connection = secrets.token_hex(8)
        arrival = await database_sync_to_async(presence.arrive)(
            self.session_id, user, self.connection
        )
        if arrival.close_code:
            self.user_id = None
            await self.close(code=arrival.close_code)
            return
        self.is_moderator = arrival.is_moderator
        self.company_id = arrival.company_id
        self.waiting = arrival.status != "admitted"
        self.refused_in_a_row = 0
        self.hub = hub()
        await self.hub.attach(self)
        await self.send_frame(
            {
                "type": "welcome",
                "connection": self.connection,
                "you": {
                    "id": self.user_id,
                    "name": self.name,
                    "role": arrival.role,
                    "status": arrival.status,
                    "muted": arrival.chat_muted,
                },
                "room": arrival.session,
                "last_seq": await database_sync_to_async(log.last_seq)(self.session_id),
                "ice_servers": settings.COACHING_ICE_SERVERS,
                "limits": {
                    "max_frame_bytes": limits.MAX_FRAME_BYTES,
                    "burst": limits.BURST,
                    "per_second": limits.RATE_PER_S,
                },
            }
        )
        if arrival.admit:
            await self.hub.publish(self.session_id, control_envelope(admit=arrival.admit))
        await self.publish_events(arrival.events)

    async def disconnect(self, code):
        if self.user_id is None or not hasattr(self, "hub"):
            return
        await self.hub.detach(self)
        events = await database_sync_to_async(presence.depart)(
            self.session_id, self.user_id, self.connection
        )
        await self.publish_events(events)

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
        asyncio.get_running_loop().create_task(self.admitted())

    async def admitted(self):
        events = await database_sync_to_async(presence.enter_after_admission)(
            self.session_id, self.scope["user"], self.connection
        )
        await self.publish_events(events)

    async def close_room(self, code):
        await self.close(code=code or access.CLOSE_REMOVED)

    # Frames from the client.

    async def receive(self, text_data=None, bytes_data=None):
        if self.user_id is None:
            return
        ref = None
        try:
            if text_data is None:
                raise FrameError("not_text")
            if len(text_data) > limits.MAX_FRAME_BYTES:
                raise FrameError("too_large")
            if not self.bucket().take():
                raise FrameError("rate_limited")
            try:
                frame = json.loads(text_data)
            except ValueError as error:
                raise FrameError("bad_json") from error
            if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
                raise FrameError("bad_frame")
            ref = frame.get("ref")
            if not (ref is None or isinstance(ref, (int, str)) and len(str(ref)) <= 40):
                ref = None
                raise FrameError("invalid_value", "ref")
            await self.run(frame)
            self.refused_in_a_row = 0
        except FrameError as error:
            await self.refuse(error, ref)

    async def refuse(self, error, ref):
        self.refused_in_a_row += 1
        if self.refused_in_a_row > limits.ABUSE_LIMIT:
            code = access.CLOSE_FLOOD if error.code == "rate_limited" else access.CLOSE_BAD_FRAMES
            await self.close(code=code)
            return
        await self.send_frame(error_frame(error.code, error.field, ref))

    async def run(self, frame):
        kind = frame["type"]
        if kind == "ping":
            await self.pong()
            return
        if kind == "sync":
            await self.resync(frame)
            return
        spec = COMMANDS.get(kind)
        if spec is None:
            raise FrameError("unknown_type", "type")
        if self.waiting and not spec.while_waiting:
            raise FrameError("not_admitted")
        if spec.moderator_only and not self.is_moderator:
            raise FrameError("forbidden")
        fields = clean_fields(spec.fields, frame)
        context = self.context()
        if spec.transient:
            outcome = spec.run(context, **fields)
        else:
            outcome = await database_sync_to_async(spec.run)(context, **fields)
        await self.publish_outcome(outcome, frame.get("ref"))

    def context(self):
        return RoomContext(
            session_id=self.session_id,
            user_id=self.user_id,
            name=self.name,
            is_moderator=self.is_moderator,
            connection=self.connection,
            company_id=self.company_id,
        )

    async def publish_outcome(self, outcome, ref=None):
        # Admissions first: an admitted socket then receives the event that announces it as
        # an ordinary member of the room (one hub channel per process keeps this order).
        if outcome.admit:
            await self.hub.publish(self.session_id, control_envelope(admit=outcome.admit))
        await self.publish_events(outcome.events)
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

    async def publish_events(self, events):
        for event in events:
            lobby = LOBBY_EVENTS.get(event.type)
            envelope = event_envelope(event, lobby=lobby(event) if lobby else None)
            await self.hub.publish(self.session_id, envelope)

    async def pong(self):
        await database_sync_to_async(presence.heartbeat)(self.connection)
        await self.send_frame({"type": "pong"})

    async def resync(self, frame):
        since = frame.get("since", 0)
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            raise FrameError("invalid_value", "since")
        if self.waiting:
            raise FrameError("not_admitted")
        while True:
            # The last number first: every event up to it is committed (numbers are taken
            # under the session row's lock), and any later one reaches this socket live.
            last = await database_sync_to_async(log.last_seq)(self.session_id)
            events = await database_sync_to_async(log.events_since)(
                self.session_id, since, self.user_id, self.is_moderator, upto=last
            )
            complete = len(events) < log.REPLAY_CHUNK
            upto = last if complete else events[-1]["seq"]
            await self.send_frame(
                {"type": "replay", "events": events, "last_seq": upto, "complete": complete}
            )
            if complete:
                return
            since = upto
            await asyncio.sleep(0)

    def bucket(self):
        key = (self.session_id, self.user_id)
        found = self.hub.buckets.get(key)
        if found is None:
            found = self.hub.buckets[key] = limits.TokenBucket()
        return found

    async def send_frame(self, frame):
        await self.send(text_data=log.encode(frame))


# Events a waiting person must hear about: that the room opened, that they were let in.
LOBBY_EVENTS = {
    "room_opened": lambda event: "all",
    "admitted": lambda event: event.data.get("users", []),
    "denied": lambda event: [event.data["user"]],
}
