"""A clinic day checked by machine, at tablet (800 px) and desktop (1280 px) width: a whole
case completed through the console, and on every screen and every step

* no horizontal scroll, no control covered by another element (``elementFromPoint`` at each
  control's centre), no truncated control;
* the step's heading in view (and focused) when the step opens;
* no internal name (state, event, enum value, code, key id) on the screen;
* axe-core: no serious or critical violation.

Screenshots go to ``test-artifacts/screenshots/walk-<width>-NN-<screen>.png`` (gitignored),
axe's full results to ``test-artifacts/axe/<width>-<screen>.json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import SCREENSHOTS, Server
from tests.e2e.helpers import (
    case_id_of,
    expect_saved,
    expect_state,
    field,
    log_in,
    write_jpeg,
)
from tests.e2e.screen_checks import (
    assert_accessible,
    assert_heading_in_view,
    assert_layout,
    heading_state,
    internal_words,
)

pytestmark = pytest.mark.e2e

WIDTHS = {800: 1100, 1280: 800}
HEADING_FOCUSED = "() => document.activeElement && document.activeElement.id === 'panel-title'"


@pytest.fixture
def walker(browser: Browser, server: Server, request: pytest.FixtureRequest) -> Iterator[Page]:
    width = request.param
    # bypass_csp: axe-core is injected as a script (the CSP test runs without it).
    ctx: BrowserContext = browser.new_context(
        base_url=server.url, viewport={"width": width, "height": WIDTHS[width]}, locale="en-US",
        timezone_id="UTC", bypass_csp=True)
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status == 404 and "/api/" not in r.url else None)
    try:
        yield page
    finally:
        ctx.close()
    assert not errors, "\n".join(errors)


class Walk:
    def __init__(self, page: Page, width: int) -> None:
        self.page = page
        self.width = width
        self.n = 0
        self.problems: list[str] = []

    def check(self, screen: str, *, heading: bool = False) -> None:
        """Every check on the screen as it is; words and axe problems are collected so one
        run reports them all, layout problems fail at once."""
        page = self.page
        where = f"{self.width}px {screen}"
        page.evaluate("window.scrollTo(0, 0)")
        if heading:
            assert_heading_in_view(page, where)
        assert_layout(page, where)
        self.problems += [f"{where}: {w}" for w in internal_words(page)]
        try:
            assert_accessible(page, f"{self.width}-{screen}")
        except AssertionError as exc:
            self.problems.append(str(exc))
        self.n += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"walk-{self.width}-{self.n:02d}-{screen}.png"),
                        full_page=True)

    def step_opened(self, state: str) -> None:
        expect_state(self.page, state)
        self.page.wait_for_function(HEADING_FOCUSED)
        state_now = heading_state(self.page)
        assert state_now["inView"], f"{self.width}px {state}: heading not in view: {state_now}"
        assert state_now["scrollY"] < 5, f"{self.width}px {state}: opened scrolled to {state_now}"

    def forward(self) -> None:
        button = self.page.locator("#continue")
        button.scroll_into_view_if_needed()
        button.click()


@pytest.mark.parametrize("walker", list(WIDTHS), indirect=True, ids=lambda w: f"{w}px")
def test_a_whole_case_on_every_screen_fits_reads_plainly_and_passes_axe(
    walker: Page, server: Server, tmp_path: Path
) -> None:
    page = walker
    width = page.viewport_size["width"] if page.viewport_size else 0
    walk = Walk(page, width)
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    walk.check("login")
    log_in(page, server.email, server.password)
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    walk.check("home")
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Account")).to_be_visible()
    walk.check("account")
    if page.get_by_role("link", name="Administration").count():
        page.get_by_role("link", name="Administration").click()
        expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        walk.check("admin")
    page.get_by_role("link", name="Home").click()

    # START: a new case shows no "changes" nobody made.
    page.get_by_role("button", name="New case").click()
    page.wait_for_url("**/#/case/*")
    expect_state(page, "START")
    expect(page.locator(".timeline summary")).to_have_count(0)
    walk.check("start", heading=True)
    page.get_by_role("button", name="Begin intake").click()

    # BIO: continuing too early lists what is missing at the top (in view), no toast.
    walk.step_opened("BIO_INTAKE")
    walk.forward()
    summary = page.locator(".blocker-summary.refused")
    expect(summary).to_be_visible()
    expect(summary).to_be_in_viewport()
    expect(page.locator(".notice-error")).to_have_count(0)
    page.get_by_label("First name").fill("Testcase")
    page.get_by_label("Last name").fill("Sampleton")
    field(page, "patient.date_of_birth").fill("1951-02-03")
    field(page, "patient.sex").select_option("female")
    field(page, "patient.mrn").fill(f"ZZ{width}-0042")
    for kind in ("data_storage", "photography", "team_board_sharing"):
        field(page, f"consent.{kind}").select_option("granted")
    field(page, "consent.method").select_option("verbal")
    expect_saved(page)
    expect(page.locator(".blocker-summary")).to_have_count(0)
    walk.check("bio", heading=True)
    walk.forward()

    # IMAGING: long site names fit; removing a photo asks first.
    walk.step_opened("WOUND_IMAGING")
    field(page, "wound.site").fill("left medial gastrocnemius")
    page.set_input_files("#photo-input", str(write_jpeg(tmp_path / "dark.jpg", good=False)))
    expect(page.locator(".photo-card")).to_have_count(1)
    # Each check says its result in words, not only with a mark and a colour.
    expect(page.locator('.photo-card [data-check="lighting"]')).to_have_text("✗ Lighting: retake")
    page.set_input_files("#photo-input", str(write_jpeg(tmp_path / "good.jpg")))
    expect(page.locator(".photo-card")).to_have_count(2)
    field(page, "wound.photos.1.site").fill("left medial gastrocnemius")
    field(page, "wound.photos.1.orientation").select_option("anterior")
    expect_saved(page)
    first = page.locator(".photo-card").first
    first.get_by_role("button", name="Remove photo").click()
    expect(first.get_by_role("button", name="Yes, remove photo 1")).to_be_visible()
    walk.check("imaging-confirm-remove")
    first.get_by_role("button", name="Keep it").click()
    expect(page.locator(".photo-card")).to_have_count(2)
    first.get_by_role("button", name="Remove photo").click()
    first.get_by_role("button", name="Yes, remove photo 1").click()
    expect(page.locator(".photo-card")).to_have_count(1)
    expect_saved(page)
    page.evaluate("window.scrollTo(0, 0)")
    walk.check("imaging")
    walk.forward()

    # VITALS: units in words; capture times fit their boxes.
    walk.step_opened("VITALS")
    values = {"blood_pressure": {"systolic": "128", "diastolic": "82"},
              "heart_rate": {"value": "76"},
              "respiratory_rate": {"value": "16"}, "temperature": {"value": "37"},
              "oxygen_saturation": {"value": "97"}, "pain": {"value": "3"}}
    for vital, parts in values.items():
        for part, value in parts.items():
            field(page, f"vitals.{vital}.{part}").fill(value)
        field(page, f"vitals.{vital}").get_by_role("button", name="Captured at: now").click()
    field(page, "vitals.temperature.unit").select_option("C")
    field(page, "vitals.temperature.site").select_option("tympanic")
    field(page, "vitals.pain.scale").select_option("nrs")
    field(page, "vitals.heart_rate.method").select_option("device")
    expect_saved(page)
    page.evaluate("window.scrollTo(0, 0)")
    walk.check("vitals", heading=True)
    walk.forward()

    # T.I.M.E.
    walk.step_opened("TIME")
    for name, value in (("granulation_pct", "70"), ("slough_pct", "30")):
        field(page, f"time_assessment.tissue.{name}").fill(value)
    field(page, "time_assessment.infection.odour").get_by_label("Absent").check()
    field(page, "time_assessment.moisture.exudate_level").get_by_label("Moderate").check()
    field(page, "time_assessment.moisture.exudate_consistency").select_option("serosanguineous")
    field(page, "time_assessment.edge.condition").select_option("attached")
    expect_saved(page)
    page.evaluate("window.scrollTo(0, 0)")
    walk.check("time", heading=True)
    walk.forward()

    # FOLLOW-UP: the count of open questions is said once, plainly.
    walk.step_opened("FOLLOW_UP")
    pending = page.locator('.question[data-status="pending"]')
    walk.check("follow-up", heading=True)
    for _ in range(20):
        left = pending.count()
        if left == 0:
            break
        question = pending.first
        question.get_by_label("Reason to dismiss").fill("Not applicable at this visit.")
        question.get_by_role("button", name="Dismiss").click()
        expect(pending).to_have_count(left - 1)
    walk.forward()

    # REVIEW: the record in words (°C, the pain scale's name, no "Photography declined").
    walk.step_opened("REVIEW")
    record = page.locator(".record-view")
    expect(record).to_contain_text("37 °C")
    expect(record).to_contain_text("3 of 10")
    expect(record).not_to_contain_text("Photography declined")
    walk.check("review", heading=True)
    page.get_by_label("I reviewed the whole record.").check()
    page.get_by_role("button", name="Confirm the review").click()

    walk.step_opened("ASSEMBLE_JSON")
    walk.check("assemble", heading=True)
    page.locator("#f-assemble button.primary").click()

    # SIGN: a wrong PIN is explained at the PIN box; a signature clears it.
    walk.step_opened("LINK_TO_CLINICIAN")
    wrong = "0000" if server.pin != "0000" else "1111"
    page.get_by_label("Your PIN").fill(wrong)
    page.get_by_role("button", name="Sign the record").click()
    expect(page.locator("#pin-msg .msg.error")).to_contain_text("attempts left")
    walk.check("sign-wrong-pin", heading=True)
    page.get_by_label("Your PIN").fill(server.pin)
    page.get_by_role("button", name="Sign the record").click()

    walk.step_opened("STORE_SYNC")
    expect(page.locator(".notice-error")).to_have_count(0)
    expect(page.locator(".msg.error")).to_have_count(0)
    walk.check("export", heading=True)
    page.get_by_role("button", name="Export and lock").click()
    walk.step_opened("DONE")
    page.get_by_label("Next visit due").fill("2000-01-01")
    with page.expect_response("**/next-visit") as answered:
        page.get_by_role("button", name="Save the date").click()
    assert answered.value.status == 200, answered.value.text()
    expect(page.locator(".notice")).to_contain_text("Next visit recorded")
    walk.check("done", heading=True)

    # Every earlier step, looked at again (read-only), opens at its heading.
    case_id = case_id_of(page)
    for state in ("BIO_INTAKE", "VITALS", "TIME"):
        page.goto(f"/#/case/{case_id}/{state}")
        expect(page.locator("main.panel-wrap")).to_have_attribute("data-viewing", state)
        page.wait_for_function(HEADING_FOCUSED)
        assert_heading_in_view(page, f"{width}px {state} (read-only)")
    walk.check("bio-read-only", heading=True)
    # Home with something in every section.
    page.get_by_role("link", name="Home").click()
    expect(page.locator(".home-due li").first).to_be_visible()
    expect(page.locator(".patients > li").first).to_be_visible()
    walk.check("home-filled")
    assert not walk.problems, "\n".join(walk.problems)
