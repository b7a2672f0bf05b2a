"""The server's periodic garbage collection frees objects left in reference cycles, as the
sockets daphne closes leave them, without waiting for the interpreter's own schedule."""

import gc
import threading
import time
import weakref

import pytest

from virage_site import garbage
from virage_site.garbage import PeriodicCollection


class Connection:
    """Stands for a closed connection's protocol and transport, which point at each other."""


def closed_connection():
    protocol, transport = Connection(), Connection()
    protocol.transport, transport.protocol = transport, protocol
    return weakref.ref(protocol)


def test_a_cycle_is_freed_by_the_periodic_collection_alone():
    gc.disable()  # so that only the periodic collection can free the cycle
    collection = PeriodicCollection(every_s=0.05).start()
    try:
        gone = closed_connection()
        assert gone() is not None  # a cycle: reference counting alone does not free it
        deadline = time.monotonic() + 5
        while gone() is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert gone() is None
    finally:
        collection.stop()
        gc.enable()


def test_without_it_the_cycle_stays():
    gc.disable()
    try:
        gone = closed_connection()
        time.sleep(0.2)
        assert gone() is not None
    finally:
        gc.enable()
        gc.collect()


def collection_threads():
    return [thread for thread in threading.enumerate() if thread.name == garbage.THREAD_NAME]


def test_the_served_application_runs_it_once():
    from virage_site import asgi

    assert asgi.application is not None
    (thread,) = collection_threads()
    assert thread.is_alive()
    assert garbage.collect_periodically().every_s == garbage.COLLECT_EVERY_S
    assert collection_threads() == [thread]


def resident_kib():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1])


@pytest.mark.skipif(garbage._trim is None, reason="a C library without malloc_trim")
def test_the_collection_hands_the_heaps_free_pages_back_to_the_system():
    # Frame-sized buffers, every other one freed: the free chunks lie between chunks in use,
    # where the C allocator keeps them.
    buffers = [bytes([n % 256]) * 64 * 1024 for n in range(800)]
    kept = buffers[::2]
    del buffers
    before = resident_kib()
    garbage.collect_once()
    released_mib = (before - resident_kib()) / 1024
    assert released_mib > 15
    assert len(kept) == 400
