"""room: chat deliveries/s, loss and latency of the live room, against a plain ASGI ceiling.

Three systems, each served by a daphne process of its own and driven by the same load client
(bench/room_client.py): `virage` (the real room, logged-in participants, every chat message
persisted before it is broadcast), `channels-chat` (the Channels tutorial's consumer,
group_send per message) and `asgi-ceiling` (a plain ASGI app writing to the sockets of a room
directly). First, one system after the other, the memory of 1,000 idle joined sockets; then
the load, in rounds that alternate between the systems (A B C, C B A, …) so that other work on
the machine falls on all of them alike: rooms of 50 members, 10 senders per room at
2 messages/s each, every message expected by all 50."""

import json
import signal
import time
from pathlib import Path

from . import report, server
from .room_database import Database
from .room_measure import MEMBERS, summarise, verdict
from .room_processes import Daphne, LoadClient, ask_all
from .room_results import write_results

SYSTEMS = {
    "asgi-ceiling": {"app": "bench.room_ceiling:application", "virage": False},
    "channels-chat": {"app": "bench.room_tutorial:application", "virage": False},
    "virage": {"app": "virage_site.asgi:application", "virage": True},
}
# `virage+NAME+NAME…` is Virage with the changes NAME… of bench/room_prototypes.py applied.
PROTOTYPE_SEPARATOR = "+"
SETTINGS = "bench.room_settings"
SETTLE_S = 2.0
QUIET_S = 2.0  # the room is drained when nothing arrived for this long…
DRAIN_MAX_S = 30.0  # …or after this long, whatever is still on its way is lost
WARM_SOCKETS = 3
# Before the next round, the server that just ran is idle: under this share of a core…
IDLE_CPU = 0.1
IDLE_MAX_S = 120.0  # …or after this long


def add_arguments(parser):
    parser.add_argument("--rooms", type=int, default=10, help="rooms under load (default 10)")
    parser.add_argument("--senders", type=int, default=10, help="senders per room (default 10)")
    parser.add_argument(
        "--rate", type=float, default=2.0, help="messages/s of each sender (default 2)"
    )
    parser.add_argument(
        "--duration", type=float, default=20, help="measured s per system, all rounds (20)"
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternations the duration is split in (2)"
    )
    parser.add_argument(
        "--warmup", type=float, default=2, help="unmeasured s of load before each round (2)"
    )
    parser.add_argument(
        "--idle", type=int, default=1000, help="idle sockets for the memory figure (1000)"
    )
    parser.add_argument("--clients", type=int, default=1, help="load-client processes per system")
    parser.add_argument(
        "--heartbeat", type=float, default=20, help="s between a Virage socket's pings (20)"
    )
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help="comma-separated systems (default the three); virage+NAME… serves virage with "
        "the changes NAME… of bench/room_prototypes.py",
    )
    parser.add_argument(
        "--pin", action="store_true", help="pin the servers to CPU 0 and the clients to CPU 1"
    )
    parser.add_argument(
        "--profile", metavar="DIR", help="cProfile each server over its measured windows, in DIR"
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="log each server's loop lag and garbage-collector pauses (bench/.work/room/)",
    )


def environment(extra=None):
    env = server.django_env()
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env.pop("REDIS_URL", None)
    env.update(extra or {})
    return env


def is_virage(name):
    return SYSTEMS[name.split(PROTOTYPE_SEPARATOR)[0]]["virage"]


def check_systems(names):
    from .room_prototypes import PROTOTYPES

    if len(set(names)) != len(names):
        raise SystemExit("bench: a system is named twice")
    for name in names:
        base, *prototypes = name.split(PROTOTYPE_SEPARATOR)
        if base not in SYSTEMS:
            raise SystemExit(f"bench: unknown system {base!r}; known: {list(SYSTEMS)}")
        if prototypes and base != "virage":
            raise SystemExit("bench: prototypes apply to virage only")
        unknown = set(prototypes) - set(PROTOTYPES)
        if unknown:
            raise SystemExit(f"bench: unknown prototypes {sorted(unknown)}: {list(PROTOTYPES)}")


