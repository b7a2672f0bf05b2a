"""Per-person limits: token buckets per person and room in each server process, shared by that
person's connections in the process, and kept after their last socket closes (until they have
refilled): reconnecting does not refill them."""

import time
from dataclasses import dataclass, field

# Up to 20 frames at once, then 5 a second: well above what a person types or clicks (and
# above the benchmark's 2 messages a second), well below a script's flood.
BURST = 20
RATE_PER_S = 5.0
# WebRTC signalling comes in bursts: joining a call of six sends an offer and a dozen ICE
# candidates to each of five peers within a second or two.
SIGNAL_BURST = 120
SIGNAL_RATE_PER_S = 30.0
# A resync replays up to the whole history. A socket's first one comes with its arrival; the
# others (a page asks for one when it sees a gap in the numbers) are rare.
SYNC_BURST = 3
SYNC_RATE_PER_S = 1 / 10
# Each arrival is database work and, for a person's first socket, a `joined` and later a
# `left` event to everyone: a page reloaded a few times passes, a loop of connections does not.
ARRIVAL_BURST = 10
ARRIVAL_RATE_PER_S = 1 / 3
# Open sockets of one person in one room (tabs, a phone): more is a script.
SOCKETS_PER_PERSON = 5
# Refused frames a connection may send in a row; the next one closes it as abusive.
ABUSE_LIMIT = 40
MAX_FRAME_BYTES = 16 * 1024


@dataclass
class TokenBucket:
    capacity: float = BURST
    rate: float = RATE_PER_S
    tokens: float = BURST
    updated: float = field(default_factory=time.monotonic)

    def take(self, now=None):
        now = time.monotonic() if now is None else now
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def give_back(self):
        self.tokens = min(self.capacity, self.tokens + 1)

    def refilled(self, now=None):
        """Whether the bucket is full again (forgetting it then changes nothing)."""
        now = time.monotonic() if now is None else now
        return self.tokens + (now - self.updated) * self.rate >= self.capacity


def _bucket(burst, rate):
    return field(default_factory=lambda: TokenBucket(burst, rate, burst))


@dataclass
class PersonLimits:
    """One person's budgets in one room: frames in general, WebRTC signals, resyncs, and
    arrivals (new sockets)."""

    frames: TokenBucket = _bucket(BURST, RATE_PER_S)
    signals: TokenBucket = _bucket(SIGNAL_BURST, SIGNAL_RATE_PER_S)
    syncs: TokenBucket = _bucket(SYNC_BURST, SYNC_RATE_PER_S)
    arrivals: TokenBucket = _bucket(ARRIVAL_BURST, ARRIVAL_RATE_PER_S)

    def refilled(self, now=None):
        now = time.monotonic() if now is None else now
        return all(
            bucket.refilled(now)
            for bucket in (self.frames, self.signals, self.syncs, self.arrivals)
        )
