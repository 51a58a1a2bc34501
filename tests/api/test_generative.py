"""Finding 6 (generative): every operation of ``/openapi.json`` driven by schemathesis on both
stores - valid (positive) and invalid (negative) data - with a bearer session, half of the
``case_id`` values pointing at a real case of the caller. Every answer must be below 500 and
conform to the schema (status codes, content types, bodies).

Bounded for CI: ``max_examples`` per operation and mode (``WOUNDCARE_GENERATIVE_EXAMPLES``,
default 12), no shrinking, no example database; about a minute per store on a shared machine.
Issue 13 relies on this file's path (tests/api/test_generative.py).
"""

from __future__ import annotations

import os
import random
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import Api, World
from woundcare.api.app import create_app

EXAMPLES = int(os.environ.get("WOUNDCARE_GENERATIVE_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# Operations that change who may do anything (log-out revokes the session every later example
# needs) are driven on a session of their own.
SESSION_ENDING = {("POST", "/api/auth/logout"), ("PUT", "/api/auth/password")}


def _bearer(app: Any, world: World) -> dict[str, str]:
    client = Api(app)
    response = client.http.post("/api/auth/token", json={"email": world.alice.email,
                                                         "password": world.alice.password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.slow
def test_every_operation_answers_below_500_and_as_documented(world: World) -> None:
    app = create_app(world.runtime)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    client = Api(app)
    client.login(world.alice)
    real_case = client.fire(client.create_case(), "BEGIN")["case_id"]
    headers = _bearer(app, world)
    rng = random.Random(8)
    failures: list[str] = []
    calls: list[int] = []
    operations = 0
    def drive(operation: Any, mode: GenerationMode) -> None:
        key = (operation.method.upper(), operation.path)

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            if "case_id" in (case.path_parameters or {}) and rng.random() < 0.5:
                case.path_parameters["case_id"] = real_case
            auth = _bearer(app, world) if key in SESSION_ENDING else headers
            response = case.call(headers=auth)
            calls.append(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # collected: one report for every operation
                failures.append(f"{key} {mode.value}: {str(exc)[:600]}")

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid (an operation without inputs)
            assert mode is GenerationMode.NEGATIVE

    for result in schema.get_all_operations():
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            drive(result.ok(), mode)
    print(f"generative on {world.backend.name}: {operations} operations, {len(calls)} "
          f"requests, {sum(c >= 500 for c in calls)} answers >= 500, "
          f"{len(failures)} check failures")
    assert operations >= 30
    assert failures == [], "\n\n".join(failures[:10])
