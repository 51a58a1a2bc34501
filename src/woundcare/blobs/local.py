"""Filesystem blob store: ``<root>/ab/cd/<sha256>``, files 0600, directories 0700.

Writes are atomic: a temporary file in the destination directory is written, fsynced and
``os.replace``-d into place, and the directory is fsynced, so readers only ever see complete
blobs and a crash leaves at most a stray ``.tmp-*`` file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from woundcare.blobs.base import (
    BlobIntegrityError,
    BlobNotFound,
    BlobRef,
    validate_blob_key,
    verify_blob,
)

_TMP_PREFIX = ".tmp-"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not supported on every platform/filesystem
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def path_for(self, key: str) -> Path:
        validate_blob_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes) -> BlobRef:
        data = bytes(data)
        ref = BlobRef.for_data(data)
        path = self.path_for(ref.key)
        if self._intact(path, ref.key):
            return ref
        self._makedirs(path.parent)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=_TMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), 0o600)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        _fsync_dir(path.parent)
        return ref

    def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        return verify_blob(key, data)

    def delete(self, key: str) -> None:
        path = self.path_for(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        _fsync_dir(path.parent)

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def _intact(self, path: Path, key: str) -> bool:
        """An existing, uncorrupted copy is already in place (a corrupt one is rewritten)."""
        try:
            verify_blob(key, path.read_bytes())
        except (FileNotFoundError, BlobIntegrityError):
            return False
        return True

    def _makedirs(self, directory: Path) -> None:
        # mkdir's mode is masked by the umask; intermediate shards get 0700 explicitly.
        for shard in (directory.parent, directory):
            try:
                shard.mkdir(mode=0o700)
            except FileExistsError:
                continue

    def __repr__(self) -> str:
        return f"LocalBlobStore(root={str(self.root)!r})"


__all__ = ["LocalBlobStore"]
