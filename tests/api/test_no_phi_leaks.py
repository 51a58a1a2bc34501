"""A whole case with distinctive synthetic PHI; everything emitted is scanned: every log line
(structlog, the standard library, uvicorn's access format), every audit row, every error body.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from sqlalchemy import select

from tests.api.conftest import Api, World
from tests.api.flows import PHI, bio_body, phi_in, run_whole_case
from woundcare.api.app import create_app
from woundcare.logging import configure_logging
from woundcare.storage.schema import audit_events


def leaks(text: str) -> list[str]:
    return phi_in(text)


@pytest.fixture
def captured() -> Any:
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    yield stream
    configure_logging("INFO")


def test_nothing_emitted_contains_phi(world: World, captured: io.StringIO) -> None:
    app = create_app(world.runtime)

    @app.get("/api/test-boom")
    def boom() -> None:  # an unexpected failure whose message carries PHI
        raise ValueError(f"cannot handle {PHI['first_name']} {PHI['mrn']}")

    app.router.routes.insert(0, app.router.routes.pop())  # before the console's mount

    api = Api(app)
    api.login(world.alice)
    case = run_whole_case(api)
    errors: list[str] = []
    url = f"/api/session/{case['case_id']}"
    fresh = api.fire(api.create_case(), "BEGIN")
    for response in (
        api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"],
                 json={"patient": {"first_name": PHI["first_name"], "age": PHI["mrn"]}}),
        api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"],
                 json={"patient": {"date_of_birth": PHI["date_of_birth"] + "x",
                                   "mrn": PHI["mrn"] + "!!", "contact": {
                                       "phone": PHI["phone"] + "-abc", "email": "Zqxjv@"}}}),
        api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"] + 7, json=bio_body()),
        api.post(f"/api/session/{fresh['case_id']}/events/BIO_CONFIRMED", fresh["version"]),
        api.post(f"{url}/bio", case["version"], json=bio_body()),
        api.post(f"{url}/sign", case["version"], json={"pin": "000000"}),
        api.get("/api/cases", params={"mrn": PHI["mrn"] + "'; DROP TABLE cases; --"}),
        # PHI as a key, in a query, a path, a file name, a form field and a file's bytes
        api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"],
                 json={"patient": {f"{PHI['first_name']} {PHI['last_name']}": PHI["mrn"]}}),
        api.get("/api/cases", params={"state": PHI["first_name"], "limit": PHI["mrn"]}),
        api.get(f"/api/session/{PHI['last_name']}"),
        api.post(f"/api/session/{fresh['case_id']}/artifacts", fresh["version"],
                 data={"kind": "image", "site": PHI["address"] + "x" * 300},
                 files={"file": (f"{PHI['first_name']}_{PHI['mrn']}.jpg",
                                 f"not an image: {PHI['notes']}".encode(), "image/jpeg")}),
        api.post(f"/api/session/{fresh['case_id']}/artifacts", fresh["version"],
                 data={"kind": PHI["first_name"]},
                 files={"file": (f"{PHI['email']}.pdf", b"%PDF-1.4", "application/pdf")}),
        api.post(f"/api/session/{fresh['case_id']}/artifacts", fresh["version"],
                 content=f'--b\r\nContent-Disposition: form-data; name="file"; filename='
                         f'"{PHI["last_name"]}.jpg"\r\n\r\n{PHI["notes"]}'.encode(),
                 headers={"Content-Type": "multipart/form-data; boundary=b"}),
        api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"],
                 content=PHI["notes"].encode(), headers={"Content-Type": "text/plain"}),
        api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"],
                 content=b'{"patient": {"first_name": "' + PHI["first_name"].encode(),
                 headers={"Content-Type": "application/json"}),
        api.get("/api/test-boom"),
        api.http.post("/api/auth/login", json={"email": PHI["email"], "password": "Zqxjv"}),
    ):
        assert response.status_code >= 400 or response.request.method == "GET"
        if response.status_code >= 400:
            errors.append(response.text)
            if response.status_code != 409:  # a 409 carries the (authorised) snapshot
                assert not leaks(response.text), (response.status_code, response.text)
    assert any('"internal_error"' in e for e in errors)

    # the standard library and uvicorn's access line go through the same redaction
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/api/cases?mrn={PHI['mrn']}",
        "1.1", 200)
    logging.getLogger("some.library").warning("lookup failed for %s", PHI["first_name"])
    logging.getLogger("some.library").warning(f"contact {PHI['email']} {PHI['phone']}")

    lines = captured.getvalue().splitlines()
    assert len(lines) > 50
    for line in lines:
        json.loads(line)  # every line is JSON
        assert not leaks(line), line
    assert any('"route": "/api/cases"' in line and '"status": 200' in line for line in lines)
    assert any('"error_type": "ValueError"' in line for line in lines)

    assert not leaks(world.runtime.metrics.render())

    with world.backend.owner.unit_of_work(None, read_only=True) as uow:
        rows = uow.conn.execute(select(audit_events)).mappings().all()
    assert len(rows) > 20
    for row in rows:
        text = json.dumps({k: str(v) for k, v in row.items()})
        assert not leaks(text), text
