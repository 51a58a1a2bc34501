"""The alert rules and the dashboard are tested: promtool checks and unit-tests every rule,
the unit tests bite (a loosened threshold fails them), every dashboard expression is valid
PromQL, every alert points at a panel that exists and the runbook names, and every metric a
panel or rule reads is really exposed by the service (or by ``woundcare keys status
--prometheus``, the one series the application role cannot compute under RLS)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.api.conftest import Api, Backend, build_world
from tests.api.flows import walk_to_signing
from woundcare.api.app import create_app
from woundcare.logging import configure_logging
from woundcare.storage import Database, migrate
from woundcare.workflow.orchestrator import Orchestrator

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "monitoring"
ALERTS = MONITORING / "alerts.yml"
DASHBOARD = MONITORING / "grafana-dashboard.json"
UNIT_TESTS = sorted((MONITORING / "tests").glob("*.yml"))
FROM_PROMETHEUS = {"up"}
FROM_KEYS_COMMAND = {"woundcare_cases_on_old_key_version"}
_SELECTOR = re.compile(r"\b((?:woundcare|process)_[a-z_]+)\b(?:\{([^}]*)\})?")
_MATCHER = re.compile(r'(\w+)\s*(=~|=|!=|!~)\s*"((?:[^"\\]|\\.)*)"')


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        message = "promtool not found (Debian's prometheus package; scripts/install-tools.sh)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=300,
                          check=False)


def rules() -> list[dict[str, Any]]:
    return [rule for group in yaml.safe_load(ALERTS.read_text())["groups"]
            for rule in group["rules"]]


def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return data


def panels() -> list[dict[str, Any]]:
    return [p for p in dashboard()["panels"] if p["type"] != "row"]


def panel_expressions() -> list[str]:
    return [target["expr"] for panel in panels() for target in panel["targets"]]


def concrete(expr: str) -> str:
    """A Grafana expression with its variables filled in, as Prometheus would get it."""
    return expr.replace("$__rate_interval", "5m").replace("$job", ".*")


def test_promtool_checks_the_rules() -> None:
    result = run(promtool(), "check", "rules", str(ALERTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules())} rules found" in result.stdout


def test_promtool_unit_tests_pass() -> None:
    assert UNIT_TESTS
    result = run(promtool(), "test", "rules", *map(str, UNIT_TESTS), cwd=MONITORING / "tests")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(UNIT_TESTS)


def test_every_alert_has_a_firing_and_a_quiet_unit_test() -> None:
    firing: set[str] = set()
    quiet: set[str] = set()
    for path in UNIT_TESTS:
        for test in yaml.safe_load(path.read_text())["tests"]:
            for check in test.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = {rule["alert"] for rule in rules()}
    assert names - firing == set(), "alerts never shown firing"
    assert names - quiet == set(), "alerts never shown staying quiet"
    assert (firing | quiet) <= names, "unit tests for alerts that no longer exist"


def test_the_unit_tests_catch_a_loosened_threshold(tmp_path: Path) -> None:
    tool = promtool()
    loosened = ALERTS.read_text().replace(
        "sum(increase(woundcare_pin_failures_total[10m])) > 10",
        "sum(increase(woundcare_pin_failures_total[10m])) > 100")
    assert loosened != ALERTS.read_text()
    (tmp_path / "alerts.yml").write_text(loosened)
    (tmp_path / "tests").mkdir()
    shutil.copy(MONITORING / "tests" / "security_test.yml", tmp_path / "tests")
    result = run(tool, "test", "rules", "security_test.yml", cwd=tmp_path / "tests")
    assert result.returncode != 0
    assert "WoundcarePinFailuresHigh" in result.stdout + result.stderr


def test_every_dashboard_expression_is_valid_promql(tmp_path: Path) -> None:
    expressions = panel_expressions()
    assert len(expressions) >= 20
    recording = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:panel_{i}", "expr": concrete(expr)}
        for i, expr in enumerate(expressions)]}]}
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump(recording))
    result = run(promtool(), "check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_alerts_point_at_panels_and_the_runbook_names_them() -> None:
    titles = {panel["title"] for panel in panels()}
    runbook = " ".join((ROOT / "docs" / "incident-response.md").read_text().split())
    slo = (ROOT / "docs" / "slo.md").read_text()
    for rule in rules():
        annotations = rule["annotations"]
        board, _, title = annotations["dashboard"].partition(" / ")
        assert board == dashboard()["title"], rule["alert"]
        assert title in titles, (rule["alert"], title)
        assert title in runbook, f"docs/incident-response.md does not name panel {title!r}"
        assert rule["alert"] in runbook, f"docs/incident-response.md does not explain {rule}"
        if "slo" in annotations:
            anchor = annotations["slo"].split("#", 1)[1]
            assert re.search(rf"^## .*{anchor.replace('-', '.')}", slo, re.I | re.M), anchor
    for required in ("Request rate by route", "Errors (5xx ratio) by route",
                     "p99 latency by route", "Autosave success (SLO 99.95 %)",
                     "PIN and log-in failures", "Key-rotation drift", "Outbox",
                     "Database pool", "Process"):
        assert required in titles


def selectors(expressions: list[str]) -> list[tuple[str, dict[str, tuple[str, str]]]]:
    found = []
    for expr in expressions:
        for name, matchers in _SELECTOR.findall(expr):
            labels = {label: (op, value) for label, op, value in _MATCHER.findall(matchers)
                      if label not in ("job", "instance", "le")}
            found.append((name, labels))
    return found


def exposed(text: str, name: str, labels: dict[str, tuple[str, str]]) -> bool:
    for line in text.splitlines():
        match = re.match(rf"{name}(?:\{{(.*)\}})? \S+$", line)
        if match is None:
            continue
        have = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or ""))
        ok = True
        for label, (op, pattern) in labels.items():
            value = have.get(label, "")
            if op == "=":
                ok &= value == pattern
            elif op == "=~":
                ok &= re.fullmatch(pattern, value) is not None
        if ok:
            return True
    return False


def exercise(tmp_path: Path, backend: Backend, monkeypatch: pytest.MonkeyPatch) -> str:
    """Make every kind of event happen once through the API; returns the scrape."""
    from tests.observability.test_metrics import scrape

    world = build_world(tmp_path, backend, login_max_attempts=2,
                        key_activated_on=date(2026, 1, 1))
    app = create_app(world.runtime)
    api = Api(app)
    api.login(world.alice)
    from tests.api.flows import bio_body

    ready = walk_to_signing(api)  # consent declines the team board: that export is refused
    ready = api.step(ready, "sign", json={"pin": world.alice.pin})
    ready = api.fire(ready, "CLINICIAN_LINKED")
    refused = api.post(f"/api/session/{ready['case_id']}/export", ready["version"],
                       json={"destinations": ["team_board"]})
    assert refused.status_code == 422
    case = walk_to_signing(api)
    sign = f"/api/session/{case['case_id']}/sign"
    for _ in range(world.runtime.settings.pin_max_attempts):
        api.post(sign, case["version"], json={"pin": "000000"})  # refused, then locked
    assert api.post(f"/api/session/{case['case_id']}/review", case["version"] - 1,
                    json={"attest": True}).status_code == 409
    stranger = Api(app)
    for _ in range(3):  # wrong passwords, then the account's limit
        stranger.http.post("/api/auth/login", json={"email": world.bob.email,
                                                     "password": "not-the-password"})
    mallory = Api(app)
    mallory.login(world.mallory)
    assert mallory.get(f"/api/session/{case['case_id']}").status_code == 404

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("synthetic storage failure")

    monkeypatch.setattr(Orchestrator, "submit", broken)
    fresh = api.fire(api.create_case(), "BEGIN")
    configure_logging("INFO", stream=io.StringIO())  # the service's logging: no rich traceback
    try:
        assert api.post(f"/api/session/{fresh['case_id']}/bio", fresh["version"],
                        json=bio_body()).status_code == 500
    finally:
        configure_logging("INFO")
    monkeypatch.undo()
    # break-glass: an organisation administrator opens a case they are not on, with a reason
    admin = Api(app)
    admin.login(world.admin)
    glass = admin.post(f"/api/cases/{fresh['case_id']}/delegations",
                       json={"clinician_id": str(world.admin.clinician_id),
                             "reason": "emergency_care"})
    assert glass.status_code == 201, glass.text
    # the outbox's hook (its own tests drive the real deliveries)
    world.runtime.metrics.outbox("fhir", "delivered")
    world.runtime.metrics.outbox(backlog=3, dead_letters=0)
    return scrape(world.runtime.metrics)


def keys_command_output(tmp_path: Path, backend: Backend) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WOUNDCARE_")}
    env.update({"WOUNDCARE_DATA_DIR": str(tmp_path / "keys-data"),
                "WOUNDCARE_DATABASE_URL": backend.url})
    result = subprocess.run([sys.executable, "-m", "woundcare.cli", "keys", "status",
                             "--prometheus"], env=env, capture_output=True, text=True,
                            timeout=120, check=True)
    return result.stdout


def test_every_metric_a_panel_or_rule_reads_is_exposed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Exposure does not depend on the store (the metrics tests run on both): SQLite only.
    url = f"sqlite:///{tmp_path / 'woundcare.db'}"
    migrate.upgrade(url)
    database = Database(url)
    backend = Backend("sqlite", url, database, database)
    text = exercise(tmp_path, backend, monkeypatch)
    keys_text = keys_command_output(tmp_path, backend)
    wanted = selectors([rule["expr"] for rule in rules()] + panel_expressions())
    assert len({name for name, _ in wanted}) >= 20
    missing = []
    for name, labels in wanted:
        source = keys_text if name in FROM_KEYS_COMMAND else text
        if name in FROM_PROMETHEUS:
            continue
        if not exposed(source, name, labels):
            missing.append((name, labels))
    assert not missing, missing
