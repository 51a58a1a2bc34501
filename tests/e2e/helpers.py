"""Steps the console scenarios share: log in, open a case, wait for autosave, read the API."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from playwright.sync_api import Browser, Page, expect

CASE_URL = re.compile(r"#/case/([0-9a-f-]{36})")


@contextmanager
def tablet_page(browser: Browser, base_url: str, *, height: int,
                locale: str) -> Iterator[Page]:
    """A page in its own context at tablet width (800 px), dialogs accepted."""
    ctx = browser.new_context(base_url=base_url, viewport={"width": 800, "height": height},
                              locale=locale, timezone_id="UTC")
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    try:
        yield page
    finally:
        ctx.close()


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


# --- Set-up through the API and the CLI (for scenarios that need many cases or a finished
# one); the console itself is driven through the browser. ---------------------------------

FORWARD = {
    "START": "BEGIN", "BIO_INTAKE": "BIO_CONFIRMED", "WOUND_IMAGING": "IMAGING_CONFIRMED",
    "VITALS": "VITALS_CAPTURED", "TIME": "TIME_CAPTURED", "FOLLOW_UP": "FOLLOW_UP_RESOLVED",
    "REVIEW": "REVIEW_COMPLETED", "ASSEMBLE_JSON": "JSON_ASSEMBLED",
    "LINK_TO_CLINICIAN": "CLINICIAN_LINKED", "STORE_SYNC": "STORED",
}
VITALS = ("blood_pressure", "heart_rate", "respiratory_rate", "temperature",
          "oxygen_saturation", "pain")


def invite_clinician(server: Any, display_name: str) -> tuple[str, str]:
    """A new clinician (role clinician, no PIN) in the demo organisation, added the way an
    administrator would: ``woundcare admin invite`` with the server's environment."""
    import subprocess
    import uuid

    email = f"zztest-{uuid.uuid4().hex[:10]}@example.test"
    exe = Path(sys.executable).with_name("woundcare")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "woundcare.cli"]
    done = subprocess.run(
        [*command, "admin", "invite", email, display_name, "--as", server.email],
        cwd=server.workdir, env=server.env(), capture_output=True, text=True, timeout=60,
        check=False,
    )
    found = re.search(r"^password\s+(\S+)", done.stdout, re.MULTILINE)
    assert done.returncode == 0, f"invite failed:\n{done.stdout}\n{done.stderr}"
    assert found, done.stdout
    return email, found.group(1)


