"""Storage errors. Messages never contain PHI: identifiers and table names only."""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every storage failure the application may want to catch."""


class IdentityRequired(StorageError):
    """The operation acts on tenant data and the unit of work has no identity."""


class NotFound(StorageError):
    """The row does not exist, or is not visible to the caller (indistinguishable on purpose)."""


class Forbidden(StorageError):
    """The caller may see the row but may not perform this change."""


class Conflict(StorageError):
    """A uniqueness rule rejected the write (for example an e-mail already in use)."""


class Busy(StorageError):
    """A lock the operation needs is held by another transaction for too long."""


class Unavailable(StorageError):
    """The database connection was lost (the server restarted, the network dropped it): the
    transaction did not happen; the pool has already replaced its connections."""


def is_disconnect(exc: BaseException) -> bool:
    """A database error that lost its connection (SQLAlchemy invalidated it)."""
    return bool(getattr(exc, "connection_invalidated", False))


def is_lock_timeout(exc: BaseException) -> bool:
    """A database error that says a lock wait passed ``lock_timeout`` (SQLSTATE 55P03)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == "55P03"
