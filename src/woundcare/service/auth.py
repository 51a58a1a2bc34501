"""Log-in, sessions, log-out, password and PIN changes.

Session tokens are 256-bit random values; only their SHA-256 is stored. The CSRF token is
derived from the session token with a keyed hash (so ``/api/auth/me`` can hand it back to the
console after a reload) and also stored only as a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from woundcare.crypto.errors import InvalidPassword, InvalidPin
from woundcare.crypto.password_policy import password_problem
from woundcare.crypto.passwords import validate_pin
from woundcare.logging import get_logger
from woundcare.service.audit import Caller, record_audit
from woundcare.service.errors import field_error, too_many, unauthorised
from woundcare.service.ratelimit import RateLimiter
from woundcare.service.runtime import Runtime
from woundcare.storage.identity import Identity
from woundcare.storage.repositories.clinicians import Clinician
from woundcare.storage.repositories.sessions import SessionLookup

log = get_logger("woundcare.auth")
TOUCH_EVERY = timedelta(seconds=60)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class LoginResult:
    token: str
    csrf_token: str
    clinician: dict[str, Any]
    idle_expires_at: datetime
    absolute_expires_at: datetime


@dataclass(frozen=True)
class Authenticated:
    caller: Caller
    csrf_token_hash: str
    token: str


def clinician_view(clinician: Clinician) -> dict[str, Any]:
    return {"clinician_id": str(clinician.id), "organisation_id": str(clinician.organisation_id),
            "role": clinician.role, "display_name": clinician.display_name,
            "email": clinician.email, "pin_set": clinician.has_pin, "active": clinician.active}


class AuthService:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime
        self.limiter = RateLimiter(runtime)
        self._dummy_hash: str | None = None

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.rt.settings.session_idle_minutes)

    def csrf_for(self, token: str) -> str:
        mac = hmac.new(self.rt.keys.audit_hmac_key, b"woundcare/csrf/v1\x00" + token.encode(),
                       hashlib.sha256)
        return mac.hexdigest()

    def csrf_ok(self, auth: Authenticated, header: str | None) -> bool:
        if not header:
            return False
        return hmac.compare_digest(token_hash(header), auth.csrf_token_hash)

    # ------------------------------------------------------------------ log-in

    def _account_bucket(self, email: str, client_hash: str) -> str:
        return f"login:acct:{self.rt.keyed('login-email', email)}:{client_hash}"

    def _limit(self, email: str, client_hash: str) -> None:
        """Count the attempt BEFORE any hashing, atomically (one upsert returns the new
        count), so a parallel burst cannot outrun the limit and only the attempts within it
        reach Argon2: every attempt from a client address against a generous limit, then
        every attempt on the account from that address against ``login_max_attempts``."""
        settings = self.rt.settings
        window = settings.login_window_minutes * 60
        retry = self.limiter.hit(f"login:client:{client_hash}",
                                 settings.login_max_attempts_per_client, window)
        if retry is None:
            retry = self.limiter.hit(self._account_bucket(email, client_hash),
                                     settings.login_max_attempts, window)
        if retry is not None:
            self.rt.metrics.count("login_rate_limited")
            raise too_many(retry, "login_rate_limited",
                           "Too many log-in attempts; wait a while and try again.")

    def _limit_password_check(self, caller: Caller) -> None:
        """The password checks behind a PIN or password change get the log-in limits (per
        clinician), counted before hashing."""
        settings = self.rt.settings
        retry = self.limiter.hit(f"pwcheck:{caller.clinician_id}", settings.login_max_attempts,
                                 settings.login_window_minutes * 60)
        if retry is not None:
            self.rt.metrics.count("login_rate_limited")
            raise too_many(retry, "password_rate_limited",
                           "Too many password checks; wait a while and try again.")

    def _check_password(self, stored: str | None, password: str) -> bool:
        if stored is None:  # same work as a real check, so timing does not reveal accounts
            if self._dummy_hash is None:
                self._dummy_hash = self.rt.passwords.hash(secrets.token_urlsafe(16))
            self.rt.passwords.verify(self._dummy_hash, password)
            return False
        return self.rt.passwords.verify(stored, password)

    def login(self, email: str, password: str, address: str,
              request_id: str | None) -> LoginResult:
        client_hash = self.rt.client_hash(address)
        email = email.strip().lower()
        self._limit(email, client_hash)
        with self.rt.db.unit_of_work(None, read_only=True) as uow:
            try:
                candidate = uow.clinicians.by_email(email)
            except ValueError:
                candidate = None
        ok = self._check_password(None if candidate is None else candidate.password_hash,
                                  password)
        if candidate is None or not ok or not candidate.active:
            with self.rt.db.unit_of_work(None) as uow:
                uow.audit.append_preauth(action="auth.login", outcome="failure",
                                         request_id=request_id, client_hash=client_hash)
            self.rt.metrics.count("login_failed")
            log.warning("auth.login", outcome="failure")
            raise unauthorised("The e-mail address or password is not correct.",
                               "invalid_credentials")
        identity = Identity(candidate.organisation_id, candidate.id, candidate.role)
        token = secrets.token_urlsafe(32)
        csrf = self.csrf_for(token)
        now = self.rt.clock()
        absolute = now + timedelta(hours=self.rt.settings.session_absolute_hours)
        with self.rt.db.unit_of_work(identity) as uow:
            session = uow.sessions.create(token_hash=token_hash(token),
                                          csrf_token_hash=token_hash(csrf),
                                          absolute_expires_at=absolute, client_hash=client_hash)
            uow.sessions.touch(session.id, now)
            clinician = uow.clinicians.get(candidate.id)
            caller = Caller(identity, session.id, client_hash, request_id)
            record_audit(uow, caller, "auth.login")
        assert clinician is not None
        log.info("auth.login", outcome="success", clinician_id=str(candidate.id))
        return LoginResult(token, csrf, clinician_view(clinician),
                           min(now + self.idle, absolute), absolute)

    # ------------------------------------------------------------------ sessions

    def authenticate(self, token: str, address: str, request_id: str | None,
                     via_cookie: bool) -> Authenticated:
        """The session behind ``token``. Inside a request on PostgreSQL the lookup's
        transaction is carried on into the request's work (one transaction for the lookup,
        the work and its audit; see ``Database.carry``). The idle-expiry touch is written at
        most once per ``TOUCH_EVERY``, in that same transaction."""
        if not token or len(token) > 200:
            raise unauthorised()
        now = self.rt.clock()
        with self.rt.db.carry() as (uow, carried):
            found = uow.sessions.lookup(token_hash(token), scope=carried)
            identity = self._check(found, now)  # raises (rolling back) on a refused session
            if carried:
                self.rt.db.carried_as(identity)
            session = found.session if found is not None else None
            stale = session is not None and now - session.last_seen_at >= TOUCH_EVERY
            if stale and carried and session is not None:
                self.rt.db.rescope(uow, identity).sessions.touch(session.id, now)
        assert session is not None
        if stale and not carried:
            with self.rt.db.unit_of_work(identity) as touch:
                touch.sessions.touch(session.id, now)
        caller = Caller(identity, session.id, self.rt.client_hash(address), request_id,
                        via_cookie)
        return Authenticated(caller, session.csrf_token_hash, token)

    def _check(self, found: SessionLookup | None, now: datetime) -> Identity:
        if found is None:
            raise unauthorised("Your session is not valid; log in again.", "session_invalid")
        session = found.session
        if session.revoked_at is not None:
            raise unauthorised("You were logged out; log in again.", "session_revoked")
        if not found.clinician_active:
            raise unauthorised("This account is not active.", "account_inactive")
        if now >= session.absolute_expires_at or now >= session.last_seen_at + self.idle:
            raise unauthorised("Your session has expired; log in again.", "session_expired")
        return found.identity()

    def me(self, auth: Authenticated) -> dict[str, Any]:
        with self.rt.db.unit_of_work(auth.caller.identity, read_only=True) as uow:
            clinician = uow.clinicians.get(auth.caller.clinician_id)
        if clinician is None:
            raise unauthorised()
        view = clinician_view(clinician)
        view["csrf_token"] = self.csrf_for(auth.token)
        return view

    def logout(self, caller: Caller) -> None:
        with self.rt.db.unit_of_work(caller.identity) as uow:
            uow.sessions.revoke(caller.session_id)
            record_audit(uow, caller, "auth.logout")

    # ------------------------------------------------------------------ secrets

    def _verify_own_password(self, caller: Caller, password: str,
                             field: str = "password") -> None:
        self._limit_password_check(caller)
        with self.rt.db.unit_of_work(caller.identity, read_only=True) as uow:
            me = uow.clinicians.get(caller.clinician_id)
            candidate = None if me is None else uow.clinicians.by_email(me.email)
        if candidate is None or not self.rt.passwords.verify(candidate.password_hash, password):
            self.rt.metrics.count("password_check_failed")
            raise field_error(field, "password_rejected", "The current password is not correct.")

    def change_password(self, caller: Caller, current: str, new: str) -> None:
        self._verify_own_password(caller, current, field="current_password")
        with self.rt.db.unit_of_work(caller.identity, read_only=True) as uow:
            me = uow.clinicians.get(caller.clinician_id)
        inputs = [] if me is None else [me.email, me.email.split("@")[0], me.display_name]
        problem = password_problem(new, inputs)
        if problem is not None:
            raise field_error("new_password", "password_too_weak", problem)
        try:
            new_hash = self.rt.passwords.hash(new)
        except InvalidPassword as exc:
            raise field_error("new_password", "password_invalid", str(exc)) from None
        with self.rt.db.unit_of_work(caller.identity) as uow:
            uow.clinicians.set_password_hash(caller.clinician_id, new_hash)
            revoked = uow.sessions.revoke_all_for_clinician(caller.clinician_id,
                                                            except_session=caller.session_id)
            record_audit(uow, caller, "auth.password", detail={"sessions_revoked": revoked})

    def set_pin(self, caller: Caller, password: str, pin: str) -> None:
        try:
            validate_pin(pin)
        except InvalidPin as exc:
            raise field_error("pin", "pin_invalid", str(exc)) from None
        self._verify_own_password(caller, password)
        pin_hash = self.rt.pins.hash(pin)
        with self.rt.db.unit_of_work(caller.identity) as uow:
            uow.clinicians.set_pin_hash(caller.clinician_id, pin_hash)
            uow.pin_attempts.clear_lockout()
            record_audit(uow, caller, "auth.pin")

