"""What the room benchmark serves when asked to look inside a system: the system's application
(`VIRAGE_BENCH_ROOM_APP`, "module:attribute"), with

- `VIRAGE_BENCH_ROOM_PROFILE=<file prefix>`: cProfile of the event-loop thread and of the
  database thread, from SIGUSR1 to SIGUSR2 (the runner sends them around the measured window),
  written to `<prefix>.loop.prof` and `<prefix>.db.prof`;
- `VIRAGE_BENCH_ROOM_PROTOTYPE=<name>[,<name>…]`: changes to the room tried out before they are
  proposed, from `bench.room_prototypes`;
- `VIRAGE_BENCH_ROOM_WATCH=1`: loop lag and garbage-collector pauses in the log
  (`bench.room_watch`).
"""

import asyncio
import cProfile
import importlib
import os
import signal

target_path = os.environ["VIRAGE_BENCH_ROOM_APP"]
module_name, _, attribute = target_path.partition(":")
target = getattr(importlib.import_module(module_name), attribute)

if os.environ.get("VIRAGE_BENCH_ROOM_PROTOTYPE"):
    from bench import room_prototypes

    room_prototypes.apply(os.environ["VIRAGE_BENCH_ROOM_PROTOTYPE"].split(","))


class Profiles:
    def __init__(self, prefix):
        self.prefix = prefix
        self.loop_profile = cProfile.Profile()
        self.db_profile = cProfile.Profile()
        self.installed = False

    def install(self):
        if self.installed:
            return
        self.installed = True
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGUSR1, self.start)
        loop.add_signal_handler(signal.SIGUSR2, self.stop)

    def start(self):
        self.loop_profile.enable()
        self._in_database_thread(self.db_profile.enable)

    def stop(self):
        self.loop_profile.disable()
        self.loop_profile.dump_stats(f"{self.prefix}.loop.prof")

        def stop_db():
            self.db_profile.disable()
            self.db_profile.dump_stats(f"{self.prefix}.db.prof")

        self._in_database_thread(stop_db)

    @staticmethod
    def _in_database_thread(function):
        # Channels runs every database_sync_to_async call in one thread; a call that runs
        # there turns that thread's profiler on or off. Systems without Django have none.
        from django.apps import apps

        if not apps.ready:
            return
        from channels.db import database_sync_to_async

        asyncio.ensure_future(database_sync_to_async(function)())


profiles = None
if os.environ.get("VIRAGE_BENCH_ROOM_PROFILE"):
    profiles = Profiles(os.environ["VIRAGE_BENCH_ROOM_PROFILE"])
watch = None
if os.environ.get("VIRAGE_BENCH_ROOM_WATCH"):
    from bench.room_watch import Watch

    watch = Watch()


async def application(scope, receive, send):
    global watch
    if profiles is not None:
        profiles.install()
    if watch is not None:
        asyncio.get_running_loop().create_task(watch.run())
        watch = None  # one watcher
    return await target(scope, receive, send)
