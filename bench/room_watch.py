"""What stalls a server's event loop, logged every few seconds to the server's log: how late a
5 ms timer fires (loop lag) and how long the garbage collector pauses the process. Served by
bench/room_hooks.py when `VIRAGE_BENCH_ROOM_WATCH` is set (`bench/run.py room --watch`)."""

import asyncio
import gc
import sys
import time

TICK_S = 0.005
REPORT_EVERY_S = 5


class Watch:
    def __init__(self):
        self.collection_started = None
        self.reset()
        gc.callbacks.append(self.on_collection)

    def reset(self):
        self.lags = []
        self.pauses = {0: [], 1: [], 2: []}
        self.since = time.perf_counter()

    def on_collection(self, phase, info):
        if phase == "start":
            self.collection_started = time.perf_counter()
        elif self.collection_started is not None:
            pause = time.perf_counter() - self.collection_started
            self.pauses[info["generation"]].append(pause)

    async def run(self):
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK_S)
            self.lags.append(time.perf_counter() - before - TICK_S)
            if time.perf_counter() - self.since >= REPORT_EVERY_S:
                self.report()
                self.reset()

    def report(self):
        lags = sorted(self.lags)

        def at(fraction):
            return 1000 * lags[min(len(lags) - 1, int(fraction * len(lags)))]

        collections = ", ".join(
            f"gen{generation} ×{len(pauses)} max {1000 * max(pauses, default=0):.1f} ms"
            for generation, pauses in self.pauses.items()
        )
        print(
            f"[watch] loop lag p50 {at(0.5):.1f} p99 {at(0.99):.1f} max {at(1):.1f} ms; "
            f"collections: {collections}",
            file=sys.stderr,
            flush=True,
        )
