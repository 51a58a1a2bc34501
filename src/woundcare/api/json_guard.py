"""Checks on a JSON body or query string before any route sees it: the nesting depth, NUL
characters (PostgreSQL text and jsonb cannot hold U+0000) and lone surrogates (not encodable
as UTF-8 by either store). Each refusal names the field, so it is a 422 and never a 500 from
the database driver or the JSON parser's recursion limit."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from woundcare.domain.problems import FieldProblem
from woundcare.service.errors import ApiError, validation

MAX_DEPTH = 32


def text_problem(path: str, text: str) -> FieldProblem | None:
    if "\x00" in text:
        return FieldProblem(path=path, code="nul_character",
                            message="This field contains a NUL character, which is not allowed.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return FieldProblem(path=path, code="invalid_unicode",
                            message="This field contains text that is not valid Unicode.")
    return None


def _join(path: str, part: str | int) -> str:
    return str(part) if not path else f"{path}.{part}"


def problems_in(value: Any, max_depth: int = MAX_DEPTH) -> list[FieldProblem]:
    """Walk a parsed JSON value without recursion; the first problem per field."""
    found: list[FieldProblem] = []
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack and len(found) < 20:
        path, item, depth = stack.pop()
        if isinstance(item, dict | list) and depth >= max_depth:
            found.append(FieldProblem(path=path or "body", code="too_deep",
                                      message=f"The JSON is nested more than {max_depth} "
                                              "levels deep."))
            continue
        if isinstance(item, dict):
            for key, child in item.items():
                problem = text_problem(_join(path, "(key)"), key)
                if problem is not None:
                    found.append(problem)
                    continue
                stack.append((_join(path, key), child, depth + 1))
        elif isinstance(item, list):
            for index, child in enumerate(item):
                stack.append((_join(path, index), child, depth + 1))
        elif isinstance(item, str):
            problem = text_problem(path or "body", item)
            if problem is not None:
                found.append(problem)
    return found


def _depth_exceeds(body: bytes, max_depth: int) -> bool:
    """A cheap scan for brackets outside strings (before parsing, which would recurse)."""
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > max_depth:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def check_json_body(body: bytes, max_depth: int = MAX_DEPTH) -> ApiError | None:
    """None if ``body`` may go on (malformed JSON is left to the route: 400 there)."""
    if not body.strip():
        return None
    if (body.count(b"[") + body.count(b"{") > max_depth) and _depth_exceeds(body, max_depth):
        return validation([FieldProblem(path="body", code="too_deep",
                                        message=f"The JSON is nested more than {max_depth} "
                                                "levels deep.")])
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return None
    problems = problems_in(parsed, max_depth)
    return validation(problems) if problems else None


def check_query(query_string: bytes) -> ApiError | None:
    try:
        text = query_string.decode("utf-8")
    except UnicodeDecodeError:
        return validation([FieldProblem(path="query", code="invalid_unicode",
                                        message="The query string is not valid UTF-8.")])
    problems = []
    for name, value in parse_qsl(text, keep_blank_values=True):
        for candidate in (name, value):
            problem = text_problem(f"query.{name}" if text_problem("", name) is None
                                    else "query", candidate)
            if problem is not None:
                problems.append(problem)
                break
    return validation(problems) if problems else None
