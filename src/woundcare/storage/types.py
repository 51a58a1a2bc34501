"""Column types shared by the schema: UTC-aware timestamps and dialect-aware JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class _Json(TypeDecorator[Any]):
    """JSON on SQLite, JSONB on PostgreSQL. Python ``None`` is SQL NULL (not the JSON
    ``null``). Chosen per dialect when a statement is compiled, so the PostgreSQL dialect is
    imported only by a PostgreSQL engine (not by the embedded default's start-up)."""

    impl = JSON(none_as_null=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB(none_as_null=True))
        return dialect.type_descriptor(JSON(none_as_null=True))


#: JSON on SQLite, JSONB on PostgreSQL. Python ``None`` is SQL NULL (not the JSON ``null``).
JsonType: TypeEngine[Any] = _Json()


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp that is always UTC in Python, on every dialect.

    PostgreSQL stores ``timestamptz``; SQLite has no timezone support, so values are stored
    as naive UTC (a fixed-width text that compares correctly) and made aware again on read.
    Naive datetimes are rejected on write: they are almost always a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
