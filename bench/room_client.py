"""The room benchmark's load client: one process holding the sockets of whole rooms, driven by
the runner over stdin/stdout (one JSON object a line each way; progress on stderr).

Commands: `connect` (open every member's socket of some rooms and wait until each has joined),
`close` (close the sockets of some rooms), `load` (a round: senders post chat messages on a
schedule, every socket counts what it receives, then the client waits for the rooms to fall
quiet), `report` (the totals of all rounds), `quit`.

A chat message's text is `<message id> <send time>`, the time on the system-wide monotonic
clock, so any process of the run can measure how late a delivery is. A message is expected once
by every member of its room, the sender included (its own echo is how a real client knows the
room has its message)."""

import asyncio
import heapq
import json
import random
import resource
import sys
import time
from collections import Counter, defaultdict

from bench.room_socket import connect

clock = time.monotonic
HANDSHAKES_AT_ONCE = 25
CONNECT_TIMEOUT_S = 60


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Tally:
    """What the sockets of this process received, and what its senders sent."""

    def __init__(self):
        self.sent = {}  # message id -> (send time, room size, measured)
        self.received = Counter()  # message id -> deliveries
        self.latencies = []  # seconds, deliveries of measured messages
        self.window = (float("inf"), float("inf"))
        self.window_deliveries = 0
        self.last_delivery = 0.0
        self.errors = Counter()
        self.unknown = 0

    def delivered(self, message_id, received_at):
        entry = self.sent.get(message_id)
        if entry is None:
            self.unknown += 1
            return
        self.received[message_id] += 1
        self.last_delivery = received_at
        if entry[2]:
            self.latencies.append(received_at - entry[0])
        if self.window[0] <= received_at < self.window[1]:
            self.window_deliveries += 1


class Member:
    """One person's socket in one room, speaking the system's protocol: the Virage room
    (welcome, then a `sync` from 0 as the page sends, then live events) or a plain chat."""

    def __init__(self, room, index, cookie, tally, virage):
        self.room = room
        self.index = index
        self.cookie = cookie
        self.tally = tally
        self.virage = virage
        self.socket = None
        self.ready = asyncio.get_running_loop().create_future()
        self.seq = None  # Virage: the highest event number this socket has
        self.missing = set()  # Virage: numbers below it that it has not received
        self.early = set()  # Virage: numbers received before the replay completed

    def on_text(self, socket, text, received_at):
        frame = json.loads(text)
        kind = frame.get("type")
        if kind == "chat":
            message_id, _, _sent = frame.get("text", "").rpartition(" ")
            self.tally.delivered(message_id, received_at)
        elif kind == "welcome":
            self.seq = None
            socket.send_text(json.dumps({"type": "sync", "since": 0}))
        elif kind == "replay":
            if frame["complete"]:
                self.replayed(frame["last_seq"])
            return
        elif kind == "error":
            self.tally.errors[frame.get("code")] += 1
        seq = frame.get("seq")
        if not isinstance(seq, int):
            return
        if self.seq is None:
            self.early.add(seq)  # live while the replay was on its way
            return
        if seq > self.seq:
            # Events may arrive out of order (the page buffers them): a number is missing
            # only if it never comes.
            self.missing.update(range(self.seq + 1, seq))
            self.seq = seq
        else:
            self.missing.discard(seq)

    def replayed(self, last_seq):
        """The replay brought the socket to `last_seq`; events that came live meanwhile may
        go beyond it."""
        self.seq = max([last_seq, *self.early])
        self.missing = {n for n in range(last_seq + 1, self.seq) if n not in self.early}
        self.early.clear()
        if not self.ready.done():
            self.ready.set_result(True)

    async def open(self, host, port, origin, gate):
        headers = [("Origin", origin)]
        if self.cookie:
            headers.append(("Cookie", f"sessionid={self.cookie}"))
        async with gate:
            self.socket = await connect(
                host, port, self.room["path"], headers, self.on_text, clock, CONNECT_TIMEOUT_S
            )
            if not self.virage:
                self.ready.set_result(True)
            closed = asyncio.ensure_future(asyncio.shield(self.socket.closed))
            done, _pending = await asyncio.wait(
                {self.ready, closed},
                timeout=CONNECT_TIMEOUT_S,
                return_when=asyncio.FIRST_COMPLETED,
            )
            closed.cancel()
            if self.ready not in done:
                code = self.socket.close_code
                raise RuntimeError(f"{self.room['path']} member {self.index}: not joined ({code})")


