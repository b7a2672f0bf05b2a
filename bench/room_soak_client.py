"""The soak's load client: one process holding every participant's socket, driven by the runner
over stdin/stdout (one JSON object a line each way; progress on stderr).

Commands: `connect` (each room's coach, then its participants, each on its server, until each
has its replay), `soak` (for `seconds`, every participant chats, reacts, raises and lowers
their hand and pings, each at random moments around its own mean interval, and now and then
closes their socket and reconnects to the next server, resyncing from the last number they
had; answers with the totals), `quit`."""

import asyncio
import json
import random
import time
from collections import Counter

from bench.room_client import serve_commands
from bench.room_socket import HandshakeError, connect

clock = time.monotonic
EMOJIS = ["👍", "👏", "❤️", "😂", "😮", "🎉", "🤔"]
PING_EVERY_S = 20  # as the page pings
HANDSHAKES_AT_ONCE = 25
CONNECT_TIMEOUT_S = 60


class Participant:
    """One person's socket, on one of the servers at a time. It keeps the last event number it
    has, and resyncs from it after each (re)connection, as the page does."""

    def __init__(self, client, room, number, cookie):
        self.client = client
        self.room = room
        self.number = number
        self.cookie = cookie
        self.server = (room["index"] + number) % len(client.ports)
        self.socket = None
        self.ready = None
        self.last_seq = 0
        self.hand = False
        self.said = 0

    def on_text(self, socket, text, _received_at):
        frame = json.loads(text)
        kind = frame.get("type")
        counts = self.client.counts
        if kind == "welcome":
            socket.send_text(json.dumps({"type": "sync", "since": self.last_seq}))
        elif kind == "replay":
            counts["replayed_events"] += len(frame["events"])
            if frame["complete"]:
                self.last_seq = max(self.last_seq, frame["last_seq"])
                if not self.ready.done():
                    self.ready.set_result(True)
        elif kind == "error":
            counts[f"error {frame.get('code')}"] += 1
        elif kind == "chat":
            counts["chat_received"] += 1
        elif kind == "reaction":
            counts["reaction_received"] += 1
        seq = frame.get("seq")
        if isinstance(seq, int) and self.ready is not None and self.ready.done():
            self.last_seq = max(self.last_seq, seq)

    async def open(self, gate):
        client = self.client
        port = client.ports[self.server]
        headers = [("Origin", client.origin), ("Cookie", f"sessionid={self.cookie}")]
        self.ready = asyncio.get_running_loop().create_future()
        async with gate:
            self.socket = await connect(
                client.host,
                port,
                self.room["path"],
                headers,
                self.on_text,
                clock,
                CONNECT_TIMEOUT_S,
            )
            closed = asyncio.ensure_future(asyncio.shield(self.socket.closed))
            done, _pending = await asyncio.wait(
                {self.ready, closed}, timeout=CONNECT_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
            )
            closed.cancel()
            if self.ready not in done:
                code = self.socket.close_code
                raise RuntimeError(f"{self.room['path']} member {self.number}: not joined ({code})")

    async def reconnect(self, gate):
        """Closes the socket, then opens one on the next server and resyncs."""
        self.socket.close()
        await asyncio.wait([self.socket.closed], timeout=CONNECT_TIMEOUT_S)
        self.server = (self.server + 1) % len(self.client.ports)
        await self.open(gate)
        self.client.counts["reconnections"] += 1

    def send(self, **frame):
        self.socket.send_text(json.dumps(frame))

    async def live(self, until, means, rng, gate):
        """Acts until `until`: each kind of action at random moments, exponentially spaced
        around its mean (seconds)."""
        now = clock()
        upcoming = {kind: now + rng.expovariate(1 / mean) for kind, mean in means.items()}
        upcoming["ping"] = now + rng.uniform(0, PING_EVERY_S)
        counts = self.client.counts
        while True:
            kind, at = min(upcoming.items(), key=lambda item: item[1])
            if at >= until:
                return
            await asyncio.sleep(max(0.0, at - clock()))
            upcoming[kind] = at + (
                PING_EVERY_S if kind == "ping" else rng.expovariate(1 / means[kind])
            )
            if self.socket.closed.done():
                counts["dropped"] += 1  # closed by the server: the page reconnects
                kind = "reconnect"
            if kind == "reconnect":
                try:
                    await self.reconnect(gate)
                except (OSError, RuntimeError, TimeoutError, HandshakeError):
                    # Refused or not let in: the next action tries again, as the page does.
                    counts["failed_reconnections"] += 1
            elif kind == "ping":
                self.send(type="ping")
            elif kind == "chat":
                self.said += 1
                self.send(type="chat", text=f"r{self.room['index']}m{self.number} n{self.said}")
                counts["chat_sent"] += 1
            elif kind == "react":
                self.send(type="react", emoji=rng.choice(EMOJIS))
                counts["reactions_sent"] += 1
            elif kind == "hand":
                self.hand = not self.hand
                self.send(type="hand", raised=self.hand)
                counts["hands_sent"] += 1


class Client:
    def __init__(self, config):
        self.host = config["host"]
        self.ports = config["ports"]
        self.origin = config["origin"]
        self.rooms = config["rooms"]
        self.counts = Counter()
        self.people = []

    async def connect(self):
        gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        started = clock()
        # The coaches first: each one's arrival opens the room to the others.
        for wave in ("coaches", "participants"):
            openings = []
            for room in self.rooms:
                members = list(enumerate(room["cookies"]))
                for number, cookie in members[:1] if wave == "coaches" else members[1:]:
                    person = Participant(self, room, number, cookie)
                    self.people.append(person)
                    openings.append(person.open(gate))
            await asyncio.gather(*openings)
        return {"sockets": len(self.people), "seconds": round(clock() - started, 2)}

    async def soak(self, seconds, means, seed):
        gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        until = clock() + seconds
        rng = random.Random(seed)
        # The coaches stay put (a room without its coach still goes on; they keep it lively).
        lives = [
            person.live(until, means, random.Random(rng.random()), gate)
            for person in self.people
            if person.number > 0
        ]
        await asyncio.gather(*lives)
        return dict(self.counts)

    async def close(self):
        for person in self.people:
            if person.socket is not None:
                person.socket.close()
        sockets = [person.socket.closed for person in self.people if person.socket is not None]
        if sockets:
            await asyncio.wait(sockets, timeout=30)


async def serve():
    await serve_commands(Client, lambda client: client.close())


if __name__ == "__main__":
    asyncio.run(serve())
