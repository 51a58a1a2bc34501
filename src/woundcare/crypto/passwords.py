"""Argon2id hashing for passwords and clinician PINs.

Passwords: plain Argon2id (argon2-cffi's ``PasswordHasher``), random per-hash salt.

PINs: a 4-12 digit PIN has at most ~10**12 values, so a stolen hash alone would be brute
forced. PINs are therefore *peppered*: ``HMAC-SHA256(pepper, PIN)`` is computed first and its
32-byte digest is what Argon2id hashes (with its own random per-hash salt). The pepper comes
from the environment (``WOUNDCARE_PIN_PEPPER``) and is never stored with the hashes, so a
database dump alone does not allow offline guessing.

Why HMAC pre-hashing and not Argon2's own ``secret`` (K) input: argon2-cffi does not expose
the secret parameter in its high-level API nor in ``argon2.low_level.hash_secret`` /
``verify_secret`` (only through the raw ``core()`` FFI call with a hand-built context, and then
the standard encoded ``$argon2id$`` string could not be verified by the normal API). HMAC
pre-hashing is the standard peppering construction, keeps ordinary ``$argon2id$`` strings and
uses only supported APIs. Changing the pepper invalidates every PIN hash (PINs must then be
reset); there is no pepper versioning.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from argon2 import Parameters, Type
from argon2 import PasswordHasher as _Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from woundcare.crypto.errors import InvalidPassword, InvalidPin
from woundcare.crypto.hash_gate import UNBOUNDED, HashGate

__all__ = [
    "FAST_TEST_PARAMETERS",
    "PIN_MAX_DIGITS",
    "PIN_MIN_DIGITS",
    "PRODUCTION_PARAMETERS",
    "PasswordHasher",
    "PinHasher",
    "validate_pin",
]

# RFC 9106 "second recommended option": t=3, m=64 MiB, p=4, 16-byte salt, 32-byte hash.
PRODUCTION_PARAMETERS: Parameters = RFC_9106_LOW_MEMORY
# Deliberately weak, for unit tests and the offline demo only.
FAST_TEST_PARAMETERS = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=8,
    parallelism=1,
)

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
_PIN_RE = re.compile(rf"[0-9]{{{PIN_MIN_DIGITS},{PIN_MAX_DIGITS}}}")
PASSWORD_MAX_CHARS = 1024
MIN_PEPPER_BYTES = 32
_PIN_DOMAIN = b"woundcare/pin/v1\x00"


def validate_pin(pin: str) -> None:
    """Raise :class:`InvalidPin` unless ``pin`` is 4-12 ASCII digits (the PIN is not echoed)."""
    if not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        raise InvalidPin(
            f"A PIN must be {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits (0-9) and nothing else."
        )


class _Argon2Base:
    def __init__(self, *, parameters: Parameters | None = None, fast: bool = False,
                 gate: HashGate | None = None) -> None:
        self.gate = gate or UNBOUNDED
        if parameters is None:
            parameters = FAST_TEST_PARAMETERS if fast else PRODUCTION_PARAMETERS
        if parameters.type is not Type.ID:
            raise ValueError("Only Argon2id parameters are accepted.")
        self._parameters = parameters
        self._hasher = _Argon2Hasher.from_parameters(parameters)

    @property
    def parameters(self) -> Parameters:
        return self._parameters

    def _verify(self, stored_hash: str, secret: bytes) -> bool:
        with self.gate.slot():
            try:
                return self._hasher.verify(stored_hash, secret)
            except (VerificationError, InvalidHashError, TypeError, ValueError):
                return False

    def _hash(self, secret: str | bytes) -> str:
        with self.gate.slot():
            return self._hasher.hash(secret)

    def needs_rehash(self, stored_hash: str) -> bool:
        """True if ``stored_hash`` was made with other parameters (or cannot be parsed)."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except (InvalidHashError, ValueError, TypeError):
            return True


class PasswordHasher(_Argon2Base):
    """Argon2id password hashing. ``fast=True`` (or ``parameters``) for tests only."""

    def hash(self, password: str) -> str:
        if not isinstance(password, str) or not password:
            raise InvalidPassword("A password must not be empty.")
        if len(password) > PASSWORD_MAX_CHARS:
            raise InvalidPassword(f"A password must be at most {PASSWORD_MAX_CHARS} characters.")
        return self._hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True if ``password`` matches; False on mismatch or a malformed hash (never raises)."""
        if not isinstance(password, str) or not password or len(password) > PASSWORD_MAX_CHARS:
            return False
        return self._verify(stored_hash, password.encode("utf-8", "surrogatepass"))


class PinHasher(_Argon2Base):
    """Argon2id over ``HMAC-SHA256(pepper, PIN)``; see the module docstring."""

    def __init__(
        self, pepper: bytes, *, parameters: Parameters | None = None, fast: bool = False,
        gate: HashGate | None = None,
    ) -> None:
        if not isinstance(pepper, bytes | bytearray) or len(pepper) < MIN_PEPPER_BYTES:
            raise ValueError(f"The PIN pepper must be at least {MIN_PEPPER_BYTES} bytes.")
        super().__init__(parameters=parameters, fast=fast, gate=gate)
        self._pepper = bytes(pepper)

    def _peppered(self, pin: str) -> bytes:
        return hmac.new(self._pepper, _PIN_DOMAIN + pin.encode("ascii"), hashlib.sha256).digest()

    def hash(self, pin: str) -> str:
        """Hash a PIN; raises :class:`InvalidPin` if it is not 4-12 digits."""
        validate_pin(pin)
        return self._hash(self._peppered(pin))

    def verify(self, stored_hash: str, pin: str) -> bool:
        """True if ``pin`` matches; False on mismatch, bad format or malformed hash."""
        try:
            validate_pin(pin)
        except InvalidPin:
            return False
        return self._verify(stored_hash, self._peppered(pin))

    def __repr__(self) -> str:  # never the pepper
        return f"PinHasher(parameters={self.parameters!r})"
