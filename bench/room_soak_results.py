"""The soak section of bench/RESULTS.md: each server's RSS over time, as ratios to its RSS
after warm-up, and the totals of what the participants did."""

import sys

from . import report, room_soak_collections
from .room_results import postgres_version
from .room_soak_memory import GOAL_HOURLY_SHARE, GOAL_RATIO, WARMUP_SHARE

ROWS = 12  # the memory table shows about this many moments of the run


def memory_table(samples, outcome):
    """A row every so often: the time, and each server's RSS (MiB) and its ratio to the RSS
    after warm-up."""
    step = max(1, len(samples) // ROWS)
    shown = samples[::step]
    if shown[-1] is not samples[-1]:
        shown.append(samples[-1])
    servers = outcome["servers"]
    header = ["minute"] + [
        column for n in range(len(servers)) for column in (f"server {n + 1} MiB", "ratio")
    ]
    rows = []
    for seconds, rss in shown:
        cells = [f"{seconds / 60:.1f}" + (" (warm-up)" if seconds < outcome["warm_at_s"] else "")]
        for kib, figures in zip(rss, servers, strict=True):
            cells += [f"{kib / 1024:.0f}", f"{kib / figures['warmed_kib']:.3f}"]
        rows.append(cells)
    return report.table(header, rows)


def section(args, per_room, means, samples, outcome, totals, joined, load_before, collections):
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    servers = outcome["servers"]
    summary = report.table(
        [
            "server",
            "before the load",
            "after warm-up",
            "end",
            "end / warm-up",
            "peak / warm-up",
            "slope after warm-up",
            "slope over an hour",
        ],
        [
            [
                n + 1,
                f"{figures['before_kib'] / 1024:.0f} MiB",
                f"{figures['warmed_kib'] / 1024:.0f} MiB",
                f"{figures['end_kib'] / 1024:.0f} MiB",
                f"{figures['end_ratio']:.3f}",
                f"{figures['peak_ratio']:.3f}",
                f"{figures['slope_mib_per_min']:+.2f} MiB/min",
                f"{figures['hourly_share']:+.1%}",
            ]
            for n, figures in enumerate(servers)
        ],
    )
    errors = {key: value for key, value in totals.items() if key.startswith("error ")} or "none"
    verdict = "met" if outcome["met"] else "not met"
    return f"""
## soak: the live room's memory over {args.minutes:g} min of {args.participants} participants

{summary}

**Goal: each server's RSS at the end ≤ {GOAL_RATIO}× its RSS after warm-up, and its slope after
warm-up adding at most {GOAL_HOURLY_SHARE:.0%} of it in an hour — {verdict}**
({outcome["text"]}).

{memory_table(samples, outcome)}

- Command: `{command}` (from the repository root)
- Date: {report.now()}
- Machine: {report.machine()}; PostgreSQL {postgres_version()}
- Load: 1-minute load average {load_before} before the run, {report.load_average()} after it.
  The servers, the load client, PostgreSQL and Redis share the machine's cores.
- Scenario: {args.servers} daphne processes (`virage_site.asgi:application`,
  `bench.room_settings`: DEBUG off, PostgreSQL, the Redis channel layer on a `redis-server` of
  the run's own) serve {args.rooms} rooms of {per_room} people (a cohort's coach and
  participants, signed in, in a database of the run's own, `virage_bench_soak`); member n of
  room r starts on server (r + n) mod {args.servers}. {joined["sockets"]} sockets joined in
  {joined["seconds"]} s, each resyncing from 0 as the page does. Then for {args.minutes:g} min
  each participant (not the coaches) chats, reacts, raises or lowers their hand and
  reconnects at random moments (exponentially spaced, means of
  {", ".join(f"{kind} {mean:g} s" for kind, mean in means.items())}), and pings
  every 20 s; a reconnection closes the socket, opens one on the next server and resyncs from
  the last number it had.
- Done: {totals.get("chat_sent", 0):,} chat messages, {totals.get("reactions_sent", 0):,}
  reactions, {totals.get("hands_sent", 0):,} hands raised or lowered,
  {totals.get("reconnections", 0):,} reconnections ({totals.get("dropped", 0)} of them after
  the server closed a socket; {totals.get("failed_reconnections", 0)} attempts that failed);
  received {totals.get("chat_received", 0):,} chat messages and
  {totals.get("reaction_received", 0):,} reactions live, {totals.get("replayed_events", 0):,}
  events in replays; error frames: {errors}.
- Memory: each server's RSS (`/proc/<pid>/status` VmRSS) every {args.sample_every:g} s, the
  first just before the load. The first {WARMUP_SHARE:.0%} of the run is the warm-up; "after
  warm-up" is the first sample after it. end / warm-up and peak / warm-up are ratios to it;
  the slope is a least-squares line through the samples after warm-up, and "slope over an
  hour" what it would add in an hour, as a share of the RSS after warm-up.
- Garbage collections (`virage_site.garbage`, every minute, from the servers' logs):
  {room_soak_collections.describe(collections)}.
"""