class Api:
    """The HTTP API as an API client (bearer token: no cookie, no CSRF)."""

    def __init__(self, base_url: str, email: str, password: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.password = password
        res = self.http.post("/api/auth/token", json={"email": email, "password": password})
        assert res.status_code == 200, res.text
        self.http.headers["Authorization"] = f"Bearer {res.json()['access_token']}"

    def close(self) -> None:
        self.http.close()

    def _ok(self, res: Any) -> dict[str, Any]:
        assert res.status_code < 300, f"{res.request.method} {res.request.url}: {res.text}"
        data: dict[str, Any] = res.json() if res.content else {}
        return data

    def set_pin(self, pin: str) -> None:
        self._ok(self.http.put("/api/auth/pin", json={"password": self.password, "pin": pin}))

    def create_case(self, previous_case_id: str | None = None) -> dict[str, Any]:
        body = {"previous_case_id": previous_case_id} if previous_case_id else {}
        return self._ok(self.http.post("/api/cases", json=body))

    def snapshot(self, case_id: str) -> dict[str, Any]:
        return self._ok(self.http.get(f"/api/session/{case_id}"))

    def write(self, snap: dict[str, Any], endpoint: str, body: Any = None) -> dict[str, Any]:
        headers = {"If-Match": f'"{snap["version"]}"'}
        url = f"/api/session/{snap['case_id']}/{endpoint}"
        res = (self.http.post(url, json=body, headers=headers) if body is not None
               else self.http.post(url, headers=headers))
        return self._ok(res)

    def event(self, snap: dict[str, Any], event: str) -> dict[str, Any]:
        return self.write(snap, f"events/{event}")

    def drive(self, snap: dict[str, Any], to: str, *, patient: dict[str, Any] | None = None,
              pin: str | None = None) -> dict[str, Any]:
        """Take a case forward to state ``to`` with the smallest complete input: storage
        consent granted, photography declined with a reason, every vital unknown, exudate
        unknown, follow-up questions dismissed, attested, assembled, signed, exported. A step
        whose forward event is not blocked is only confirmed."""
        patient = patient or {"first_name": "Zed", "last_name": "Example", "age": 70}
        inputs: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "BIO_INTAKE": lambda s: self.write(s, "bio", {
                "patient": patient,
                "consent": {"data_storage": "granted", "photography": "declined",
                            "team_board_sharing": "declined", "method": "verbal"}}),
            "WOUND_IMAGING": lambda s: self.write(s, "imaging", {
                "wound_site": "Left heel",
                "photography_declined_reason": "Synthetic case: no photos."}),
            "VITALS": lambda s: self.write(s, "vitals", {
                "vitals": {k: {"unknown": True} for k in VITALS}}),
            "TIME": lambda s: self.write(s, "time", {
                "assessment": {"moisture": {"exudate_level": "unknown"}}}),
            "FOLLOW_UP": self._dismiss_all,
            "REVIEW": lambda s: self.write(s, "review", {"attest": True}),
            "ASSEMBLE_JSON": lambda s: self.write(s, "assemble"),
            "LINK_TO_CLINICIAN": lambda s: self.write(s, "sign", {"pin": pin}),
            "STORE_SYNC": lambda s: self.write(s, "export", {"destinations": ["archive"]}),
        }
        while snap["state"] != to:
            state = snap["state"]
            blocked = any(e["blockers"] for e in snap["allowed_events"] if e["forward"])
            if state in inputs and blocked:  # input already given stays as it is
                snap = inputs[state](snap)
            snap = self.event(snap, FORWARD[state])
        return snap

    def _dismiss_all(self, snap: dict[str, Any]) -> dict[str, Any]:
        for item in snap["record"]["follow_ups"]:
            if item["status"] == "pending":
                snap = self.write(snap, f"follow-ups/{item['follow_up_id']}",
                                  {"dismiss_reason": "Synthetic case: not applicable."})
        return snap


# --- Keyboard and accessibility checks -------------------------------------------------

FOCUS_RING_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  return {tag: el.tagName.toLowerCase(), id: el.id, visible: outline || !!ring,
          focusVisible: el.matches(':focus-visible'),
          outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`};
}"""

UNLABELLED_JS = """(root) => {
  const scope = document.querySelector(root) || document;
  const out = [];
  for (const el of scope.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const named = (el.labels && el.labels.length > 0)
      || (el.getAttribute('aria-label') || '').trim() !== ''
      || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(
           (id) => id && document.getElementById(id)
             && document.getElementById(id).textContent.trim() !== '');
    const labelText = el.labels ? [...el.labels].map((l) => l.textContent.trim()).join(' ') : '';
    if (!named || (el.labels && el.labels.length && !labelText && !el.getAttribute('aria-label')))
      out.push(`${el.tagName.toLowerCase()}#${el.id || '?'}[name=${el.name || ''}]`);
  }
  return out;
}"""


def focus_ring(page: Page) -> dict[str, Any] | None:
    """What has the keyboard focus, and whether a focus indicator is drawn around it."""
    result: dict[str, Any] | None = page.evaluate(FOCUS_RING_JS)
    return result


def unlabelled_controls(page: Page, root: str = "#main") -> list[str]:
    """Inputs, selects and text areas under ``root`` without an accessible name from a
    label, aria-label or aria-labelledby."""
    result: list[str] = page.evaluate(UNLABELLED_JS, root)
    return result
