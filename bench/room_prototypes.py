"""Changes to the room tried out under the benchmark before they are proposed: each a function
that patches the running server process, applied by bench/room_hooks.py when named in
`VIRAGE_BENCH_ROOM_PROTOTYPE` (comma-separated).

- `switch`: a shorter GIL switch interval.
- `young`: young garbage collections every 700 allocations (Python's default) instead of
  the 10,000 `virage_site.asgi` sets, to see what that setting is worth.

Prototypes measured here before and now part of the room: chat messages written in batches by
one writer per process (`coaching/room/writer.py`), local delivery without the channel layer
(`hub.publish`), the server's own send for broadcasts (`coaching/room/sending.py`), plain text
past bleach (`commands/chat.sanitise`), and the start-up objects frozen out of garbage
collection (`virage_site.asgi`).
"""

import sys


def switch_interval():
    """The database thread waits for the GIL each time the database answers; while the event
    loop is busy writing to sockets, Python hands the GIL over only every switch interval (5 ms
    by default), so every round trip of a command can cost up to 5 ms. A shorter interval."""
    sys.setswitchinterval(0.0005)


def default_young_collections():
    """A young collection every 700 allocations, as Python does by default."""
    import gc

    gc.set_threshold(700, 10, 10)


PROTOTYPES = {
    "switch": switch_interval,
    "young": default_young_collections,
}


def apply(names):
    for name in names:
        PROTOTYPES[name]()
