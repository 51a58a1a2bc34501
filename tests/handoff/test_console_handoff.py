"""A nurse downloads the signed FHIR bundle and the PDF report from the console of an
exported case (real Chromium, real `woundcare serve`, a real delivery worker beside it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (  # noqa: F401
    CHROMIUM_ARGS,
    Server,
    chromium,
    context,
    page,
    server,
)
from tests.e2e.helpers import Api, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[object]:  # noqa: F811
    """This module's own Chromium, stopped with the module: Playwright's sync API keeps an
    event loop running in the main thread while it is started (later tests use asyncio)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def store() -> str:
    """The e2e server's store (tests/e2e parametrises it; here the embedded SQLite one)."""
    return "sqlite"


def test_download_the_report_and_the_bundle(page: Page, server: Server,  # noqa: F811
                                            tmp_path: Path) -> None:
    api = Api(server.url, server.email, server.password)
    snap = api.drive(api.create_case(), "DONE", pin=server.pin,
                     patient={"first_name": "Sampla", "last_name": "Sampleton", "age": 70})
    api.close()
    env = {**server.env(), "WOUNDCARE_OUTBOX_POLL_SECONDS": "0.5"}
    worker = subprocess.Popen([sys.executable, "-c", "from woundcare.cli import main; main()",
                               "export", "worker"], cwd=server.workdir, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page.goto("/")
        log_in(page, server.email, server.password)
        page.goto(f"/#/case/{snap['case_id']}")
        button = page.get_by_role("button", name="Download report (PDF)")
        expect(button).to_be_visible()
        with page.expect_download(timeout=90_000) as info:
            button.click()
        pdf = tmp_path / "report.pdf"
        info.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout
            assert "Sampleton" in text
            assert "Wound-care visit report" in text
        expect(page.get_by_text("Report downloaded.")).to_be_visible()
        with page.expect_download() as info:
            page.get_by_role("link", name="Download FHIR bundle").click()
        bundle_path = tmp_path / "bundle.json"
        info.value.save_as(bundle_path)
        bundle = json.loads(bundle_path.read_text())
        assert bundle["resourceType"] == "Bundle"
        assert any(e["resource"]["resourceType"] == "Provenance" for e in bundle["entry"])
        assert page.problems == []  # type: ignore[attr-defined]
    finally:
        worker.terminate()
        worker.wait(20)
