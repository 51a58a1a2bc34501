"""`/metrics` serves every metric the alert rules read (key drift comes from
`woundcare keys status --prometheus`), with labels that carry no case id or PHI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from uuid import uuid4

import yaml

from tests.api.conftest import Api, World
from tests.api.test_bad_input import _case_at_signing

ROOT = Path(__file__).resolve().parents[2]
# Gauges written by commands for a textfile collector (`woundcare keys status --prometheus`,
# `woundcare export worker --metrics-file` / `woundcare export outbox --prometheus`).
FROM_KEYS_COMMAND = {"woundcare_cases_on_old_key_version", "woundcare_outbox_entries"}


def alert_series() -> list[tuple[str, dict[str, str]]]:
    """(metric, label matchers) of every selector in monitoring/alerts.yml."""
    rules = yaml.safe_load((ROOT / "monitoring" / "alerts.yml").read_text())
    found = []
    for group in rules["groups"]:
        for rule in group["rules"]:
            for name, matchers in re.findall(r"(woundcare_\w+)(?:\{([^}]*)\})?", rule["expr"]):
                labels = dict(re.findall(r'(\w+)=~?"([^"]*)"', matchers))
                found.append((name, labels))
    return found


def exposed(text: str, name: str, labels: dict[str, str]) -> bool:
    for line in text.splitlines():
        match = re.match(rf"{name}\{{(.*)\}} \d+", line)
        if match is None:
            continue
        have = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if all(label in have and re.fullmatch(pattern, have[label])
               for label, pattern in labels.items()):
            return True
    return False


def test_every_alert_reads_a_metric_the_server_exposes(app: Any, api: Api, world: World) -> None:
    # produce each kind of event once
    signing = _case_at_signing(api)
    api.post(f"/api/session/{signing['case_id']}/sign", signing["version"], json={"pin": "0"})
    api.post(f"/api/session/{signing['case_id']}/sign", signing["version"],
             json={"pin": "000000"})
    mallory = Api(app)
    mallory.login(world.mallory)
    assert mallory.get(f"/api/session/{signing['case_id']}").status_code == 404
    no_consent = api.fire(api.create_case(), "BEGIN")
    ready = _case_at_signing(api)
    ready = api.step(ready, "sign", json={"pin": world.alice.pin})
    ready = api.fire(ready, "CLINICIAN_LINKED")
    refused = api.post(f"/api/session/{ready['case_id']}/export", ready["version"],
                       json={"destinations": ["team_board"]})
    assert refused.json()["errors"][0]["code"] == "consent_required"

    @app.post("/api/test-write-failure")
    def failing_write() -> None:
        raise RuntimeError("synthetic storage failure")

    app.router.routes.insert(0, app.router.routes.pop())
    assert api.post("/api/test-write-failure").status_code == 500

    text = api.http.get("/metrics").text
    for name, labels in alert_series():
        if name not in FROM_KEYS_COMMAND:
            assert exposed(text, name, labels), (name, labels, text)
    assert f'woundcare_pin_failures_total{{clinician_id="{world.alice.clinician_id}"}} 1' in text
    for case in (signing, no_consent, ready):
        assert case["case_id"] not in text
    assert str(uuid4())[:8] not in text


def test_metric_labels_stay_few_whatever_clients_send(api: Api) -> None:
    for method in ("FOO", "BAR", "BAZ"):
        api.http.request(method, f"/api/session/{uuid4()}")
    api.get(f"/api/session/{uuid4()}/nothing-here")
    text = api.http.get("/metrics").text
    methods = set(re.findall(r'woundcare_http_requests_total\{method="(\w+)"', text))
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"}
    assert "nothing-here" not in text
