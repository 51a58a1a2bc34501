"""The data steward's encryption hook: encrypts every sensitive value under the case's data
key (AES-256-GCM, bound to case and field path) and proves each ciphertext decrypts back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from woundcare.crypto.envelope import decrypt_field, encrypt_field
from woundcare.domain.errors import DomainError
from woundcare.domain.record import CaseRecord, Seal
from woundcare.domain.sensitive import split_sensitive

# (case id) -> (the case's data key, the version of the key-encryption key that wraps it)
DataKeyProvider = Callable[[UUID], tuple[bytes, str]]


class SealingFailed(DomainError):
    code = "encryption_failed"


class EnvelopeSealer:
    def __init__(self, data_key_for: DataKeyProvider) -> None:
        self._data_key_for = data_key_for

    def seal(self, record: CaseRecord) -> Seal:
        dek, key_version = self._data_key_for(record.case_id)
        _, secrets = split_sensitive(record.model_dump(mode="json"))
        for path, value in secrets.items():
            token = encrypt_field(dek, record.case_id, path, value)
            if token == value or decrypt_field(dek, record.case_id, path, token) != value:
                raise SealingFailed("A sensitive field could not be encrypted.")
        return Seal(key_version=key_version, sealed_at=datetime.now(UTC),
                    sealed_paths=sorted(secrets))
