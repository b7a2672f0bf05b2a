"""soak: the live room's memory over a long session of many participants, on PostgreSQL and Redis.

Several daphne processes (`--servers`, 2 by default) serve `--rooms` rooms through a Redis of
the run's own; `--participants` people in all (each room's coach among them) are spread over
the servers, and for `--minutes` they chat, react, raise and lower their hands, ping, and now
and then reconnect to another server and resync (bench/room_soak_client.py). Every
`--sample-every` seconds the runner reads each server's RSS; the verdict is whether it still
grows after warm-up (bench/room_soak_memory.py). A full run (at least 10 minutes and 500
participants) writes its section of bench/RESULTS.md; a shorter one prints it."""

import json
import math
import select
import shutil
import socket
import subprocess
import time

from . import report, room_soak_collections, server
from .room_database import Database
from .room_measure import MEMBERS
from .room_processes import Daphne, LoadClient
from .room_soak_memory import analyse
from .room_soak_results import section

SETTINGS = "bench.room_settings"
DATABASE = "virage_bench_soak"  # not the room benchmark's: the two may run side by side
APP = "virage_site.asgi:application"
FULL_MINUTES = 10
FULL_PARTICIPANTS = 500
REDIS_START_S = 10
# Mean seconds between one participant's actions of each kind.
MEANS = {"chat": 30.0, "react": 20.0, "hand": 60.0, "reconnect": 180.0}
# How long after the soak's end its answer may take (its last reconnections).
ANSWER_GRACE_S = 120


def add_arguments(parser):
    parser.add_argument("--minutes", type=float, default=10, help="length of the soak (10)")
    parser.add_argument(
        "--participants", type=int, default=500, help="people in all, coaches included (500)"
    )
    parser.add_argument("--rooms", type=int, default=20, help="rooms they are spread over (20)")
    parser.add_argument("--servers", type=int, default=2, help="daphne processes (2)")
    parser.add_argument(
        "--sample-every", type=float, default=10, help="seconds between RSS samples (10)"
    )


def check_arguments(args):
    if args.minutes <= 0 or args.rooms < 1 or args.servers < 1 or args.sample_every <= 0:
        raise SystemExit("bench: --minutes, --rooms, --servers and --sample-every: positive")
    per_room = math.ceil(args.participants / args.rooms)
    if not 2 <= per_room <= MEMBERS:
        raise SystemExit(f"bench: 2 to {MEMBERS} participants per room, not {per_room}")
    return per_room


class RedisServer:
    """A Redis of the run's own, on a free port, keeping nothing on disk."""

    def __enter__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("bench: the soak needs redis-server on the PATH")
        self.port = server.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + REDIS_START_S
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.process.kill()
        raise SystemExit(f"bench: redis-server did not listen within {REDIS_START_S} s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)
        return False


def environment(redis_url):
    env = server.django_env()
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env.pop("REDIS_URL", None)
    env["VIRAGE_BENCH_ROOM_REDIS_URL"] = redis_url
    env["VIRAGE_BENCH_ROOM_DB"] = DATABASE
    return env


def sample(daphnes):
    return [daphne.rss_kib() for daphne in daphnes]


def soak(client, daphnes, seconds, every, seed):
    """Runs the soak, reading the servers' RSS every `every` seconds; returns the client's
    totals and the samples [(seconds since the start, [KiB per server])], the first taken
    just before the load."""
    samples = [(0.0, sample(daphnes))]
    client.send("soak", seconds=seconds, means=MEANS, seed=seed)
    started = time.monotonic()
    next_at = started + every
    stream = client.process.stdout
    while True:
        wait = max(0.0, next_at - time.monotonic())
        if time.monotonic() - started > seconds + ANSWER_GRACE_S:
            raise SystemExit("bench: the load client did not finish the soak")
        ready, _, _ = select.select([stream], [], [], wait)
        if ready:
            answer = client.answer()
            samples.append((time.monotonic() - started, sample(daphnes)))
            return answer, samples
        samples.append((time.monotonic() - started, sample(daphnes)))
        elapsed = samples[-1][0]
        if len(samples) % max(1, round(60 / every)) == 0:
            rss = ", ".join(f"{kib / 1024:.0f}" for kib in samples[-1][1])
            server.log(f"soak: {elapsed / 60:.1f} min, RSS {rss} MiB")
        next_at += every


def main(args):
    per_room = check_arguments(args)
    load_before = report.load_average()
    work_dir = server.WORK_DIR / "soak"
    work_dir.mkdir(parents=True, exist_ok=True)
    seconds = args.minutes * 60
    daphnes, client = [], None
    with RedisServer() as redis, Database(environment(redis.url), DATABASE) as database:
        env = environment(redis.url)
        built = database.build(args.rooms)
        try:
            for number in range(args.servers):
                daphnes.append(Daphne(APP, env, work_dir / f"daphne-{number}.log"))
            ports = [daphne.port for daphne in daphnes]
            server.log(f"soak: daphne on ports {ports}, Redis on {redis.port}")
            rooms = [
                {
                    "index": index,
                    "path": f"/ws/coaching/sessions/{room['session']}/",
                    "cookies": room["cookies"][:per_room],
                }
                for index, room in enumerate(built)
            ]
            config = {
                "host": "127.0.0.1",
                "ports": ports,
                "origin": f"http://127.0.0.1:{ports[0]}",
                "rooms": rooms,
            }
            client = LoadClient(config, env, module="bench.room_soak_client")
            client.send("connect")
            joined = client.answer()
            server.log(f"soak: {joined['sockets']} sockets joined in {joined['seconds']} s")
            totals, samples = soak(client, daphnes, seconds, args.sample_every, seed=2026)
        finally:
            if client is not None:
                client.quit()
            for daphne in daphnes:
                daphne.stop()
    outcome = analyse(samples, seconds)
    collections = room_soak_collections.summary([daphne.log_path for daphne in daphnes])
    line = {
        "soak": outcome["text"],
        "servers": outcome["servers"],
        "collections": collections,
        "totals": totals,
    }
    print(json.dumps(line), flush=True)
    text = section(
        args, per_room, MEANS, samples, outcome, totals, joined, load_before, collections
    )
    if args.minutes >= FULL_MINUTES and args.participants >= FULL_PARTICIPANTS:
        report.write_section("soak", text)
        server.log(f"goal: {outcome['text']}; wrote {report.RESULTS}")
    else:
        server.log(f"goal: {outcome['text']}; a short run: RESULTS.md left unchanged")
        server.log(f"the section it would write:\n{text}")
    return 0
