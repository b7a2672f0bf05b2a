"""The room's fan-out: one channel-layer subscription per process and room, and one encoded
text written to every local socket of the room.

The stock pattern (each consumer in the group, `group_send` per message) costs, per delivery,
a channel-layer message, a queue hop and a handler dispatch: at 50 sockets per room that is 50
of each per chat message, and it is what saturates a process. Here a message costs one
channel-layer message per process, and each socket costs one `websocket.send` of text that was
encoded once. See `bench/run.py room`.

The hub also keeps the per-person limits of its process (budgets of frames, signals, resyncs
and arrivals, and a cap on each person's open sockets), and looks after its rooms every half
minute (`sweep`): it records that its sockets are still open, expires the connections of
processes that died, closes the sockets of people who may no longer be there (or no longer as
what they entered), and forgets the budgets that have refilled.
"""

import asyncio
import logging
import secrets
import weakref

from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer

from . import access, presence
from .limits import SOCKETS_PER_PERSON, PersonLimits
from .protocol import event_envelope
from .writer import Writer

logger = logging.getLogger(__name__)

HUB_CHANNEL_PREFIX = "roomhub"
SWEEP_EVERY_S = 30
# After the channel layer fails (Redis restarting), wait this long before reading again.
RETRY_AFTER_S = 1
# A read that failed after waiting this long was a quiet channel's blocking read, not a failure.
QUIET_READ_S = 1
# How long closing waits for the channel layer.
CLOSE_WAIT_S = 10
# How often a process joins its rooms' groups again: a Redis that restarted has forgotten them.
REJOIN_EVERY_S = 5


def group_name(session_id):
    return f"room.{session_id}"


