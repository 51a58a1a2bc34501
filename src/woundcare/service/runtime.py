"""Everything a request needs from the process: settings, database, keys, blob store, hashers,
the free-text parser and metrics. Built once per process (or per test) by :func:`build_runtime`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from woundcare.blobs import BlobStore, blob_store_from_settings
from woundcare.config import Settings
from woundcare.crypto.devkeys import KeyMaterial, load_key_material
from woundcare.crypto.hash_gate import HashGate, slots_for
from woundcare.crypto.passwords import (
    FAST_TEST_PARAMETERS,
    PRODUCTION_PARAMETERS,
    PasswordHasher,
    PinHasher,
)
from woundcare.service.metrics import Metrics
from woundcare.storage.database import Database
from woundcare.workflow.ports import IntakeParser


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    keys: KeyMaterial
    blobs: BlobStore
    passwords: PasswordHasher
    pins: PinHasher
    intake_parser: IntakeParser | None = None
    metrics: Metrics = field(default_factory=Metrics)
    clock: Callable[[], datetime] = utc_now

    def client_hash(self, address: str) -> str:
        """A keyed hash of a client address: comparable, not reversible without the key."""
        digest = hmac.new(self.keys.audit_hmac_key, b"woundcare/client/v1\x00" +
                          address.encode("utf-8", "replace"), hashlib.sha256)
        return digest.hexdigest()[:40]

    def keyed(self, purpose: str, value: str) -> str:
        digest = hmac.new(self.keys.audit_hmac_key, purpose.encode() + b"\x00" +
                          value.encode("utf-8", "replace"), hashlib.sha256)
        return digest.hexdigest()[:40]


def build_intake_parser_or_none(settings: Settings) -> IntakeParser | None:
    try:
        from woundcare.intake import build_intake_parser
    except ImportError:  # the intake package may offer only the offline parser
        from importlib.util import find_spec

        if find_spec("woundcare.intake.freetext") is None:
            return None

        def offline(text: str) -> object:
            # the parser's compiled rules load with the first text (or the warm-up after
            # start, woundcare.server.warm_up_later), not at start-up
            from woundcare.intake.freetext import parse_free_text

            return parse_free_text(text, today=utc_now().date())

        return offline  # type: ignore[return-value]
    parser: IntakeParser = build_intake_parser(settings)
    return parser


def build_runtime(
    settings: Settings,
    *,
    db: Database | None = None,
    keys: KeyMaterial | None = None,
    blobs: BlobStore | None = None,
) -> Runtime:
    keys = keys or load_key_material(settings)
    fast = settings.password_hash_fast
    # One gate for passwords and PINs: concurrent Argon2 work stays within the memory budget.
    # Sized for the production cost even with fast test parameters: a stored hash carries
    # its own parameters, and a verification costs what the hash was made with.
    memory_cost = max(PRODUCTION_PARAMETERS.memory_cost, FAST_TEST_PARAMETERS.memory_cost)
    gate = HashGate(slots_for(settings.argon2_memory_budget_mb, memory_cost),
                    settings.argon2_wait_seconds)
    runtime = Runtime(
        settings=settings,
        db=db or Database.from_settings(settings),
        keys=keys,
        blobs=blobs or blob_store_from_settings(settings),
        passwords=PasswordHasher(fast=fast, gate=gate),
        pins=PinHasher(keys.pin_pepper, fast=fast, gate=gate),
        intake_parser=build_intake_parser_or_none(settings),
    )
    bind_metrics(runtime)
    return runtime


def bind_metrics(runtime: Runtime) -> None:
    """Pool use, key-rotation drift and the version on the runtime's metrics; the database
    traced when OpenTelemetry is on."""
    from woundcare import __version__, telemetry

    telemetry.instrument_engine(runtime.db.engine)

    metrics, settings = runtime.metrics, runtime.settings
    metrics.bind_database(runtime.db.engine)
    keyring = runtime.keys.keyring
    metrics.bind_keys(legacy_versions=[v for v in keyring.versions
                                       if v != keyring.active_version],
                      rotation_days=settings.key_rotation_days,
                      activated_on=settings.key_activated_on)
    metrics.set_build(__version__)
