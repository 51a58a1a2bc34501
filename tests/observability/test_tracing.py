"""OpenTelemetry: off by default (the SDK is not even imported), a span per route, step,
statement and outgoing call when on, the trace id in every log line, and no PHI in any span
(in-memory exporter, an OTLP/HTTP receiver on loopback, and the console exporter of a real
``woundcare serve``)."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode

from tests.api.conftest import Api, World
from tests.api.flows import PHI, bio_body, phi_in, run_whole_case
from woundcare import telemetry
from woundcare.api.app import create_app
from woundcare.logging import configure_logging
from woundcare.telemetry.redaction import RedactingSpanProcessor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_telemetry() -> Iterator[None]:
    telemetry.reset()
    yield
    telemetry.reset()


def leaks(text: str) -> list[str]:
    return phi_in(text)


def test_off_by_default_imports_no_sdk() -> None:
    code = ("import sys\n"
            "from woundcare.api.app import create_app\n"
            "import woundcare.server, woundcare.service.cases\n"
            "from woundcare import telemetry\n"
            "assert telemetry.configure() is None\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('opentelemetry.sdk',"
            " 'opentelemetry.instrumentation', 'opentelemetry.exporter',"
            " 'woundcare.telemetry.setup', 'woundcare.telemetry.redaction')))\n"
            "print(bad)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True, timeout=60).stdout
    assert out.strip() == "[]"
    assert not telemetry.enabled({})
    assert not telemetry.enabled({"OTEL_TRACES_EXPORTER": "none"})
    assert telemetry.enabled({"OTEL_TRACES_EXPORTER": "console"})
    assert not telemetry.enabled({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"})


def test_redaction_keeps_only_the_allow_list() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(RedactingSpanProcessor(SimpleSpanProcessor(exporter)))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span(f"GET /api/session/{PHI['last_name']}") as span:
        span.set_attribute("db.statement", f"SELECT * FROM cases WHERE mrn = '{PHI['mrn']}'")
        span.set_attribute("url.full", f"https://x.test/api/cases?mrn={PHI['mrn']}")
        span.set_attribute("http.target", f"/api/cases?name={PHI['first_name']}")
        span.set_attribute("client.address", "203.0.113.9")
        span.set_attribute("http.route", "/api/cases")
        span.set_attribute("http.response.status_code", 200)
        span.set_attribute("woundcare.state", f"call {PHI['phone']}")
        span.record_exception(ValueError(f"bad {PHI['first_name']}"))
        span.set_status(Status(StatusCode.ERROR, f"ValueError: {PHI['mrn']}"))
    (finished,) = exporter.get_finished_spans()
    assert finished.name == "GET"
    assert dict(finished.attributes or {}) == {
        "http.route": "/api/cases", "http.response.status_code": 200,
        "woundcare.state": "call [redacted]"}
    (event,) = finished.events
    assert dict(event.attributes or {}) == {"exception.type": "ValueError"}
    assert finished.status.description is None
    assert not leaks(finished.to_json())


def _boom_app(world: World) -> Any:
    app = create_app(world.runtime)

    @app.get("/api/test-boom")
    def boom() -> None:  # an unexpected failure whose message carries PHI
        raise ValueError(f"cannot handle {PHI['first_name']} {PHI['mrn']}")

    app.router.routes.insert(0, app.router.routes.pop())
    return app


def _exercise(app: Any, world: World) -> dict[str, Any]:
    api = Api(app)
    api.login(world.alice)
    case = run_whole_case(api)
    fresh = api.fire(api.create_case(), "BEGIN")
    api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"],
             json={"patient": {"first_name": PHI["first_name"], "age": PHI["mrn"]}})
    api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"] + 7, json=bio_body())
    api.get("/api/cases", params={"mrn": PHI["mrn"] + "'; DROP TABLE cases; --"})
    api.get(f"/api/session/{PHI['last_name']}")
    api.get(f"/api/{PHI['email']}/nothing", params={"q": PHI["notes"]})
    assert api.get("/api/test-boom").status_code == 500
    return case


def test_a_whole_case_yields_spans_without_phi(world: World) -> None:
    exporter = InMemorySpanExporter()
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    try:
        telemetry.configure({}, span_exporters=[exporter])
        telemetry.instrument_engine(world.runtime.db.engine)
        case = _exercise(_boom_app(world), world)
        # outgoing HTTP (to nowhere: a closed loopback port)
        with httpx.Client() as client, pytest.raises(httpx.HTTPError):
            client.get(f"http://127.0.0.1:9/{PHI['last_name']}?mrn={PHI['mrn']}", timeout=1)
    finally:
        configure_logging("INFO")
    spans = exporter.get_finished_spans()
    assert len(spans) > 100
    dumped = [span.to_json() for span in spans]
    hits = [text for text in dumped if leaks(text)]
    assert not hits, hits[:2]
    assert not any(case["case_id"] in text for text in dumped)  # no values at all

    by_name = {span.name for span in spans}
    assert "POST /api/session/{case_id}/bio" in by_name
    steps = [s for s in spans if s.name == "woundcare.step"]
    agents = {(s.attributes or {}).get("woundcare.agent") for s in steps}
    assert {"bio", "vitals", "time", "security", "export", "transition"} <= agents
    events = {(s.attributes or {}).get("woundcare.event") for s in steps}
    assert {"BIO_CONFIRMED", "STORED"} <= events
    assert all((s.attributes or {}).get("woundcare.state") for s in steps)
    assert all(s.parent is not None for s in steps)  # inside the route's span
    db = [s for s in spans if (s.attributes or {}).get("db.system")]
    assert db
    assert not any("db.statement" in (s.attributes or {}) for s in db)
    assert any(s.name.startswith("GET") and s.kind.name == "CLIENT" for s in spans)  # httpx
    boom = [s for s in spans if (s.attributes or {}).get("http.route") == "/api/test-boom"]
    assert boom
    assert any(e.name == "exception" for s in boom for e in s.events)

    # the trace id in every request's log lines, matching a span
    trace_ids = {format(s.context.trace_id, "032x") for s in spans}
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    requests = [line for line in lines if line.get("event") == "http.request"]
    assert requests
    assert all(line.get("trace_id") in trace_ids for line in requests)
    assert not [line for line in lines if leaks(json.dumps(line))]


class _Receiver(BaseHTTPRequestHandler):
    bodies: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        self.bodies.append((self.path, data))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        del args


def test_an_otlp_http_receiver_on_loopback_gets_the_spans(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
        ExportTraceServiceRequest,
    )

    if world.backend.name != "sqlite":
        pytest.skip("the exporter path does not depend on the store (both run the PHI test)")
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SERVICE_NAME": "woundcare-test",
               "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{server.server_port}"}
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        telemetry.configure()
        telemetry.instrument_engine(world.runtime.db.engine)
        _exercise(_boom_app(world), world)
        telemetry.reset()  # flushes the batch
    finally:
        server.shutdown()
        server.server_close()
    paths = {path for path, _ in _Receiver.bodies}
    assert paths == {"/v1/traces"}
    names: set[str] = set()
    services: set[str] = set()
    for _, body in _Receiver.bodies:
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        assert not leaks(str(request))
        for resource_spans in request.resource_spans:
            services.update(a.value.string_value for a in resource_spans.resource.attributes
                            if a.key == "service.name")
            for scope in resource_spans.scope_spans:
                names.update(span.name for span in scope.spans)
    assert services == {"woundcare-test"}
    assert {"woundcare.step", "POST /api/cases", "GET /api/cases"} <= names


def test_serve_prints_console_spans_and_metrics_listen_apart(tmp_path: Path) -> None:
    """``woundcare serve`` with OTEL_TRACES_EXPORTER=console and WOUNDCARE_METRICS_PORT."""
    from tests.e2e.conftest import _free_port, serve_command

    port, metrics_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WOUNDCARE_", "OTEL_", "PROMETHEUS_"))}
    env.update({"WOUNDCARE_DATA_DIR": str(tmp_path / "data"), "WOUNDCARE_PROFILE": "dev",
                "WOUNDCARE_METRICS_PORT": str(metrics_port), "OTEL_TRACES_EXPORTER": "console",
                "WOUNDCARE_PASSWORD_HASH_FAST": "true"})
    out, err = (tmp_path / "out").open("wb"), (tmp_path / "err").open("wb")
    process = subprocess.Popen([*serve_command(), "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=out, stderr=err)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, (tmp_path / "err").read_text()
            threading.Event().wait(0.2)
        assert httpx.get(f"{base}/api/cases").status_code == 401
        assert httpx.get(f"{base}/metrics").status_code == 404
        scraped = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5)
        assert scraped.status_code == 200
        assert 'route="/api/cases",status="401"' in scraped.text
        assert "process_resident_memory_bytes" in scraped.text
    finally:
        process.terminate()
        process.wait(timeout=15)
    printed = (tmp_path / "out").read_text()
    assert '"http.route": "/api/cases"' in printed
    logs = [json.loads(line) for line in (tmp_path / "err").read_text().splitlines()
            if line.startswith("{")]
    assert any(line.get("event") == "http.request" and line.get("trace_id") for line in logs)
