"""Steps the console scenarios share: log in, open a case, wait for autosave, read the API."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from playwright.sync_api import Page, expect

CASE_URL = re.compile(r"#/case/([0-9a-f-]{36})")


def log_in(page: Page, email: str, password: str) -> None:
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_hidden()


def case_id_of(page: Page) -> str:
    found = CASE_URL.search(page.url)
    assert found, page.url
    return found.group(1)


def new_case(page: Page) -> str:
    """From the case list: create a case and begin the intake (state BIO_INTAKE)."""
    page.get_by_role("button", name="New case").click()
    page.wait_for_url(CASE_URL)
    page.get_by_role("button", name="Begin intake").click()
    expect_state(page, "BIO_INTAKE")
    return case_id_of(page)


def expect_state(page: Page, state: str) -> None:
    panel = page.locator("main.panel-wrap")
    expect(panel).to_have_attribute("data-state", state, timeout=15_000)


def expect_saved(page: Page, timeout: int = 15_000) -> None:
    indicator = page.locator(".save-indicator")
    expect(indicator).to_have_attribute("data-state", "saved", timeout=timeout)


def field(page: Page, path: str) -> Any:
    """The input that edits a record path (the id blockers and errors point at)."""
    return page.locator("#f-" + re.sub(r"[^A-Za-z0-9_-]", "-", path))


def snapshot(page: Page, case_id: str) -> dict[str, Any]:
    """The server's view of the case (with the page's own session cookie)."""
    response = page.request.get(f"/api/session/{case_id}")
    assert response.ok, response.status
    data: dict[str, Any] = response.json()
    return data


def continue_step(page: Page) -> None:
    page.locator("#continue").click()


def write_jpeg(path: Path, *, good: bool = True) -> Path:
    """A synthetic wound photo: a textured, centred subject in even light (passes the
    framing, focus and lighting checks), or a dark, flat one (needs a retake)."""
    rng = np.random.default_rng(7)
    height, width = 720, 960
    if good:
        img = np.full((height, width, 3), 120, dtype=np.uint8)
        cy, cx, r = height // 2, width // 2, 180
        ys, xs = np.ogrid[:height, :width]
        mask = (ys - cy) ** 2 + (xs - cx) ** 2 <= r * r
        noise = rng.integers(40, 210, size=(height, width, 3), dtype=np.uint8)
        img[mask] = noise[mask]
    else:
        img = np.full((height, width, 3), 18, dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(img).save(buffer, format="JPEG", quality=92)
    path.write_bytes(buffer.getvalue())
    return path
