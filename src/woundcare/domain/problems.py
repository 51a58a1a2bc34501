"""Field problems: a validation failure as a field path, a stable code and a plain sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, ValidationError

from woundcare.messages import MessageError, identify, say

# Pydantic error kinds and the catalogued sentence (template id) each is shown as.
_FRIENDLY: dict[str, str] = {
    "missing": "problem.missing",
    "extra_forbidden": "problem.extra_forbidden",
    "int_parsing": "problem.whole_number",
    "int_type": "problem.whole_number",
    "int_from_float": "problem.whole_number",
    "float_parsing": "problem.number",
    "float_type": "problem.number",
    "bool_parsing": "problem.yes_no",
    "bool_type": "problem.yes_no",
    "string_type": "problem.text",
    "date_parsing": "problem.date",
    "date_from_datetime_parsing": "problem.date",
    "date_type": "problem.date",
    "datetime_parsing": "problem.datetime",
    "datetime_from_date_parsing": "problem.datetime",
    "datetime_type": "problem.datetime",
    "timezone_aware": "problem.timezone",
    "uuid_parsing": "problem.identifier",
    "uuid_type": "problem.identifier",
    "enum": "problem.choice",
    "literal_error": "problem.choice",
    "string_pattern_mismatch": "problem.format",
    "value_error": "problem.value",
    "model_type": "problem.object",
    "model_attributes_type": "problem.object",
    "list_type": "problem.list",
    "dict_type": "problem.object",
    "json_invalid": "problem.json",
}


class FieldProblem(BaseModel):
    """One problem with one field. ``path`` is dotted, e.g. ``vitals.heart_rate.value``."""

    model_config = ConfigDict(frozen=True)

    path: str
    code: str
    message: str


# A pattern's rule in words (a catalogued template), for the patterns people type: a generic
# "not in the expected format" does not say what would be right.
_PATTERN_RULES: dict[str, str] = {
    r"^\d{4,12}$": "problem.pin_rule",
    r"^[0-9]{4,12}$": "problem.pin_rule",
}


def _range_message(kind: str, ctx: dict[str, object]) -> str | None:
    bounds = {
        "greater_than_equal": ("problem.at_least", "ge"),
        "less_than_equal": ("problem.at_most", "le"),
        "greater_than": ("problem.more_than", "gt"),
        "less_than": ("problem.less_than", "lt"),
    }
    try:
        if kind in bounds:
            template, key = bounds[kind]
            return say(template, limit=ctx.get(key))
        if kind == "string_too_short":
            minimum = ctx.get("min_length")
            return say("problem.not_empty") if minimum == 1 else (
                say("problem.min_length", count=minimum)
            )
        if kind == "string_too_long":
            return say("problem.max_length", count=ctx.get("max_length"))
        if kind == "too_long":
            return say("problem.max_items", count=ctx.get("max_length"))
        if kind == "enum":
            options = re.findall(r"'([^']*)'", str(ctx.get("expected")))
            return say("problem.choose_of", options=options)
        if kind == "string_pattern_mismatch" and str(ctx.get("pattern")) in _PATTERN_RULES:
            return say(_PATTERN_RULES[str(ctx.get("pattern"))])
    except MessageError:
        return None  # a bound that is not a number, an option that is not a code
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
    if kind == "value_error" and raw.startswith("Value error, "):
        raw = raw.removeprefix("Value error, ")
    # Our own errors are rendered from the catalogue; any other text is not shown.
    if identify(raw) is not None:
        return raw
    return say(_FRIENDLY.get(kind, "problem.value"))
