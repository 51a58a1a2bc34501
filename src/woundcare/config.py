"""Application settings, read from the environment (prefix ``WOUNDCARE_``) and ``.env``.

Three profiles: ``dev`` (the embedded default, generates a local development key file),
``stage`` (warns about insecure configuration) and ``prod`` (refuses to start with it; see
:meth:`Settings.insecure_reasons`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class Profile(StrEnum):
    DEV = "dev"
    STAGE = "stage"
    PROD = "prod"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WOUNDCARE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    profile: Profile = Profile.DEV
    data_dir: Path = Path(".data")
    database_url: str = ""  # empty: SQLite file under data_dir
    # PostgreSQL: the app connects as a role that owns nothing; migrations run as the owner.
    migration_database_url: str = ""
    # The application role migrations grant table access to (``storage.roles`` reads it).
    db_app_role: str = "woundcare_app"

    # Envelope encryption (the two names the seed uses are read without the prefix too).
    field_encryption_key: SecretStr | None = Field(
        default=None, validation_alias="FIELD_ENCRYPTION_KEY"
    )
    field_encryption_key_version: str = Field(
        default="v1", validation_alias="FIELD_ENCRYPTION_KEY_VERSION"
    )
    # Legacy key-encryption keys still readable during a rotation: "v0:BASE64,v-1:BASE64".
    field_encryption_legacy_keys: SecretStr | None = Field(
        default=None, validation_alias="FIELD_ENCRYPTION_LEGACY_KEYS"
    )
    search_hmac_key: SecretStr | None = None  # base64, 32 bytes: MRN search hashes
    pin_pepper: SecretStr | None = None  # global pepper for PIN hashes
    audit_hmac_key: SecretStr | None = None  # keyed hash of client addresses in the audit trail

    blob_backend: str = "local"  # "local" or "s3"
    s3_endpoint_url: str = ""
    s3_bucket: str = ""
    s3_region: str = "us-east-1"

    # Free-text intake: optional OpenAI-compatible model; offline deterministic parser by default.
    llm_base_url: str = ""
    llm_api_key: SecretStr | None = None
    llm_model: str = ""
    llm_timeout_seconds: float = 10.0
    # Ambiguous day/month dates: None asks a follow-up question; "dmy" or "mdy" decides.
    date_locale: str | None = None
    # Voice notes (offline speech recognition): "auto" uses Whisper (faster-whisper with the
    # tiny.en model its package ships) when installed, else pocketsphinx; "whisper" or
    # "pocketsphinx" picks one. speech_threads: CPU threads Whisper uses for one note.
    speech_engine: Literal["auto", "whisper", "pocketsphinx"] = "auto"
    speech_threads: int = Field(default=2, ge=1, le=16)

    host: str = "127.0.0.1"
    port: int = 8000
    cookie_secure: bool = True
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    max_upload_bytes: int = 15 * 1024 * 1024
    # Wound measurement: the printed side of the calibration marker (``woundcare marker``),
    # and whether the PUSH 3.0 score is computed and shown (free for non-commercial use with
    # credit to the NPIAP; commercial use needs the NPIAP's permission).
    marker_size_cm: float = Field(default=2.0, ge=1.0, le=10.0)
    push_enabled: bool = True
    max_body_bytes: int = 1 * 1024 * 1024
    # Images above this many pixels (read from the header) are refused before decoding.
    max_image_pixels: int = 40_000_000
    rate_limit_per_minute: int = 300
    pin_max_attempts: int = 5
    pin_window_minutes: int = 15
    login_max_attempts: int = 10
    login_window_minutes: int = 15
    log_level: str = "INFO"
    log_json: bool = True
    log_file: str = ""  # empty: logs go to stderr only

    # Observability (docs/slo.md). Prometheus metrics on their own listener, never the API
    # port; 0 turns the listener off.
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=0, ge=0, le=65535)
    # Key-rotation drift: the rotation period and the day the active key-encryption key was
    # put into service (empty: its age is unknown and not exported).
    key_rotation_days: int = Field(default=90, ge=1)
    key_activated_on: date | None = None

    # HTTP service (added with the API).
    login_max_attempts_per_client: int = 50  # every log-in attempt from one client address
    # Proxies trusted for X-Forwarded-For (comma-separated); empty: the socket's peer address
    # is the client address and X-Forwarded-For is ignored (it is anyone's to forge).
    forwarded_allow_ips: str = ""
    idempotency_ttl_hours: int = 24
    # How long a duplicate request waits for the first one holding its Idempotency-Key
    # (PostgreSQL) before it gets 409 idempotency_in_progress.
    idempotency_wait_seconds: float = 10.0
    # Expired idempotency records are pruned on this schedule (0: only by the CLI).
    housekeeping_interval_minutes: int = 15
    # Memory Argon2 may use at once (MiB): concurrent hashes = budget // memory cost (64 MiB
    # in production, so one at a time by default); the rest wait argon2_wait_seconds, then 503.
    argon2_memory_budget_mb: int = 64
    argon2_wait_seconds: float = 10.0
    password_hash_fast: bool = False  # cheap Argon2 parameters: tests only, refused in prod
    # dev profile only: create a demo organisation and clinician on the first start
    bootstrap_demo: bool = True

    # Hand-off (FHIR bundle, PDF report, delivery; docs/fhir-mapping.md, docs/delivery-runbook.md)
    # Identifier system of the patient's MRN in the FHIR export (the receiving EHR's MRN URI).
    fhir_mrn_system: str = "urn:woundcare:mrn"
    # Export signing master key (base64, 32 bytes); empty: derived from the KEKs.
    export_signing_key: SecretStr | None = None
    export_signing_key_version: str = "s1"
    # FHIR server that receives transaction bundles (empty: no FHIR delivery).
    fhir_server_url: str = ""
    fhir_server_token: SecretStr | None = None
    fhir_server_timeout_seconds: float = 10.0
    # Folder that receives PDF reports (empty: <data_dir>/drop).
    report_drop_dir: str = ""
    # Team board inbox folder (empty: <data_dir>/team-board).
    team_board_dir: str = ""
    # Delivery retries: exponential backoff with full jitter, then the dead-letter state.
    outbox_max_attempts: int = 8
    outbox_base_delay_seconds: float = 2.0
    outbox_max_delay_seconds: float = 900.0
    # The embedded worker's polling interval (SQLite); PostgreSQL uses procrastinate.
    outbox_poll_seconds: float = 1.0
    # On the embedded default (SQLite) `woundcare serve` runs the delivery worker itself (no
    # second command); ignored on PostgreSQL, where `woundcare export worker` runs apart.
    serve_delivery: bool = True
    # A claimed delivery's lease: after it, a crashed worker's entry is claimed again.
    outbox_lease_seconds: float = 300.0
    # Consent withdrawal after export: days before the case's data key is destroyed.
    shred_grace_days: int = 7
    # Scale-out (issue 12). Rate-limit counters in Redis, shared by every replica; empty: in
    # the process (one replica only). Keys start with ``redis_key_prefix``.
    redis_url: str = ""
    redis_key_prefix: str = "woundcare"
    # ``woundcare serve`` worker processes; 0: one per CPU (at most 8).
    workers: int = 0
    # Requests one worker process works on at once (the rest wait in order); slow work
    # (hashing, OCR, speech, image measurement, PDF rendering) has its own smaller pool.
    request_threads: int = Field(default=3, ge=1, le=64)
    slow_request_threads: int = Field(default=2, ge=1, le=64)
    # Database connections per worker process (pool size, and extra under bursts).
    db_pool_size: int = 10
    db_max_overflow: int = 10
    # Server-side prepared statements; off behind PgBouncer < 1.21 in transaction pooling.
    db_prepared_statements: bool = True

    @property
    def uses_sqlite(self) -> bool:
        return not self.database_url or self.database_url.startswith("sqlite")

    def insecure_reasons(self) -> list[str]:
        """Why this configuration must not serve real data (empty in ``dev``: anything goes
        there, and the server says so out loud)."""
        if self.profile is Profile.DEV:
            return []
        reasons: list[str] = []
        for name, value in (("FIELD_ENCRYPTION_KEY", self.field_encryption_key),
                            ("WOUNDCARE_SEARCH_HMAC_KEY", self.search_hmac_key),
                            ("WOUNDCARE_PIN_PEPPER", self.pin_pepper),
                            ("WOUNDCARE_AUDIT_HMAC_KEY", self.audit_hmac_key)):
            if value is None or not value.get_secret_value().strip():
                reasons.append(f"{name} is not set.")
        if not self.cookie_secure:
            reasons.append("WOUNDCARE_COOKIE_SECURE is false; session cookies must be Secure.")
        if self.uses_sqlite:
            reasons.append("WOUNDCARE_DATABASE_URL is SQLite (or empty); use PostgreSQL.")
        if self.password_hash_fast:
            reasons.append("WOUNDCARE_PASSWORD_HASH_FAST is on; it is for tests only.")
        return reasons


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def configuration_problems(error: ValidationError) -> list[str]:
    """A settings error in plain words: each variable and what is wrong with it. The value
    itself is never repeated (it may be a key or a password)."""
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        name = str(item["loc"][0]) if item["loc"] else ""
        variable = name if name.isupper() else f"WOUNDCARE_{name.upper()}"
        problems.append(f"{variable}: {item['msg']}.")
    return problems
