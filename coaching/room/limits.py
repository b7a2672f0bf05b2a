"""Per-person rate limits: a token bucket per person and room in each server process, shared by
that person's connections in the process."""

import time
from dataclasses import dataclass, field

# Up to 20 frames at once, then 5 a second: well above what a person types or clicks (and
# above the benchmark's 2 messages a second), well below a script's flood.
BURST = 20
RATE_PER_S = 5.0
# Refused frames a connection may send in a row before it is closed as abusive.
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