class System:
    """One system under test: its daphne process, its load clients and its figures."""

    def __init__(self, name, rooms, args, work_dir):
        self.name = name
        base, *prototypes = name.split(PROTOTYPE_SEPARATOR)
        self.virage = SYSTEMS[base]["virage"]
        self.args = args
        extra = {}
        app = SYSTEMS[base]["app"]
        if args.profile or prototypes or args.watch:
            extra["VIRAGE_BENCH_ROOM_APP"] = app
            app = "bench.room_hooks:application"
            if args.profile:
                Path(args.profile).mkdir(parents=True, exist_ok=True)
                extra["VIRAGE_BENCH_ROOM_PROFILE"] = str(Path(args.profile).resolve() / name)
            if prototypes:
                extra["VIRAGE_BENCH_ROOM_PROTOTYPE"] = ",".join(prototypes)
            if args.watch:
                extra["VIRAGE_BENCH_ROOM_WATCH"] = "1"
        env = environment(extra)
        self.daphne = Daphne(app, env, work_dir / f"daphne-{name}.log", 0 if args.pin else None)
        server.log(
            f"{name}: daphne on 127.0.0.1:{self.daphne.port} (pid {self.daphne.process.pid})"
        )
        self.rooms = self._room_config(rooms)
        count = max(1, args.clients)
        # Whole rooms per client, so that a message and all its deliveries are counted in one
        # place.
        self.shares = [[r for r in self.rooms if r["index"] % count == n] for n in range(count)]
        self.clients = []
        for share in self.shares:
            config = {
                "host": "127.0.0.1",
                "port": self.daphne.port,
                "origin": f"http://127.0.0.1:{self.daphne.port}",
                "system": "virage" if self.virage else "chat",
                "rooms": share,
            }
            self.clients.append(LoadClient(config, env, cpu=1 if args.pin else None))
        self.server_cpu_s = [0.0, 0.0]  # user, system
        self.per_connection_kib = None

    def _room_config(self, rooms):
        """What a load client knows of the rooms: path, member cookies (Virage) and senders
        (participants, not the coach, who is member 0). The last room is for warming up."""
        config = []
        for index, room in enumerate(rooms):
            if self.virage:
                path, cookies = f"/ws/coaching/sessions/{room['session']}/", room["cookies"]
            else:
                path, cookies = f"/ws/room/{index}/", [None] * len(room["cookies"])
            senders = list(range(1, 1 + self.args.senders))
            config.append({"index": index, "path": path, "cookies": cookies, "senders": senders})
        config[-1]["cookies"] = config[-1]["cookies"][:WARM_SOCKETS]
        return config

    def ask(self, cmd, rooms):
        """`cmd` to the clients that hold some of `rooms`."""
        per_client = []
        for share in self.shares:
            found = [room["index"] for room in share if room["index"] in rooms]
            per_client.append({"rooms": found} if found else None)
        return ask_all(self.clients, cmd, per_client)

    def measure_memory(self):
        """RSS with the idle sockets minus RSS before them; leaves the load's rooms open."""
        idle_rooms = set(range(self.args.idle // MEMBERS))
        load_rooms = set(range(self.args.rooms))
        # A few sockets in and out first, so that code loaded on first use and the database
        # connection are not counted as memory of the idle sockets.
        warm = {self.rooms[-1]["index"]}
        self.ask("connect", warm)
        self.ask("close", warm)
        time.sleep(SETTLE_S)
        before = self.daphne.rss_kib()
        answers = self.ask("connect", idle_rooms)
        sockets = sum(answer["sockets"] for answer in answers)
        time.sleep(SETTLE_S)
        idle = self.daphne.rss_kib()
        self.per_connection_kib = (idle - before) / sockets
        joined_in = max(answer["seconds"] for answer in answers)
        server.log(
            f"{self.name}: {sockets} idle sockets joined in {joined_in} s; RSS {before} → "
            f"{idle} KiB, {self.per_connection_kib:.1f} KiB per socket"
        )
        self.ask("close", idle_rooms - load_rooms)
        if load_rooms - idle_rooms:
            self.ask("connect", load_rooms - idle_rooms)

    def run_round(self, seconds, seed):
        args = self.args
        start = time.monotonic() + 0.5
        load = {
            "start": start,
            "warmup": args.warmup,
            "duration": seconds,
            "rate": args.rate,
            "heartbeat": args.heartbeat if self.virage else 0,
            "quiet": QUIET_S,
            "drain_max": DRAIN_MAX_S,
        }
        for n, client in enumerate(self.clients):
            client.send("load", seed=seed + n, **load)
        window_start, window_end = start + args.warmup, start + args.warmup + seconds
        time.sleep(max(0.0, window_start - time.monotonic()))
        cpu_before = self.daphne.cpu_s()
        if args.profile:
            self.daphne.signal(signal.SIGUSR1)
        time.sleep(max(0.0, window_end - time.monotonic()))
        cpu_after = self.daphne.cpu_s()
        for kind in (0, 1):
            self.server_cpu_s[kind] += cpu_after[kind] - cpu_before[kind]
        if args.profile:
            self.daphne.signal(signal.SIGUSR2)
        return [client.answer() for client in self.clients]

    def wait_idle(self):
        """Waits until the server has worked off its backlog (below `IDLE_CPU` of a core over
        half a second), at most `IDLE_MAX_S`: a system that lost the race keeps working on
        what it queued long after its clients stopped, and would slow the next system's round.
        Returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < IDLE_MAX_S:
            before = sum(self.daphne.cpu_s())
            time.sleep(0.5)
            if (sum(self.daphne.cpu_s()) - before) / 0.5 < IDLE_CPU:
                break
        return round(time.monotonic() - started, 1)

    def summary(self):
        results = ask_all(self.clients, "report", [{}] * len(self.clients))
        server_cpu = [seconds / self.args.duration for seconds in self.server_cpu_s]
        return summarise(self.name, results, self.per_connection_kib, server_cpu, self.args)

    def stop(self):
        for client in self.clients:
            client.quit()
        self.daphne.stop()


def check_arguments(args):
    if args.rooms < 1 or args.rounds < 1 or args.duration <= 0 or args.rate <= 0:
        raise SystemExit("bench: --rooms, --rounds, --duration and --rate must be positive")
    if not 1 <= args.senders < MEMBERS:
        raise SystemExit(f"bench: --senders must be between 1 and {MEMBERS - 1}")
    if args.idle < MEMBERS:
        raise SystemExit(f"bench: --idle must be at least one room ({MEMBERS})")


def main(args):
    check_arguments(args)
    names = [name.strip() for name in args.systems.split(",") if name.strip()]
    check_systems(names)
    load_before = report.load_average()
    work_dir = server.WORK_DIR / "room"
    work_dir.mkdir(parents=True, exist_ok=True)
    for old_log in work_dir.glob("daphne-*.log"):
        old_log.unlink()
    per_system = max(args.rooms, args.idle // MEMBERS) + 1  # and one room to warm up
    systems = []
    with Database(environment()) as database:
        # Virage systems get rooms of their own: two processes serving one room would each
        # number events the other's sockets never hear.
        virage_count = sum(1 for name in names if is_virage(name))
        built = database.build(per_system * max(1, virage_count))
        plain = built[:per_system]
        try:
            for name in names:
                rooms = plain
                if is_virage(name):
                    rooms, built = built[:per_system], built[per_system:]
                system = System(name, rooms, args, work_dir)
                systems.append(system)
                system.measure_memory()
            seconds = args.duration / args.rounds
            for number in range(args.rounds):
                # A B C, then C B A: no system always goes first.
                order = systems if number % 2 == 0 else list(reversed(systems))
                for system in order:
                    drained = system.run_round(seconds, seed=2026 + 100 * number)
                    idle_after = system.wait_idle()
                    server.log(
                        f"{system.name}: round {number + 1}/{args.rounds} done, drained in "
                        f"{max(answer['drained_s'] for answer in drained)} s, server idle "
                        f"{idle_after} s later"
                    )
            rows = [system.summary() for system in systems]
        finally:
            for system in systems:
                system.stop()
    for row in rows:
        print(json.dumps(row["line"]), flush=True)
        server.log(f"{row['line']['system']}: {json.dumps(row['detail'])}")
    if sorted(names) != sorted(SYSTEMS) or args.profile or args.watch:
        server.log("not a plain run of the three systems: RESULTS.md left unchanged")
        return 0
    outcome = verdict(rows)
    write_results(rows, outcome, args, load_before)
    server.log(f"goal: {outcome['text']}; wrote {report.RESULTS}")
    return 0
