"""Finding 6: the bad-input corpus on both stores - no 5xx, and the named findings answer 422
naming the field. The held-out part (seeded random mutations, never tuned on) is asserted
separately so its figure can be reported on its own."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from tests.api.bad_input_corpus import Req, held_out, tuning
from tests.api.conftest import Api, World
from tests.api.flows import walk_to_signing
from woundcare.api.app import create_app


def test_the_corpus_is_big_enough() -> None:
    assert len(tuning()) >= 150
    assert len(held_out()) >= 50


class Runner:
    def __init__(self, world: World) -> None:
        self.world = world
        self.api = Api(create_app(world.runtime))
        self.api.login(world.alice)
        self.anonymous = Api(create_app(world.runtime))
        self.signing = walk_to_signing(self.api)
        self.case = self.api.fire(self.api.create_case(), "BEGIN")
        other = Api(create_app(world.runtime))
        other.login(world.mallory)
        self.other = other.create_case()

    def _fill(self, text: str) -> str:
        return (text.replace("{case}", self.case["case_id"])
                .replace("{signing}", self.signing["case_id"])
                .replace("{other}", self.other["case_id"])
                .replace("{bob}", str(self.world.bob.clinician_id)))

    def _version(self, which: str | None) -> int | None:
        if which is None:
            return None
        case_id = self.case["case_id"] if which == "case" else self.signing["case_id"]
        return int(self.api.get(f"/api/session/{case_id}").json()["version"])

    def send(self, req: Req) -> Any:
        client = self.api if req.auth else self.anonymous
        headers = dict(req.headers)
        path = self._fill(req.path)
        query = headers.pop("x-query", None)
        if query is not None:
            path += "?" + quote(query, safe="=&%", errors="surrogatepass")
        version = self._version(req.version)
        base = client.headers(version)
        base.update(headers)
        if req.raw is not None:
            content = self._fill(req.raw).encode("utf-8", "surrogatepass")
        elif req.body is not None:
            content = self._fill(json.dumps(req.body)).encode("utf-8", "surrogatepass")
        else:
            content = None
        if content is not None:
            base["Content-Type"] = "application/json"
        raw_headers = {k: v.encode("utf-8") for k, v in base.items()}  # non-ASCII as a client can
        return client.http.request(req.method, path, headers=raw_headers, content=content)


def _problems(runner: Runner, reqs: list[Req]) -> tuple[list[str], dict[int, int]]:
    failures: list[str] = []
    statuses: dict[int, int] = {}
    for req in reqs:
        response = runner.send(req)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            failures.append(f"{req.name}: {response.status_code}")
            continue
        if req.expect is not None and response.status_code != req.expect:
            failures.append(f"{req.name}: {response.status_code} (expected {req.expect}) "
                            f"{response.text[:200]}")
            continue
        if req.field is not None:
            paths = [e.get("path") for e in response.json().get("errors", [])]
            if req.field not in paths:
                failures.append(f"{req.name}: errors name {paths}, not {req.field}")
    return failures, statuses


@pytest.mark.slow
def test_tuning_corpus_has_no_5xx_and_names_the_fields(world: World) -> None:
    runner = Runner(world)
    reqs = tuning()
    failures, statuses = _problems(runner, reqs)
    print(f"tuning corpus on {world.backend.name}: {len(reqs)} requests, statuses {statuses}")
    print("FAILURES:\n" + "\n".join(failures))
    assert failures == []


@pytest.mark.slow
def test_held_out_corpus_has_no_5xx(world: World) -> None:
    runner = Runner(world)
    reqs = held_out()
    failures, statuses = _problems(runner, reqs)
    print(f"held-out corpus on {world.backend.name}: {len(reqs)} requests, statuses {statuses}")
    assert failures == []
