"""Changes to the room tried out under the benchmark before they are proposed: each a function
that patches the running server process, applied by bench/room_hooks.py when named in
`VIRAGE_BENCH_ROOM_PROTOTYPE` (comma-separated).

- `switch`: a shorter GIL switch interval.
- `batch`: chat messages persisted in batches (group commit) by one writer per process.
- `rawsend`: the hub writes to a socket with the server's send, not the session middleware's.
- `sql`: (with `batch`) a batch of chat messages persisted in one SQL statement.
- `async`: (with `batch`) that statement sent from the event loop on an
  asynchronous psycopg connection, without the database thread.
- `freeze`: the objects the process starts with are frozen out of garbage collection.
- `young`: young garbage collections every 10,000 allocations instead of 700.
- `plain`: `sanitise` returns plain text at once, without bleach.
- `direct`: the hub delivers what its process publishes to its own sockets at once, not
  through the channel layer.
"""

import sys


def switch_interval():
    """The database thread waits for the GIL each time the database answers; while the event
    loop is busy writing to sockets, Python hands the GIL over only every switch interval (5 ms
    by default), so every round trip of a command can cost up to 5 ms. A shorter interval."""
    sys.setswitchinterval(0.0005)


def batch_chats():
    """A chat frame is validated and sanitised as before, then handed to the process's writer
    (bench/room_batch.py), which persists it with the others of its batch and broadcasts it;
    every other frame runs as before."""
    from bench import room_batch
    from coaching.room import consumer as consumer_module
    from coaching.room.commands.chat import sanitise
    from coaching.room.protocol import COMMANDS
    from coaching.room.validation import FrameError, clean_fields

    writer = room_batch.WRITER[0]()
    original_run = consumer_module.RoomConsumer.run

    async def run(self, frame):
        if frame.get("type") != "chat":
            return await original_run(self, frame)
        if self.waiting:
            raise FrameError("not_admitted")
        fields = clean_fields(COMMANDS["chat"].fields, frame)
        # Sanitised here, in the event loop's thread: pure computation, which in the database
        # thread would take the GIL from the loop in the middle of its writes.
        result = await writer.submit(self, sanitise(fields["text"]))
        if isinstance(result, Exception):
            raise result

    consumer_module.RoomConsumer.run = run


def single_statement():
    """The writer persists a batch in one SQL statement (PostgreSQL), not in an ORM
    transaction of five statements."""
    from bench import room_batch

    room_batch.PERSIST[0] = room_batch.persist_chats_sql


def async_statement():
    """The writer sends that statement from the event loop, on an asynchronous connection."""
    from bench import room_batch

    room_batch.WRITER[0] = room_batch.AsyncChatWriter


def plain_text_fast():
    """Most chat messages are plain text: no markup, no entity, no control character bleach
    rewrites, no web address to link. Such a text comes out of `sanitise` unchanged (checked
    on 100,000 random texts), so it is returned at once (3 µs) instead of parsed twice by
    html5lib (140 µs)."""
    import re

    from bleach.linkifier import URL_RE

    from coaching.room.commands import chat

    needs_bleach = re.compile(r"[<>&\x00-\x08\x0b-\x1f]")
    original = chat.sanitise

    def sanitise(text):
        if not needs_bleach.search(text) and not URL_RE.search(text):
            return text
        return original(text)

    chat.sanitise = sanitise


def raw_send():
    """The hub writes each delivery through the consumer's `base_send`, which is Channels'
    session middleware's `send`: it reads the session (a lazy object) on every message to see
    whether to save it, which only an HTTP response needs. Writing with the server's own send,
    found under that wrapper, skips it."""
    from coaching.room import consumer as consumer_module

    def server_send(consumer):
        send = consumer.base_send
        while hasattr(getattr(send, "__self__", None), "real_send"):
            send = send.__self__.real_send
        consumer.server_send = send
        return send

    async def write(self, message):
        send = self.__dict__.get("server_send") or server_send(self)
        try:
            await send(message)
        except Exception:  # the socket closed while the hub was writing to it
            pass

    consumer_module.RoomConsumer.write = write


def direct_publish():
    """A process's hub hears what it publishes through the channel layer, like every other
    process serving the room: for its own sockets that is a detour (with the in-memory layer,
    a task per group member and a turn of the event loop per message). The hub delivers to its
    own sockets at once; other processes (Redis) get the message through the layer, marked
    with the publishing hub's channel, which skips it when it comes back."""
    from channels.layers import InMemoryChannelLayer

    from coaching.room import hub as hub_module

    original_publish = hub_module.RoomHub.publish
    original_read_deliver = hub_module.RoomHub.deliver
    original_read_control = hub_module.RoomHub.control

    async def publish(self, session_id, envelope):
        if envelope.get("origin") is None and envelope["type"] in ("room.deliver", "room.control"):
            await self._start()
            if envelope["type"] == "room.deliver":
                await original_read_deliver(self, session_id, envelope)
            else:
                await original_read_control(self, session_id, envelope)
            if isinstance(self.layer, InMemoryChannelLayer):
                return  # one process: nobody else to tell
            envelope = {**envelope, "origin": self.channel}
        await original_publish(self, session_id, envelope)

    async def deliver(self, session_id, message):
        if message.get("origin") is not None and message["origin"] == self.channel:
            return  # delivered when it was published
        await original_read_deliver(self, session_id, message)

    async def control(self, session_id, message):
        if message.get("origin") is not None and message["origin"] == self.channel:
            return
        await original_read_control(self, session_id, message)

    hub_module.RoomHub.publish = publish
    hub_module.RoomHub.deliver = deliver
    hub_module.RoomHub.control = control


def freeze_startup_objects():
    """The process starts with some 200,000 objects (Django, Wagtail, the apps) that live as
    long as it does; a full collection of the garbage collector walks all of them (about
    0.1 s), pausing every socket of the process. Frozen once everything is imported, they are
    left out of collections."""
    import gc

    gc.collect()
    gc.freeze()


def young_collections_less_often():
    """A young collection every 700 allocations (Python's default) promotes whatever is alive
    at that instant, and at ten thousand deliveries a second much is in flight: promoted
    objects pile up and bring on full collections. Every 10,000 allocations instead."""
    import gc

    gc.set_threshold(10_000, 10, 10)


PROTOTYPES = {
    "switch": switch_interval,
    "batch": batch_chats,
    "rawsend": raw_send,
    "direct": direct_publish,
    "sql": single_statement,
    "async": async_statement,
    "freeze": freeze_startup_objects,
    "young": young_collections_less_often,
    "plain": plain_text_fast,
}


def apply(names):
    # `batch` last: it builds its writer with what the others chose, and takes `sanitise` as
    # `plain` leaves it.
    for name in sorted(names, key=lambda name: name == "batch"):
        PROTOTYPES[name]()
