"""The one list of sensitive fields, and pure helpers to split a record's JSON around them.

Storage encrypts every value at a sensitive path (binding the ciphertext to case and path) and
keeps the rest as plain JSON. Patterns use ``*`` for a list index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Final

SENSITIVE_FIELD_PATTERNS: Final[tuple[str, ...]] = (
    "patient.first_name",
    "patient.last_name",
    "patient.preferred_name",
    "patient.date_of_birth",
    "patient.age",
    "patient.mrn",
    "patient.contact.phone",
    "patient.contact.email",
    "patient.contact.address",
    "patient.notes",
    "consent.notes",
    "wound.description",
    "wound.override_reason",
    "wound.photography_declined_reason",
    "wound.aetiology",
    "wound.measurement.outline",  # traced on the photo: photo-linked geometry
    "time_assessment.notes",
    "follow_ups.*.answer",
    "follow_ups.*.dismiss_reason",
)

JsonObject = dict[str, Any]


def _walk(data: Any, parts: list[str], prefix: list[str]) -> Iterator[list[str]]:
    if not parts:
        yield prefix
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from _walk(item, rest, [*prefix, str(index)])
    elif isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest, [*prefix, head])


def _get(data: Any, path: list[str]) -> Any:
    for part in path:
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _set(data: Any, path: list[str], value: Any) -> None:
    for part in path[:-1]:
        data = data[int(part)] if isinstance(data, list) else data[part]
    last = path[-1]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def sensitive_paths(record_json: JsonObject) -> list[str]:
    """Concrete dotted paths of the sensitive values present (non-null) in ``record_json``."""
    found: list[str] = []
    for pattern in SENSITIVE_FIELD_PATTERNS:
        for path in _walk(record_json, pattern.split("."), []):
            if _get(record_json, path) is not None:
                found.append(".".join(path))
    return found


def split_sensitive(record_json: JsonObject) -> tuple[JsonObject, dict[str, str]]:
    """(the record with sensitive values nulled, {path: JSON-encoded sensitive value})."""
    public: JsonObject = json.loads(json.dumps(record_json))
    secrets: dict[str, str] = {}
    for path in sensitive_paths(public):
        parts = path.split(".")
        secrets[path] = json.dumps(_get(public, parts), separators=(",", ":"))
        _set(public, parts, None)
    return public, secrets


def merge_sensitive(public: JsonObject, secrets: dict[str, str]) -> JsonObject:
    """Inverse of :func:`split_sensitive`."""
    merged: JsonObject = json.loads(json.dumps(public))
    for path, encoded in secrets.items():
        _set(merged, path.split("."), json.loads(encoded))
    return merged


def is_sensitive(path: str) -> bool:
    parts = path.split(".")
    for pattern in SENSITIVE_FIELD_PATTERNS:
        pat = pattern.split(".")
        if len(pat) == len(parts) and all(p in ("*", q) for p, q in zip(pat, parts, strict=True)):
            return True
    return False
