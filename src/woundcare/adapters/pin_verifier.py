"""PIN verification for the Security agent, with attempts counted per clinician.

``InMemoryPinVerifier`` serves the demo and unit tests; the service uses the database-backed
verifier (attempts visible to every replica)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from uuid import UUID

from woundcare.crypto.passwords import PinHasher
from woundcare.domain.errors import PinRejected


class PinLocked(PinRejected):
    code = "pin_locked"

    def __init__(self, until: datetime) -> None:
        super().__init__("Too many wrong PIN attempts; PIN signing is locked for a while.")
        self.until = until


class InMemoryPinVerifier:
    def __init__(self, hasher: PinHasher, *, max_attempts: int = 5,
                 window: timedelta = timedelta(minutes=15)) -> None:
        self._hasher = hasher
        self._hashes: dict[UUID, str] = {}
        self._failures: dict[UUID, list[datetime]] = defaultdict(list)
        self._max, self._window = max_attempts, window

    def set_pin(self, clinician_id: UUID, pin: str) -> None:
        self._hashes[clinician_id] = self._hasher.hash(pin)

    def verify(self, clinician_id: UUID, pin: str) -> None:
        now = datetime.now(UTC)
        recent = [t for t in self._failures[clinician_id] if now - t < self._window]
        self._failures[clinician_id] = recent
        if len(recent) >= self._max:
            raise PinLocked(recent[0] + self._window)
        stored = self._hashes.get(clinician_id)
        if stored is None or not self._hasher.verify(stored, pin):
            recent.append(now)
            raise PinRejected("The PIN was not accepted.")
