"""The room section of bench/RESULTS.md: the figures of a full run, as ratios to the ceiling."""

import sys

import psycopg

from . import report
from .room_database import ADMIN
from .room_measure import CEILING, GOAL_P95, GOAL_THROUGHPUT, MEMBERS


def postgres_version():
    try:
        with psycopg.connect(**ADMIN) as connection:
            return connection.execute("SHOW server_version").fetchone()[0].split()[0]
    except psycopg.Error:
        return "unknown"


def shares(values):
    return " + ".join(f"{value:.2f}" for value in values)


def ratio(value, base):
    return f"{value / base:.2f}×" if value is not None and base else "—"


def write_results(rows, outcome, args, load_before):
    lines = {row["line"]["system"]: row["line"] for row in rows}
    details = {row["line"]["system"]: row["detail"] for row in rows}
    ceiling = lines[CEILING]
    table = report.table(
        [
            "system",
            "deliveries/s",
            "loss",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "throughput ratio",
            "p95 ratio",
            "KiB per idle socket",
            "server CPU",
        ],
        [
            [
                f"`{name}`",
                f"{line['deliveries_per_s']:,.0f}",
                f"{100 * line['loss']:.2f} %",
                line["p50_ms"],
                line["p95_ms"],
                line["p99_ms"],
                ratio(line["deliveries_per_s"], ceiling["deliveries_per_s"]),
                ratio(line["p95_ms"], ceiling["p95_ms"]),
                line["idle_kib_per_connection"],
                f"{100 * details[name]['server_cpu']:.0f} %",
            ]
            for name, line in lines.items()
        ],
    )
    offered = ceiling["offered_per_s"]
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    virage = details["virage"]
    verdict = "met" if outcome["met"] else "not met"
    pinning = "server on CPU 0, clients on CPU 1" if args.pin else "none pinned"
    p95 = "—" if outcome["p95"] is None else f"{outcome['p95']:.2f}×"
    report.write_section(
        "room",
        f"""
## room: the live room's chat fan-out against a plain ASGI ceiling

{table}

**Goal: `virage` ≥ {GOAL_THROUGHPUT}× the ceiling's deliveries/s, p95 ≤ {GOAL_P95}× the
ceiling's, no loss — {verdict}** (throughput {outcome["throughput"]:.2f}×, p95 {p95},
loss {100 * lines["virage"]["loss"]:.2f} %).

- Command: `{command}` (from the repository root)
- Date: {report.now()}
- Machine: {report.machine()}; PostgreSQL {postgres_version()}
- Load: 1-minute load average {load_before} before the run, {report.load_average()} after it.
  The server, the load client and PostgreSQL share the machine's cores ({pinning}).
  Other work on the machine slows every system; the ratios to the ceiling are the figures to
  compare between runs.
- Scenario: {args.rooms} rooms × {MEMBERS} members, all connected and joined before the
  load; {args.senders} senders per room at {args.rate:g} messages/s each, so {offered:,.0f}
  deliveries/s offered. Each system is measured for {args.duration:g} s in all, in
  {args.rounds} rounds that alternate between the systems (A B C, then C B A, …), each round
  {args.warmup:g} s of load unmeasured, then {args.duration / args.rounds:g} s measured, then
  the drain; the next round starts once the server that ran has worked off its backlog (its
  CPU below a tenth of a core, at most 2 minutes), so that a system's backlog does not slow
  the next one.
- A delivery is one chat message received by one member; every message is expected by all
  {MEMBERS} members of its room, its sender included (the echo tells a client the room has
  its message). Each message's text carries its id and its send time on the system-wide
  monotonic clock.
- deliveries/s: deliveries received during the measured windows, divided by their length (a
  backlog from the unmeasured seconds can push it above the offered rate). loss: deliveries of
  the messages sent during the windows that never arrived (after each round the client waits
  until the room has been quiet for 2 s, at most 30 s) over those expected. p50/p95/p99:
  delivery latency (send to receipt) of the windows' messages, as they arrived.
- Memory: RSS of the daphne process with {args.idle:,} idle joined sockets
  ({args.idle // MEMBERS} rooms of {MEMBERS}) minus its RSS before them (after a few
  sockets of warm-up), divided by {args.idle:,}; measured before the load, one system after
  the other.
- Each system runs in a daphne process of its own (`bench.room_settings`: the benchmark
  settings on PostgreSQL, the in-memory channel layer, DEBUG off); the same load client drives
  all three. Server CPU: the daphne process's CPU time (all threads, not PostgreSQL's) over the
  windows, in share of one core.
- `virage`: `virage_site.asgi:application`, the real room (`coaching/room/`). Per room a cohort
  of 7 companies × 7 people and its coach, a live session now, and a signed-in session (cookie)
  per person, in a database of its own (`virage_bench_room`, created, migrated and dropped by
  the run). The coach connects first and opens the room; every socket waits for `welcome`,
  sends `sync` from 0 and reads its replay, as the page does, and sends `ping` every
  {args.heartbeat:g} s. Each message is a `chat` frame: validated, rate-limited, sanitised,
  persisted with its number, then broadcast by the process's hub. Messages sent
  {virage["messages_sent"]:,}, deliveries {virage["deliveries_received"]:,} of
  {virage["deliveries_expected"]:,}, event numbers never received {virage["gaps"]}, error
  frames {virage["errors"] or "none"}.
- `channels-chat`: `bench/room_tutorial.py`, the Channels tutorial's chat consumer (async):
  `group_add` on connect, `group_send` per message, a handler per delivery that sends; the
  tutorial's middleware (origin check, sessions and users), the in-memory channel layer with
  its default capacity of 100 messages per channel (a full channel drops the message: that is
  its loss).
- `asgi-ceiling`: `bench/room_ceiling.py`, a plain ASGI app that keeps each room's sockets in
  a set and writes each message it receives to every socket of the room.
- Client: `bench/room_client.py`, {args.clients} asyncio process(es) per system holding whole
  rooms, with a WebSocket client on asyncio's Protocol (`bench/room_socket.py`, standard
  library only). Its CPU over the windows, in share of a core: ceiling
  {shares(details[CEILING]["client_cpu"])}, channels-chat
  {shares(details["channels-chat"]["client_cpu"])}, virage {shares(virage["client_cpu"])}; the
  ceiling's delivering the offered rate shows that the client keeps up.
- Looking inside: `--profile DIR` (cProfile of each server's event-loop and database threads
  over the windows), `--watch` (loop lag and garbage-collector pauses in each server's log),
  and systems `virage+NAME…` that serve Virage with the changes NAME… of
  `bench/room_prototypes.py` applied, measured beside the others.
""",
    )