class RoomHub:
    def __init__(self, layer):
        self.layer = layer
        self.channel = None
        self.rooms = {}
        self.connections = {}
        self.limits = {}
        # (session id, user id) -> that person's sockets in the room, from their arrival on.
        self.people = {}
        self.subscribed = set()
        self._subscriptions = asyncio.Lock()
        self._started = asyncio.Lock()
        self._tasks = []
        self.writer = Writer(self)

    # Sockets of this process.

    def let_in(self, consumer):
        """Whether the person may open one more socket in the room now (under the cap of open
        sockets, within the arrival budget); if so, the socket counts until `let_out`. Checked
        before any database work of the arrival."""
        key = (consumer.session_id, consumer.user_id)
        sockets = self.people.get(key, ())
        if len(sockets) >= SOCKETS_PER_PERSON:
            return False
        if not self.limits_of(*key).arrivals.take():
            return False
        self.people.setdefault(key, set()).add(consumer)
        return True

    def let_out(self, consumer):
        key = (consumer.session_id, consumer.user_id)
        sockets = self.people.get(key)
        if sockets is not None:
            sockets.discard(consumer)
            if not sockets:
                del self.people[key]

    async def attach(self, consumer):
        """Adds the socket to its room; returns once the process hears the room."""
        await self._start()
        self.rooms.setdefault(consumer.session_id, set()).add(consumer)
        self.connections[consumer.connection] = consumer
        async with self._subscriptions:
            session_id = consumer.session_id
            if session_id in self.rooms and session_id not in self.subscribed:
                await self.layer.group_add(group_name(session_id), self.channel)
                self.subscribed.add(session_id)

    async def detach(self, consumer):
        session_id = consumer.session_id
        self.connections.pop(consumer.connection, None)
        sockets = self.rooms.get(session_id)
        if sockets is None or consumer not in sockets:
            return
        sockets.discard(consumer)
        if sockets:
            return
        del self.rooms[session_id]
        async with self._subscriptions:
            # A socket of the room may have arrived while this one waited for the lock.
            if session_id not in self.rooms and session_id in self.subscribed:
                self.subscribed.discard(session_id)
                await self.layer.group_discard(group_name(session_id), self.channel)

    def limits_of(self, session_id, user_id):
        """The person's limits in this process, shared by their sockets, kept after they leave
        (reconnecting refills nothing) until they have refilled (`forget_refilled`)."""
        key = (session_id, user_id)
        found = self.limits.get(key)
        if found is None:
            found = self.limits[key] = PersonLimits()
        return found

    # Publishing.

    async def publish(self, session_id, envelope):
        """To every process serving the room. This process's sockets get it at once, not back
        through the channel layer (with the in-memory layer, that detour costs a task per
        message and a turn of the event loop); other processes get it through the layer, marked
        with this hub's channel, which skips it when it comes back. A signal to a socket of this
        process goes to it alone. If the layer fails, what was persisted is still replayed on
        resync."""
        target = envelope.get("connection")
        if target is not None and target in self.connections:
            await self.deliver(session_id, envelope)
            return
        await self._start()
        if envelope["type"] == "room.control":
            await self.control(session_id, envelope)
        else:
            await self.deliver(session_id, envelope)
        if self.alone():
            return
        try:
            await self.layer.group_send(
                group_name(session_id), {**envelope, "room": session_id, "origin": self.channel}
            )
        except Exception:
            logger.exception("room hub: the channel layer refused a message for %s", session_id)

    def alone(self):
        """Whether no other hub can hear this one: the layer lives in this process (in memory)
        and no other event loop of the process has a hub."""
        if not isinstance(self.layer, InMemoryChannelLayer):
            return False
        return all(found is self or loop.is_closed() for loop, found in tuple(_hubs.items()))

    async def publish_events(self, session_id, events):
        for event in events:
            await self.publish(session_id, event_envelope(event))

    # Reading.

    async def _start(self):
        async with self._started:
            if self.channel is None:
                # A prefix of its own: the Redis layer keeps a lock per channel prefix, bound to
                # the event loop that used it, which a later hub (a later test's event loop)
                # must not inherit.
                prefix = f"{HUB_CHANNEL_PREFIX}.{secrets.token_hex(4)}"
                self.channel = await self.layer.new_channel(prefix=prefix)
                loop = asyncio.get_running_loop()
                self._tasks = [loop.create_task(self._read()), loop.create_task(self._sweeps())]
                if not isinstance(self.layer, InMemoryChannelLayer):
                    self._tasks.append(loop.create_task(self._rejoins()))

    async def _read(self):
        loop = asyncio.get_running_loop()
        reader = asyncio.current_task()
        while True:
            started = loop.time()
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if reader.cancelling():
                    # Stopped while reading, and the layer's client turned the cancellation
                    # into an error of its own: reading again would never end (`close`).
                    raise asyncio.CancelledError from error
                if loop.time() - started >= QUIET_READ_S:
                    # A blocking read of a quiet channel that ended in an error rather than
                    # empty (a Redis client whose socket timeout is no longer than the read's):
                    # nothing is wrong with the layer, read again at once.
                    logger.debug("room hub: a quiet read failed", exc_info=True)
                    continue
                logger.exception("room hub: the channel layer failed; reading again shortly")
                await asyncio.sleep(RETRY_AFTER_S)
                continue
            if message.get("origin") == self.channel:
                continue  # this hub's own, delivered here when it was published
            try:
                session_id = message["room"]
                if message["type"] == "room.deliver":
                    await self.deliver(session_id, message)
                elif message["type"] == "room.control":
                    await self.control(session_id, message)
            except Exception:
                logger.exception("room hub: a message could not be delivered")

    async def _rejoins(self):
        """Joins this process's rooms' groups again and again. Redis keeps the groups, and keeps
        nothing across a restart: without this, once it is back, the other processes' messages
        no longer reach this one (each process still stores and delivers what its own sockets
        say, and resyncs bring the rest). The reader does not always notice: the Redis client
        reconnects by itself. Joining a group again changes nothing when it was not forgotten."""
        while True:
            await asyncio.sleep(REJOIN_EVERY_S)
            try:
                await self.rejoin()
            except Exception:
                logger.warning("room hub: the channel layer refused the rooms' groups; later")

    async def rejoin(self):
        for session_id in tuple(self.subscribed):
            # A room at a time: a socket arriving meanwhile waits for one room, not for all.
            async with self._subscriptions:
                if session_id in self.subscribed:
                    await self.layer.group_add(group_name(session_id), self.channel)

    async def deliver(self, session_id, message):
        sockets = self.rooms.get(session_id)
        if not sockets:
            return
        full = {"type": "websocket.send", "text": message["text"]}
        connection = message.get("connection")
        if connection is not None:
            socket = self.connections.get(connection)
            if (
                socket is not None
                and socket.session_id == session_id
                and not socket.waiting
                and (socket.in_call or not message.get("in_call"))
            ):
                await socket.write(full)
            return
        audience, lobby = message.get("audience"), message.get("lobby")
        if audience is None and not lobby:
            # The common case (a chat message): the same text to everyone admitted.
            for socket in tuple(sockets):
                if not socket.waiting:
                    await socket.write(full)
            return
        seq = message.get("seq")
        skip = {"type": "websocket.send", "text": f'{{"type":"skip","seq":{seq}}}'}
        audience = set(audience) if audience is not None else None
        moderators = message.get("moderators", False)
        for socket in tuple(sockets):
            if socket.waiting:
                if lobby == "all" or (lobby and socket.user_id in lobby):
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
        admit = set(message.get("admit", ()))
        close = message.get("close", ())
        close = close if close == "all" else set(close)
        leave_call = set(message.get("leave_call", ()))
        for socket in tuple(self.rooms.get(session_id, ())):
            if close == "all" or socket.user_id in close:
                await socket.close_room(message.get("close_code"))
                continue
            if socket.connection in leave_call:
                socket.in_call = False
            if socket.waiting and socket.user_id in admit:
                await socket.admit()

    # Looking after the rooms.

    async def _sweeps(self):
        while True:
            await asyncio.sleep(SWEEP_EVERY_S)
            try:
                await self.sweep()
            except Exception:
                logger.exception("room hub: a sweep failed")

    async def sweep(self, now=None):
        for session_id in list(self.rooms):
            await self.sweep_room(session_id, now)
        self.forget_refilled()

    def forget_refilled(self, now=None):
        """Drops the limits of people with no socket here whose budgets have refilled: keeping
        them would change nothing, and the process would otherwise keep them for ever."""
        for key, budget in tuple(self.limits.items()):
            if key not in self.people and budget.refilled(now):
                del self.limits[key]

    async def sweep_room(self, session_id, now=None):
        sockets = tuple(self.rooms.get(session_id, ()))
        if not sockets:
            return
        connections = [socket.connection for socket in sockets if not socket.waiting]
        user_ids = sorted({socket.user_id for socket in sockets})
        waiting = sorted({socket.user_id for socket in sockets if socket.waiting})
        moderators = sorted({socket.user_id for socket in sockets if socket.is_moderator})
        found = await database_sync_to_async(presence.sweep)(
            session_id, connections, user_ids, waiting, moderators, now
        )
        await self.publish_events(session_id, found.events)
        for socket in sockets:
            code = found.close_all or found.close.get(socket.user_id)
            if not code and socket.connection in found.closed_connections:
                # Another process expired it while it was open (a late sweep): it reconnects,
                # which makes it present again, and resyncs.
                code = access.CLOSE_SERVER_ERROR
            if code:
                await socket.close_room(code)
            elif socket.waiting and socket.user_id in found.admissions and await socket.admit():
                # It missed its admission: it is let in now, and told so.
                await socket.write(
                    {"type": "websocket.send", "text": found.admissions[socket.user_id]}
                )

    async def close(self):
        """Stops reading and leaves every room (at the end of a test, or of the process). It
        waits for the reading task to end (a layer shared by several event loops in turn, Redis
        in tests, should not be left in the middle of a read of a loop that is gone), for at
        most `CLOSE_WAIT_S`: each hub reads a channel of its own, so a read left behind takes
        nothing from the next hub."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            # A read of the Redis layer may outlast its cancellation (the layer finishes its
            # own bookkeeping first); a layer that no longer answers must not keep the process
            # (or a test) from ending.
            _done, stuck = await asyncio.wait(self._tasks, timeout=CLOSE_WAIT_S)
            if stuck:
                logger.warning("room hub: %d task(s) still running after closing", len(stuck))
        self._tasks = []
        try:
            # A layer that no longer answers (Redis gone) must not keep the process from ending.
            async with asyncio.timeout(CLOSE_WAIT_S):
                await self._leave_layer()
        except TimeoutError:
            logger.warning("room hub: the channel layer did not answer while the hub closed")
        self.subscribed.clear()

    async def _leave_layer(self):
        # The Redis layer acknowledges what it read in tasks of its own, which hold a lock of
        # the process's hub channels until they end.
        wait_received = getattr(self.layer, "wait_received", None)
        if wait_received is not None:
            await wait_received()
            await asyncio.sleep(0)  # their completion callbacks release that lock
        for session_id in list(self.subscribed):
            await self.layer.group_discard(group_name(session_id), self.channel)


_hubs = weakref.WeakKeyDictionary()


def hub():
    """The hub of this process's running event loop."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = RoomHub(get_channel_layer())
    return found


async def close_hub():
    """Closes and forgets the running event loop's hub, if it has one."""
    found = _hubs.pop(asyncio.get_running_loop(), None)
    if found is not None:
        await found.close()
