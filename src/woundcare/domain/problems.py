"""Field problems: a validation failure as a field path, a stable code and a plain sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, ValidationError

_FRIENDLY: dict[str, str] = {
    "missing": "This field is required.",
    "extra_forbidden": "This field is not part of the record.",
    "int_parsing": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "float_parsing": "Enter a number.",
    "float_type": "Enter a number.",
    "bool_parsing": "Enter yes or no.",
    "bool_type": "Enter yes or no.",
    "string_type": "Enter text.",
    "date_parsing": "Enter a date as YYYY-MM-DD.",
    "date_from_datetime_parsing": "Enter a date as YYYY-MM-DD.",
    "date_type": "Enter a date as YYYY-MM-DD.",
    "datetime_parsing": "Enter a date and time with its time zone (ISO 8601).",
    "datetime_from_date_parsing": "Enter a date and time with its time zone (ISO 8601).",
    "datetime_type": "Enter a date and time with its time zone (ISO 8601).",
    "timezone_aware": "Give the time with its time zone (for example 2026-01-31T09:30:00Z).",
    "uuid_parsing": "This is not a valid identifier.",
    "uuid_type": "This is not a valid identifier.",
    "enum": "Choose one of the listed options.",
    "literal_error": "Choose one of the listed options.",
    "string_pattern_mismatch": "This value is not in the expected format.",
    "value_error": "This value is not valid.",
    "model_type": "This should be an object with fields.",
    "model_attributes_type": "This should be an object with fields.",
    "list_type": "This should be a list.",
    "dict_type": "This should be an object with fields.",
    "json_invalid": "The request body is not valid JSON.",
}


class FieldProblem(BaseModel):
    """One problem with one field. ``path`` is dotted, e.g. ``vitals.heart_rate.value``."""

    model_config = ConfigDict(frozen=True)

    path: str
    code: str
    message: str


# A pattern's rule in words, for the patterns people type (a generic "not in the expected
# format" does not say what would be right).
_PATTERN_RULES: dict[str, str] = {
    r"^\d{4,12}$": "A PIN is 4 to 12 digits (numbers only).",
}


def _range_message(kind: str, ctx: dict[str, object]) -> str | None:
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"Must be {words} {ctx.get(key)}."
    if kind == "string_too_short":
        minimum = ctx.get("min_length")
        return "This field cannot be empty." if minimum == 1 else (
            f"Enter at least {minimum} characters."
        )
    if kind == "string_too_long":
        return f"Enter at most {ctx.get('max_length')} characters."
    if kind == "too_long":
        return f"At most {ctx.get('max_length')} items are allowed."
    if kind == "enum":
        return f"Choose one of: {ctx.get('expected')}."
    if kind == "string_pattern_mismatch":
        return _PATTERN_RULES.get(str(ctx.get("pattern")))
    return None


# A path segment that can be a field name (snake_case) or a header name (If-Match). Anything
# else (an unknown key a client sent, which may be a name or a note) is not echoed back.
_FIELD_NAME = re.compile(r"^(?:[a-z_][a-z0-9_]{0,63}|[A-Z][a-z]+(?:-[A-Z][a-z]+)+)$")
UNKNOWN_KEY = "[key]"


def dotted(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def _segment(part: int | str) -> int | str:
    """A location part as it may be shown: client-chosen keys only if they look like names."""
    return part if isinstance(part, int) or _FIELD_NAME.match(part) else UNKNOWN_KEY


def problems_from_validation_error(
    exc: ValidationError, prefix: str = ""
) -> list[FieldProblem]:
    """Translate a pydantic error into field problems. Input values are never echoed."""
    out: list[FieldProblem] = []
    for err in exc.errors(include_input=False, include_url=False):
        kind = str(err["type"])
        ctx = dict(err.get("ctx") or {})
        loc = [_segment(part) for part in err["loc"] if not _is_union_tag(part)]
        path = dotted([p for p in (prefix, *loc) if p != ""])
        message = _range_message(kind, ctx) or _custom_message(kind, err["msg"])
        out.append(FieldProblem(path=path or "body", code=kind, message=message))
    return out


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _custom_message(kind: str, raw: str) -> str:
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    if kind == "value_error" and raw.startswith("Value error, "):
        return raw.removeprefix("Value error, ")
    # Our own PydanticCustomError messages are already plain sentences without input values.
    return raw