class Client:
    def __init__(self, config):
        self.host = config["host"]
        self.port = config["port"]
        self.origin = config["origin"]
        self.virage = config["system"] == "virage"
        self.rooms = {room["index"]: room for room in config["rooms"]}
        self.members = defaultdict(list)  # room index -> members
        self.tally = Tally()
        self.counters = Counter()  # (room, member) -> messages sent, for unique ids
        self.lag = []  # how late each send was against its schedule, seconds
        self.cpu_s = 0.0  # this process's CPU time over the measured windows
        self.measured_s = 0.0
        self.drained = []

    async def connect(self, rooms):
        gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        started = clock()
        # The first member of a Virage room is its coach, whose arrival opens the room: the
        # coaches first, so that everyone else walks into an open room.
        for wave in ("first", "others"):
            openings = []
            for index in rooms:
                room = self.rooms[index]
                cookies = room["cookies"][:1] if wave == "first" else room["cookies"][1:]
                offset = 0 if wave == "first" else 1
                for number, cookie in enumerate(cookies, start=offset):
                    member = Member(room, number, cookie, self.tally, self.virage)
                    self.members[index].append(member)
                    openings.append(member.open(self.host, self.port, self.origin, gate))
            await asyncio.gather(*openings)
        count = sum(len(self.members[index]) for index in rooms)
        return {"sockets": count, "seconds": round(clock() - started, 2)}

    async def close(self, rooms):
        sockets = [member.socket for index in rooms for member in self.members.pop(index, [])]
        for socket in sockets:
            socket.close()
        if sockets:
            await asyncio.wait([socket.closed for socket in sockets], timeout=30)
        return {"closed": len(sockets)}

    def schedule(self, start, seconds, rate, heartbeat, seed):
        """(time, kind, member) of every send: each sender at `rate` a second from a random
        phase, and (Virage) each socket's heartbeat every `heartbeat` seconds, as the page
        sends it."""
        rng = random.Random(seed)
        events = []
        end = start + seconds
        for index, members in self.members.items():
            for number in self.rooms[index]["senders"]:
                at = start + rng.uniform(0, 1 / rate)
                while at < end:
                    events.append((at, "chat", index, number))
                    at += 1 / rate
            if self.virage and heartbeat:
                for member in members:
                    at = start + rng.uniform(0, heartbeat)
                    while at < end:
                        events.append((at, "ping", index, member.index))
                        at += heartbeat
        heapq.heapify(events)
        return events

    async def load(self, start, warmup, duration, rate, heartbeat, quiet, drain_max, seed):
        """One round: `warmup` s of load, then `duration` s measured, then the drain. Rounds
        of a run add up; `report` gives their totals."""
        tally = self.tally
        measure_from = start + warmup
        measure_to = measure_from + duration
        tally.window = (measure_from, measure_to)
        self.measured_s += duration
        events = self.schedule(start, warmup + duration, rate, heartbeat, seed)
        by_number = {
            index: {member.index: member for member in members}
            for index, members in self.members.items()
        }
        cpu_at_window = None
        ping = json.dumps({"type": "ping"})
        while events:
            at, kind, index, number = heapq.heappop(events)
            now = clock()
            if at > now:
                await asyncio.sleep(at - now)
                now = clock()
            if cpu_at_window is None and now >= measure_from:
                cpu_at_window = cpu_seconds()
            self.lag.append(now - at)
            member = by_number[index][number]
            if kind == "ping":
                member.socket.send_text(ping)
                continue
            self.counters[(index, number)] += 1
            message_id = f"r{index}m{number}n{self.counters[(index, number)]}"
            sent_at = clock()
            measured = measure_from <= sent_at < measure_to
            tally.sent[message_id] = (sent_at, len(by_number[index]), measured)
            text = f"{message_id} {sent_at:.6f}"
            member.socket.send_text(json.dumps({"type": "chat", "text": text}))
        if cpu_at_window is not None:
            self.cpu_s += cpu_seconds() - cpu_at_window
        # Wait for what is still on its way: until nothing arrived for `quiet` seconds.
        drain_started = clock()
        while clock() - drain_started < drain_max:
            await asyncio.sleep(0.1)
            if clock() - max(tally.last_delivery, drain_started) >= quiet:
                break
        drained = clock() - drain_started
        self.drained.append(round(drained, 2))
        return {"drained_s": round(drained, 2)}

    async def report(self):
        tally = self.tally
        members = [member for members in self.members.values() for member in members]
        measured = {key: entry for key, entry in tally.sent.items() if entry[2]}
        expected = sum(entry[1] for entry in measured.values())
        delivered = sum(min(tally.received[key], entry[1]) for key, entry in measured.items())
        duplicates = sum(
            max(0, tally.received[key] - entry[1]) for key, entry in tally.sent.items()
        )
        ordered = sorted(self.lag)
        return {
            "sent": len(measured),
            "sent_total": len(tally.sent),
            "expected": expected,
            "delivered": delivered,
            "duplicates": duplicates,
            "window_deliveries": tally.window_deliveries,
            "window_s": self.measured_s,
            "latencies": [round(value, 6) for value in tally.latencies],
            "errors": dict(tally.errors),
            "unknown": tally.unknown,
            "gaps": sum(len(member.missing) for member in members),
            "cpu_s": round(self.cpu_s, 3),
            "send_lag_p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 1)
            if ordered
            else None,
            "drained_s": self.drained,
        }


async def serve_commands(make_client, quit_client):
    """Answers the runner's commands on stdin, a JSON line each, until `quit`: the first line is
    the client's configuration (`make_client(config)`), then `{"cmd": name, ...}` calls that
    method of the client and writes its JSON answer on stdout; `quit` runs `quit_client`."""
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    client = make_client(json.loads(await reader.readline()))
    while True:
        line = await reader.readline()
        if not line:
            return
        command = json.loads(line)
        name = command.pop("cmd")
        if name == "quit":
            await quit_client(client)
            return
        try:
            answer = await getattr(client, name)(**command)
        except Exception as error:  # the runner reports it and stops the run
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


async def serve():
    await serve_commands(Client, lambda client: client.close(list(client.members)))


if __name__ == "__main__":
    asyncio.run(serve())
