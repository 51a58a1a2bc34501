"""Prometheus metrics: prometheus-client's exposition on its own listener (never the API
port), the series the dashboard and alerts need, and labels that identify nobody."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.api.conftest import Api, World
from tests.api.flows import run_whole_case, walk_to_signing
from woundcare.service.metrics import (
    Metrics,
    exposition_registry,
    safe_label,
    start_metrics_server,
)

ROOT = Path(__file__).resolve().parents[2]


def scrape(metrics: Metrics) -> str:
    server = start_metrics_server(metrics, "127.0.0.1", 0)
    try:
        response = httpx.get(f"http://127.0.0.1:{server.port}/metrics", timeout=5)
    finally:
        server.close()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


def value(text: str, series: str) -> float:
    """The sample of ``series`` (name and exact label set as printed)."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{series} not exposed")


def test_the_public_port_does_not_serve_metrics(api: Api) -> None:
    response = api.http.get("/metrics")
    assert response.status_code == 404
    assert "woundcare_" not in response.text


def test_listener_serves_prometheus_client_output(api: Api, world: World) -> None:
    api.get("/api/cases")
    text = scrape(world.runtime.metrics)
    assert "# TYPE woundcare_http_requests_total counter" in text
    assert value(text, 'woundcare_http_requests_total{method="GET",route="/api/cases",'
                       'status="200"}') >= 1
    assert value(text, 'woundcare_http_request_duration_seconds_count{method="GET",'
                       'route="/api/cases"}') >= 1
    assert value(text, "process_cpu_seconds_total") > 0  # process metrics
    assert value(text, "woundcare_db_pool_checkouts_total") > 0
    assert value(text, "woundcare_db_pool_connections_in_use") == 0  # all returned
    assert value(text, "woundcare_db_pool_size") >= 1
    assert value(text, "woundcare_http_requests_in_flight") == 0


def test_workflow_security_and_outbox_series(app: Any, api: Api, world: World) -> None:
    case = walk_to_signing(api)
    url = f"/api/session/{case['case_id']}/sign"
    assert api.post(url, case["version"], json={"pin": "000000"}).status_code == 422
    stale = api.post(f"/api/session/{case['case_id']}/review", case["version"] - 1,
                     json={"attest": True})
    assert stale.status_code == 409
    bad = Api(app)
    assert bad.http.post("/api/auth/login", json={"email": world.alice.email,
                                                  "password": "wrong-password"}
                         ).status_code == 401
    world.runtime.metrics.count("break_glass")  # the hook the break-glass access calls
    world.runtime.metrics.set_gauge("woundcare_outbox_backlog", 7)
    world.runtime.metrics.outbox("fhir", "dead")  # the delivery worker's call
    world.runtime.metrics.outbox_counts({("fhir", "pending"): 2, ("pdf", "in_progress"): 1,
                                         ("fhir", "dead"): 1, ("pdf", "delivered"): 9})
    world.runtime.metrics.inc("woundcare_outbox_delivered_total", 2, destination="archive")
    text = scrape(world.runtime.metrics)
    assert value(text, "woundcare_pin_failures_total") == 1
    assert value(text, 'woundcare_security_events_total{kind="pin_rejected"}') == 1
    assert value(text, 'woundcare_login_failures_total{reason="bad_credentials"}') == 1
    assert value(text, "woundcare_autosave_conflicts_total") == 1
    assert value(text, 'woundcare_autosave_total{outcome="conflict"}') == 1
    assert value(text, 'woundcare_autosave_total{outcome="saved"}') >= 10
    assert value(text, 'woundcare_step_duration_seconds_count{agent="bio",outcome="saved"}') == 1
    assert value(text, "woundcare_break_glass_access_total") == 1
    assert value(text, "woundcare_outbox_backlog") == 3
    assert value(text, "woundcare_outbox_dead_letters") == 1
    assert value(text, 'woundcare_outbox_deliveries_total{kind="fhir",outcome="dead"}') == 1
    assert text.count('outcome="dead"') == 1  # no *_created twin series
    assert value(text, 'woundcare_outbox_delivered_total{destination="archive"}') == 2
    assert value(text, "woundcare_key_rotation_period_days") == 90


