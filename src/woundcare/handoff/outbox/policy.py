"""Retry policy: exponential backoff with full jitter, a bounded number of attempts, then the
dead-letter state. Pure (the random source is injectable for tests)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


class PermanentFailure(Exception):
    """Retrying cannot help (the receiver refused the content): straight to dead letter."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TransientFailure(Exception):
    """Worth retrying (timeout, connection refused, 5xx, 429)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 2.0
    max_delay: float = 900.0

    def delay(self, attempts: int, rng: random.Random | None = None) -> float:
        """Full jitter: uniform in [0, min(max_delay, base * 2**(attempts-1))]."""
        cap = min(self.max_delay, self.base_delay * (2 ** max(0, attempts - 1)))
        return (rng or random).uniform(0, cap)

    def next_attempt(self, now: datetime, attempts: int,
                     rng: random.Random | None = None) -> datetime | None:
        """When to try again, or None when the attempts are used up (dead letter)."""
        if attempts >= self.max_attempts:
            return None
        return now + timedelta(seconds=self.delay(attempts, rng))
