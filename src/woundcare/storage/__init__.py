"""Storage: SQLAlchemy Core schema, Alembic migrations and the unit of work.

Adapters: SQLite (embedded default, one file under ``data_dir``) and PostgreSQL (production,
with row-level security; the app connects as a role that owns nothing).
"""

from woundcare.storage.database import Database, default_sqlite_url
from woundcare.storage.errors import Conflict, Forbidden, IdentityRequired, NotFound, StorageError
from woundcare.storage.identity import Identity, Role
from woundcare.storage.unit_of_work import UnitOfWork

__all__ = [
    "Conflict",
    "Database",
    "Forbidden",
    "Identity",
    "IdentityRequired",
    "NotFound",
    "Role",
    "StorageError",
    "UnitOfWork",
    "default_sqlite_url",
]
