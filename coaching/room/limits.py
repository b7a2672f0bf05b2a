"""Per-person rate limits: token buckets per person and room in each server process, shared by
that person's connections in the process."""

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


@dataclass
class PersonLimits:
    """One person's budgets in one room: frames in general, and WebRTC signals."""

    frames: TokenBucket = field(default_factory=TokenBucket)
    signals: TokenBucket = field(
        default_factory=lambda: TokenBucket(SIGNAL_BURST, SIGNAL_RATE_PER_S, SIGNAL_BURST)
    )
