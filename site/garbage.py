"""A full garbage collection every minute in each server process.

Every WebSocket that closes leaves its connection's objects in reference cycles: daphne's
protocol, Twisted's transport and request, autobahn's frame masker and UTF-8 validator with
their C buffers, some fifty objects a connection. Only a full collection frees them, and the
interpreter runs one only once the long-lived objects have grown by a quarter: under the
soak's load (`bench/run.py soak`, 500 people reconnecting now and then) that is every eight
to ten minutes, by which time thousands of closed connections' buffers are spread over the
allocator's arenas, and the process's memory creeps up from one such wave to the next.
Collecting every minute frees them while they are few; the objects of start-up are frozen out
of collection (`virage_site.asgi`), so a collection walks only the live objects, some 50,000.

With the collections alone, Python's own allocator stays flat over the soak, but the C
allocator's heap still grows by about 0.2 MiB a minute: the large objects freed (dictionaries'
tables, frame buffers) leave free chunks between chunks in use, which glibc keeps. After each
collection, `malloc_trim(0)` hands the free pages among them back to the system.
"""

import ctypes
import gc
import logging
import threading
import time

logger = logging.getLogger(__name__)

COLLECT_EVERY_S = 60
THREAD_NAME = "virage-garbage-collection"


class PeriodicCollection:
    """A daemon thread running `collect_once()` every `every_s` seconds until `stop()`. A thread
    rather than a task of the event loop: the ASGI server starts its loop after importing the
    application, and a collection holds the interpreter's lock either way. Finalizers of the
    objects freed run in this thread, as they already do in whichever thread an automatic
    collection happens to start (the executor threads of database calls among them)."""

    def __init__(self, every_s=COLLECT_EVERY_S):
        self.every_s = every_s
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._thread.join()

    def _run(self):
        while not self._stopping.wait(self.every_s):
            collect_once()


def collect_once():
    """One full collection, then the C allocator's free pages back to the system."""
    started = time.perf_counter()
    found = gc.collect()
    collected = time.perf_counter()
    trimmed = _malloc_trim()
    logger.debug(
        "garbage collection: %d objects freed in %.1f ms, malloc_trim %s in %.1f ms",
        found,
        (collected - started) * 1000,
        "released pages" if trimmed else "released nothing",
        (time.perf_counter() - collected) * 1000,
    )
    return found


def _c_library_trim():
    """glibc's `malloc_trim`, or None under a C library without it (musl, macOS)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_trim = _c_library_trim()


def _malloc_trim():
    return bool(_trim(0)) if _trim else False


_started = None
_starting = threading.Lock()


def collect_periodically(every_s=COLLECT_EVERY_S):
    """Starts the process's periodic collection once, however often it is asked."""
    global _started
    with _starting:
        if _started is None:
            _started = PeriodicCollection(every_s).start()
        return _started