def test_no_identifier_in_any_label(api: Api, world: World) -> None:
    case = run_whole_case(api)
    walk = walk_to_signing(api)
    api.post(f"/api/session/{walk['case_id']}/sign", walk["version"], json={"pin": "000000"})
    api.get(f"/api/session/{uuid4()}")
    text = scrape(world.runtime.metrics)
    for account in (world.alice, world.bob, world.mallory, world.admin):
        assert str(account.clinician_id) not in text
        assert account.email not in text
    assert case["case_id"] not in text
    assert walk["case_id"] not in text
    assert "testclient" not in text  # the client address
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    assert not uuid.search(text)
    assert "@" not in text


def test_metric_labels_stay_few_whatever_clients_send(api: Api, world: World) -> None:
    for method in ("FOO", "BAR", "BAZ"):
        api.http.request(method, f"/api/session/{uuid4()}")
    api.get(f"/api/session/{uuid4()}/nothing-here")
    text = scrape(world.runtime.metrics)
    methods = set(re.findall(r'woundcare_http_requests_total\{method="(\w+)"', text))
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"}
    assert "nothing-here" not in text


def test_generic_hooks_refuse_identifying_labels() -> None:
    metrics = Metrics(process_metrics=False)
    with pytest.raises(ValueError, match="identify"):
        metrics.inc("woundcare_outbox_failures_total", clinician_id="x")
    with pytest.raises(ValueError, match="woundcare_"):
        metrics.set_gauge("other_metric", 1)
    metrics.inc("woundcare_outbox_failures_total", kind=str(uuid4()))
    metrics.count("case " + str(uuid4()))
    assert safe_label("someone@example.test") == "other"
    assert safe_label("0123456789") == "other"
    text = metrics.render()
    assert 'woundcare_outbox_failures_total{kind="other"} 1.0' in text
    assert 'woundcare_security_events_total{kind="other"} 1.0' in text


WORKER = """
import sys
import time
from woundcare.service.metrics import Metrics
m = Metrics()
for _ in range(int(sys.argv[1])):
    m.count("login_failed")
m.observe("GET", "/api/cases", 200, 0.01)
"""


def test_multiprocess_mode_adds_the_workers_up(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for count in (2, 3):
        subprocess.run([sys.executable, "-c", WORKER, str(count)], env=env, check=True,
                       timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    from prometheus_client import generate_latest

    text = generate_latest(exposition_registry(None)).decode()
    assert value(text, 'woundcare_login_failures_total{reason="bad_credentials"}') == 5
    assert value(text, 'woundcare_http_requests_total{method="GET",route="/api/cases",'
                       'status="200"}') == 2


def test_serve_prepares_multiprocess_mode_for_several_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from woundcare.config import Settings
    from woundcare.server import prepare_worker_metrics, start_metrics_listener

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")  # unset, and restored after the test
    settings = Settings(data_dir=tmp_path, metrics_port=8000, port=8000)
    assert prepare_worker_metrics(settings, 1) is None
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == ""
    stale = tmp_path / "prometheus-multiproc" / "counter_1.db"
    stale.parent.mkdir()
    stale.write_bytes(b"old run")
    directory = prepare_worker_metrics(settings, 3)
    assert directory == str(tmp_path / "prometheus-multiproc")
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == directory
    assert not stale.exists()  # a previous run's values are not added in
    with pytest.raises(SystemExit, match="must differ from the API port"):
        start_metrics_listener(settings, None)
    assert start_metrics_listener(settings.model_copy(update={"metrics_port": 0}), None) is None


def test_two_workers_are_added_up_on_the_metrics_port(tmp_path: Path) -> None:
    """``woundcare serve --workers 2``: one listener, every worker's requests counted."""
    from tests.e2e.conftest import _free_port, serve_command

    port, metrics_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WOUNDCARE_", "OTEL_", "PROMETHEUS_"))}
    env.update({"WOUNDCARE_DATA_DIR": str(tmp_path / "data"), "WOUNDCARE_PROFILE": "dev",
                "WOUNDCARE_METRICS_PORT": str(metrics_port),
                "WOUNDCARE_PASSWORD_HASH_FAST": "true"})
    with (tmp_path / "err").open("wb") as err:
        process = subprocess.Popen([*serve_command(), "--port", str(port), "--workers", "2"],
                                   cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                   stderr=err)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, (tmp_path / "err").read_text()[-3000:]
            time.sleep(0.2)
        for _ in range(20):  # new connections: uvicorn's workers share the socket
            assert httpx.get(f"{base}/api/cases").status_code == 401
        text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert value(text, 'woundcare_http_requests_total{method="GET",route="/api/cases",'
                       'status="401"}') == 20
    assert (tmp_path / "data" / "prometheus-multiproc").is_dir()
