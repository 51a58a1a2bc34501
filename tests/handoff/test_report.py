"""The PDF report: real text (pdftotext finds every section and value), page images
(pdftoppm), page numbers, the PUSH attribution; served by the API only once the worker has
rendered it (202 + Retry-After before)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.api.flows import PHI, run_whole_case
from tests.factories import PHOTO_ID
from tests.handoff import records
from woundcare.demo import synthetic_photo
from woundcare.handoff.fhir import PhotoBytes
from woundcare.handoff.report import render_report
from woundcare.service.delivery import DeliveryWorker

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


def test_report_text_and_pages(tmp_path: Path) -> None:
    record = records.with_measurement(records.exported())
    ctx = records.context(photos={PHOTO_ID: PhotoBytes("image/jpeg",
                                                       synthetic_photo(sharp=True))},
                          push=records.push_score(9, 5, 1, 3))
    pdf = render_report(record, ctx)
    text = text_of(pdf, tmp_path)
    for expected in ("Wound-care visit report", "Testy McTestface", "ZZTEST-0001",
                     "data storage", "granted", "left heel (synthetic)",
                     "Traced outline shown", "Scale bar: 1 cm", "4.2 cm", "7.9 cm²",
                     "from 12 to 3 o'clock", "PUSH score", "NPIAP", "121/79 mmHg",
                     "36.9 °C", "Tissue: granulation", "70 %", "Signed by", "Dr Sampleton",
                     record.pin_linkage.record_digest, "Page 1 of"):  # type: ignore[union-attr]
        assert expected in text, expected
    pages = text.count("Page ")
    assert pages >= 2
    assert f"Page {pages} of {pages}" in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    assert all(p.stat().st_size > 5_000 for p in images)  # rendered content, not blank


def test_api_returns_202_until_the_worker_renders_it(api: Api, world: World,
                                                     tmp_path: Path) -> None:
    case = run_whole_case(api)
    path = f"/api/session/{case['case_id']}/export/report.pdf"
    pending = api.get(path)
    assert pending.status_code == 202
    assert int(pending.headers["Retry-After"]) > 0
    from woundcare.service.runtime import build_runtime

    runtime: Any = build_runtime(world.runtime.settings, db=world.backend.owner,
                                 keys=world.runtime.keys, blobs=world.runtime.blobs)
    outcomes = DeliveryWorker(runtime).run_until_idle(kinds=("report",))
    assert [o.status for o in outcomes] == ["delivered"]
    ready = api.get(path)
    assert ready.status_code == 200
    assert ready.headers["content-type"] == "application/pdf"
    text = text_of(ready.content, tmp_path)
    assert PHI["last_name"] in text
    assert "Follow-up questions" in text


def test_trend_over_earlier_visits(tmp_path: Path) -> None:
    from datetime import timedelta

    current = records.with_measurement(records.exported())
    history = []
    for weeks, area in ((4, 12.5), (2, 10.1)):
        visit = records.exported().model_copy(update={
            "created_at": current.created_at - timedelta(weeks=weeks)})
        measured = records.measurement().model_copy(update={"area_cm2": area,
                                                            "length_cm": 5.0})
        history.append(records.with_measurement(visit, measured))
    pdf = render_report(current, records.context(push=records.push_score(9, 5, 1, 3)),
                        history=history, history_push=[12, 11])
    text = text_of(pdf, tmp_path)
    assert "Trend over 3 visits of this wound." in text


def test_on_the_embedded_default_serve_renders_the_report_itself(api: Api,
                                                                   world: World) -> None:
    """``woundcare serve`` on SQLite runs the delivery worker in a thread: the report a
    clinician asks for arrives with no second command."""
    if world.backend.name != "sqlite":
        pytest.skip("on PostgreSQL the worker is its own process (operator role)")
    import time

    from woundcare.service.embedded_delivery import EmbeddedDelivery

    case = run_whole_case(api)
    path = f"/api/session/{case['case_id']}/export/report.pdf"
    assert api.get(path).status_code == 202
    delivery = EmbeddedDelivery(world.runtime)
    delivery.start()
    try:
        deadline = time.monotonic() + 120
        answer = api.get(path)
        while answer.status_code == 202 and time.monotonic() < deadline:
            time.sleep(0.5)
            answer = api.get(path)
    finally:
        delivery.stop()
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize(("url", "expected"), [("", True), ("postgresql://u@127.0.0.1/x", False)])
def test_serve_starts_the_embedded_worker_only_on_sqlite(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, expected: bool) -> None:
    from woundcare import server
    from woundcare.config import Settings
    from woundcare.service import embedded_delivery

    started: list[bool] = []
    monkeypatch.setattr(embedded_delivery.EmbeddedDelivery, "start",
                        lambda self: started.append(True))
    settings = Settings(data_dir=tmp_path, database_url=url, housekeeping_interval_minutes=0)
    runtime: Any = type("R", (), {"settings": settings})()
    monkeypatch.setattr(server, "start_metrics_listener", lambda *_: None)
    server._run_with_services(settings, runtime, lambda: None)
    assert bool(started) is expected
