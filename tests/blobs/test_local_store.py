from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from woundcare.blobs.local import LocalBlobStore


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sharded_layout_and_modes(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    data = b"synthetic ciphertext"
    ref = store.put(data)
    key = hashlib.sha256(data).hexdigest()
    path = tmp_path / "blobs" / key[:2] / key[2:4] / key
    assert store.path_for(ref.key) == path
    assert path.read_bytes() == data
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert _mode(path.parent.parent) == 0o700
    assert _mode(tmp_path / "blobs") == 0o700


def test_modes_hold_under_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = LocalBlobStore(tmp_path / "blobs")
        ref = store.put(b"synthetic under umask 0")
    finally:
        os.umask(old)
    path = store.path_for(ref.key)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_no_temp_files_left(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    for i in range(5):
        store.put(f"synthetic blob {i}".encode())
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith(".tmp-")]
    assert leftovers == []


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalBlobStore(tmp_path)
    data = b"synthetic blob that fails to land"

    def boom(src: str, dst: str) -> None:
        raise OSError("simulated crash before rename")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="simulated"):
        store.put(data)
    monkeypatch.undo()

    key = hashlib.sha256(data).hexdigest()
    assert not store.exists(key)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_write_goes_through_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The final path is only ever created by os.replace from a temp file in the same dir."""
    store = LocalBlobStore(tmp_path)
    calls: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        source, target = Path(src), Path(dst)
        assert not target.exists()
        assert source.read_bytes() == b"synthetic atomic"
        calls.append((source, target))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    ref = store.put(b"synthetic atomic")
    assert len(calls) == 1
    source, target = calls[0]
    assert target == store.path_for(ref.key)
    assert source.parent == target.parent
    assert source.name.startswith(".tmp-")


def test_idempotent_put_does_not_rewrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalBlobStore(tmp_path)
    store.put(b"synthetic once")

    def fail(src: str, dst: str) -> None:
        raise AssertionError("an intact blob must not be rewritten")

    monkeypatch.setattr(os, "replace", fail)
    store.put(b"synthetic once")


def test_truncated_file_is_detected(tmp_path: Path) -> None:
    from woundcare.blobs.base import BlobIntegrityError

    store = LocalBlobStore(tmp_path)
    ref = store.put(b"synthetic payload that gets truncated")
    path = store.path_for(ref.key)
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(BlobIntegrityError):
        store.get(ref.key)


def test_repr(tmp_path: Path) -> None:
    assert str(tmp_path) in repr(LocalBlobStore(tmp_path))
