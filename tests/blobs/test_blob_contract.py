"""The BlobStore contract, run against the local filesystem store and S3 (moto)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from uuid import uuid4

import pytest

from woundcare.blobs.base import (
    BlobIntegrityError,
    BlobNotFound,
    BlobRef,
    BlobStore,
    InvalidBlobKey,
)
from woundcare.crypto.envelope import decrypt_blob, encrypt_blob, new_data_key

Corrupt = Callable[[BlobStore, str, bytes], None]


def test_is_a_blob_store(blob_store: BlobStore) -> None:
    assert isinstance(blob_store, BlobStore)


def test_put_get_round_trip(blob_store: BlobStore) -> None:
    data = b"synthetic encrypted bytes " + os.urandom(256)
    ref = blob_store.put(data)
    digest = hashlib.sha256(data).hexdigest()
    assert ref == BlobRef(key=digest, size=len(data), sha256=digest)
    assert blob_store.exists(ref.key)
    assert blob_store.get(ref.key) == data


def test_empty_and_larger_blobs(blob_store: BlobStore) -> None:
    for data in (b"", os.urandom(3 * 1024 * 1024)):
        ref = blob_store.put(data)
        assert ref.size == len(data)
        assert blob_store.get(ref.key) == data


def test_put_is_idempotent(blob_store: BlobStore) -> None:
    data = b"synthetic same bytes"
    first = blob_store.put(data)
    second = blob_store.put(data)
    assert first == second
    assert blob_store.get(first.key) == data


def test_delete(blob_store: BlobStore) -> None:
    ref = blob_store.put(b"synthetic to delete")
    blob_store.delete(ref.key)
    assert not blob_store.exists(ref.key)
    with pytest.raises(BlobNotFound):
        blob_store.get(ref.key)
    blob_store.delete(ref.key)  # deleting again is fine


def test_missing_blob(blob_store: BlobStore) -> None:
    key = hashlib.sha256(b"never stored").hexdigest()
    assert not blob_store.exists(key)
    with pytest.raises(BlobNotFound) as info:
        blob_store.get(key)
    assert isinstance(info.value, LookupError)


def test_corruption_detected(blob_store: BlobStore, corrupt: Corrupt) -> None:
    data = b"synthetic payload " + os.urandom(32)
    ref = blob_store.put(data)
    damaged = bytearray(data)
    damaged[5] ^= 0x01
    corrupt(blob_store, ref.key, bytes(damaged))
    with pytest.raises(BlobIntegrityError):
        blob_store.get(ref.key)


def test_put_repairs_corrupted_copy(blob_store: BlobStore, corrupt: Corrupt) -> None:
    data = b"synthetic payload to repair"
    ref = blob_store.put(data)
    corrupt(blob_store, ref.key, b"garbage")
    assert blob_store.put(data) == ref
    assert blob_store.get(ref.key) == data


@pytest.mark.parametrize(
    "key",
    ["", "abc", "../" * 20 + "etc/passwd", "A" * 64, "g" * 64, "0" * 63, "0" * 65, "0" * 62 + "/x"],
)
def test_rejects_malformed_keys(blob_store: BlobStore, key: str) -> None:
    for operation in (blob_store.get, blob_store.delete, blob_store.exists):
        with pytest.raises(InvalidBlobKey):
            operation(key)


def test_stores_encrypted_artifacts(blob_store: BlobStore) -> None:
    """End to end with the crypto layer: the store only ever sees ciphertext."""
    dek, case_id, artifact_id = new_data_key(), uuid4(), uuid4()
    photo = b"\x89PNG\r\n synthetic wound photo " + os.urandom(512)
    ref = blob_store.put(encrypt_blob(dek, case_id, artifact_id, photo))
    stored = blob_store.get(ref.key)
    assert photo not in stored
    assert decrypt_blob(dek, case_id, artifact_id, stored) == photo
