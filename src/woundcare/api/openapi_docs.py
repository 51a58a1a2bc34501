"""``/openapi.json`` states every answer a route can give, the middleware's included: any
request may be refused before its route runs (400 unreadable JSON, 401/403 authentication and
CSRF, 413 too large, 415 media type, 422 the body guard, 429 rate limit), any of them may be
503 when the database connection was lost (``database_unavailable``), and any password or PIN
check may be 503 while every Argon2 slot is busy. The generative API test holds the schema to
this."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from woundcare.api.schemas import problems

EVERY_API_OPERATION = (400, 401, 403, 413, 415, 422, 429, 503)
WRITES = (409, 428)
_METHODS = ("get", "put", "post", "delete", "patch")


def install_openapi(app: FastAPI) -> None:
    def documented() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            add_common_responses(schema)
            add_problem_schema(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = documented  # type: ignore[method-assign]


def add_problem_schema(schema: dict[str, Any]) -> None:
    """The error body's schema (and the schemas it refers to) under components."""
    from woundcare.api.errors import Problem

    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in problem.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components.setdefault("Problem", problem)


def add_common_responses(schema: dict[str, Any]) -> None:
    for path, item in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            statuses = EVERY_API_OPERATION + (WRITES if method != "get" else ())
            responses = operation.setdefault("responses", {})
            problem = {"application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"}}}
            for status, spec in problems(*statuses).items():
                existing = responses.get(str(status))
                if existing is None or "application/problem+json" not in existing.get(
                        "content", {}):
                    # (FastAPI's own 422 says application/json; the handler answers
                    # problem+json)
                    responses[str(status)] = {"description": spec["description"],
                                              "content": problem}
