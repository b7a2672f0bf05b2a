"""The room's fan-out: one channel-layer subscription per process and room, and one encoded
text written to every local socket of the room.

The stock pattern (each consumer in the group, `group_send` per message) costs, per delivery,
a channel-layer message, a queue hop and a handler dispatch: at 50 sockets per room that is 50
of each per chat message, and it is what saturates a process. Here a message costs one
channel-layer message per process, and each socket costs one `websocket.send` of text that was
encoded once. See `bench/run.py room`.
"""

import asyncio
import logging
import weakref
from collections import defaultdict

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

HUB_CHANNEL_PREFIX = "roomhub"


def group_name(session_id):
    return f"room.{session_id}"


class RoomHub:
    def __init__(self, layer):
        self.layer = layer
        self.channel = None
        self.rooms = defaultdict(set)
        self.buckets = {}
        self._reader = None
        self._started = asyncio.Lock()

    async def attach(self, consumer):
        await self._start()
        sockets = self.rooms[consumer.session_id]
        if not sockets:
            await self.layer.group_add(group_name(consumer.session_id), self.channel)
        sockets.add(consumer)

    async def detach(self, consumer):
        sockets = self.rooms.get(consumer.session_id)
        if sockets is None:
            return
        sockets.discard(consumer)
        if not sockets:
            del self.rooms[consumer.session_id]
            await self.layer.group_discard(group_name(consumer.session_id), self.channel)

    def local_sockets(self, session_id):
        return self.rooms.get(session_id, ())

    async def publish(self, session_id, envelope):
        await self.layer.group_send(group_name(session_id), {**envelope, "room": session_id})

    async def _start(self):
        async with self._started:
            if self.channel is None:
                self.channel = await self.layer.new_channel(prefix=HUB_CHANNEL_PREFIX)
                self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self):
        while True:
            message = await self.layer.receive(self.channel)
            try:
                session_id = message["room"]
                if message["type"] == "room.deliver":
                    await self.deliver(session_id, message)
                elif message["type"] == "room.control":
                    await self.control(session_id, message)
            except Exception:
                logger.exception("room hub: a message could not be delivered")

    async def deliver(self, session_id, message):
        sockets = self.rooms.get(session_id)
        if not sockets:
            return
        full = {"type": "websocket.send", "text": message["text"]}
        seq = message.get("seq")
        skip = {"type": "websocket.send", "text": f'{{"type":"skip","seq":{seq}}}'}
        audience = message.get("audience")
        audience = set(audience) if audience is not None else None
        moderators = message.get("moderators", False)
        connection = message.get("connection")
        lobby = message.get("lobby")
        for socket in list(sockets):
            if socket.waiting:
                if lobby == "all" or (lobby and socket.user_id in lobby):
                    await socket.write(full)
                continue
            if connection is not None:
                if socket.connection == connection:
                    await socket.write(full)
            elif (
                audience is None
                or socket.user_id in audience
                or (moderators and socket.is_moderator)
            ):
                await socket.write(full)
            elif seq is not None:
                await socket.write(skip)

    async def control(self, session_id, message):
        sockets = list(self.rooms.get(session_id, ()))
        admit = set(message.get("admit", ()))
        close = set(message.get("close", ()))
        for socket in sockets:
            if socket.user_id in close:
                await socket.close_room(message.get("close_code"))
            elif socket.waiting and socket.user_id in admit:
                socket.admit()


_hubs = weakref.WeakKeyDictionary()


def hub():
    """The hub of this process's running event loop."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = RoomHub(get_channel_layer())
    return found
