"""PIN signatures: verification against the database, with attempts and lockouts counted there
(so every replica sees them) in their own units of work (so a failed signing step, whose own
transaction rolls back, still leaves its attempt recorded).

Policy: at most ``pin_max_attempts`` failures per ``pin_window_minutes`` per clinician and
client address; the failure that reaches the limit starts a lockout of the same length. The
PIN itself is never stored in clear, returned or logged.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from uuid import UUID

from woundcare.adapters.pin_verifier import PinLocked
from woundcare.domain.errors import PinRejected
from woundcare.logging import get_logger
from woundcare.messages import say
from woundcare.service.audit import Caller
from woundcare.service.runtime import Runtime

log = get_logger("woundcare.pin")


class PinNotSet(PinRejected):
    code = "pin_not_set"

    def __init__(self) -> None:
        super().__init__("Set your signing PIN first (Account, then Signing PIN).")


class PinService:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.rt.settings.pin_window_minutes)

    def check(self, caller: Caller, pin: str) -> None:
        """Return if ``pin`` is the caller's PIN; raise :class:`PinRejected`, :class:`PinNotSet`
        or :class:`PinLocked` otherwise. The caller's checks take turns (so parallel guesses
        cannot outrun the count), and every verified attempt is committed before the answer."""
        now = self.rt.clock()
        with self.rt.db.unit_of_work(caller.identity) as uow:
            uow.pin_attempts.serialise()
            locked_until = uow.pin_attempts.get_lockout(client_hash=caller.client_hash)
            if locked_until is not None and locked_until > now:
                self._refused(caller, "pin_locked")
                raise PinLocked(locked_until)
            stored = uow.clinicians.own_pin_hash()
            if stored is None:
                raise PinNotSet()
            ok = self.rt.pins.verify(stored, pin)
            uow.pin_attempts.record(client_hash=caller.client_hash, success=ok, at=now)
            failures = 0 if ok else uow.pin_attempts.count_failures(
                client_hash=caller.client_hash, since=now - self.window)
            locked = failures >= self.rt.settings.pin_max_attempts
            if locked:
                uow.pin_attempts.set_lockout(client_hash=caller.client_hash,
                                             locked_until=now + self.window)
        if ok:
            return
        if locked:
            self._refused(caller, "pin_locked")
            raise PinLocked(now + self.window)
        self._refused(caller, "pin_rejected")
        left = self.rt.settings.pin_max_attempts - failures
        raise PinRejected(say("error.api.pin_attempts_left", count=max(0, left)))

    def _refused(self, caller: Caller, outcome: str) -> None:
        self.rt.metrics.count(outcome)
        self.rt.metrics.pin_failure(caller.clinician_id)
        log.warning("pin.refused", outcome=outcome, clinician_id=str(caller.clinician_id))


class DbPinVerifier:
    """The workflow's :class:`~woundcare.workflow.ports.PinVerifier` on the database."""

    def __init__(self, service: PinService, caller: Caller) -> None:
        self._service = service
        self._caller = caller

    def verify(self, clinician_id: UUID, pin: str) -> None:
        if clinician_id != self._caller.clinician_id:
            raise PinRejected("A record can only be signed with your own PIN.")
        self._service.check(self._caller, pin)


class PreverifiedPin:
    """Used inside the signing transaction once :class:`DbPinVerifier` accepted the PIN before
    it (on SQLite a second writer inside the transaction would wait for the first)."""

    def __init__(self, clinician_id: UUID, pin: str) -> None:
        self._clinician_id = clinician_id
        self._pin = pin

    def verify(self, clinician_id: UUID, pin: str) -> None:
        if clinician_id != self._clinician_id or not hmac.compare_digest(pin, self._pin):
            raise PinRejected("The PIN was not accepted.")
