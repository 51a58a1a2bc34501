"""The clinician console in a real headless Chromium against a real ``woundcare serve``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import ROOT, Server
from tests.e2e.helpers import (
    Api,
    case_id_of,
    continue_step,
    expect_saved,
    expect_state,
    field,
    log_in,
    new_case,
    snapshot,
    write_jpeg,
)

pytestmark = pytest.mark.e2e  # deselect with -m "not e2e"

Shots = Callable[..., Path]


def test_whole_case_to_done_with_photo_and_pin(
    page: Page, server: Server, shots: Shots, tmp_path: Path
) -> None:
    page.goto("/")
    shots(page, "login")
    log_in(page, server.email, server.password)
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    case_id = new_case(page)

    # Bio and consent: typed into the form (labels are real labels).
    page.get_by_label("First name").fill("Testy")
    page.get_by_label("Last name").fill("McTestface")
    field(page, "patient.date_of_birth").fill("1950-03-14")
    field(page, "patient.sex").select_option("female")
    # No MRN: the follow-up step will ask about it.
    for kind in ("data_storage", "photography", "team_board_sharing"):
        field(page, f"consent.{kind}").select_option("granted")
    field(page, "consent.method").select_option("verbal")
    expect_saved(page)
    expect(page.get_by_test_id("consent-captured")).to_contain_text("Captured by you")
    shots(page, "bio")
    continue_step(page)

    # Wound imaging: a dark photo gets neutral retake requests, a good one passes.
    expect_state(page, "WOUND_IMAGING")
    field(page, "wound.site").fill("Left heel")
    expect_saved(page)
    page.set_input_files("#photo-input", str(write_jpeg(tmp_path / "dark.jpg", good=False)))
    first = page.locator(".photo-card").first
    expect(first.locator('[data-check="lighting"]')).to_have_attribute("data-result", "fail")
    expect(first.locator(".retake")).to_contain_text("please retake the photo in even light")
    page.set_input_files("#photo-input", str(write_jpeg(tmp_path / "good.jpg")))
    expect(page.locator(".photo-card")).to_have_count(2)
    second = page.locator(".photo-card").nth(1)
    for check in ("framing", "focus", "lighting"):
        expect(second.locator(f'[data-check="{check}"]')).to_have_attribute("data-result", "pass")
    field(page, "wound.photos.1.orientation").select_option("anterior")
    field(page, "wound.photos.0.orientation").select_option("lateral")
    expect_saved(page)
    expect(page.locator(".photo-card img").nth(1)).to_have_js_property("complete", True)
    shots(page, "imaging")
    continue_step(page)

    # Vitals: each with its unit and capture time.
    expect_state(page, "VITALS")
    values = {
        "blood_pressure": {"systolic": "128", "diastolic": "82"},
        "heart_rate": {"value": "76"},
        "temperature": {"value": "36.8"},
        "oxygen_saturation": {"value": "97"},
        "pain": {"value": "3"},
    }
    for vital, parts in values.items():
        for part, value in parts.items():
            field(page, f"vitals.{vital}.{part}").fill(value)
        field(page, f"vitals.{vital}").get_by_role("button", name="Captured at: now").click()
    field(page, "vitals.respiratory_rate.unknown").check()  # asked again at follow-up
    field(page, "vitals.temperature.unit").select_option("C")
    field(page, "vitals.pain.scale").select_option("nrs")
    expect_saved(page)
    expect(page.locator(".blocker-summary")).to_have_count(0)
    shots(page, "vitals")
    continue_step(page)

    # T.I.M.E.: the tissue total is live.
    expect_state(page, "TIME")
    for name, value in (("granulation_pct", "60"), ("slough_pct", "25"), ("necrotic_pct", "0"),
                        ("epithelial_pct", "15")):
        field(page, f"time_assessment.tissue.{name}").fill(value)
    expect(page.locator("#tissue-total")).to_have_attribute("data-total", "100")
    field(page, "time_assessment.infection.odour").get_by_label("Absent").check()
    field(page, "time_assessment.infection.erythema").get_by_label("Absent").check()
    field(page, "time_assessment.moisture.exudate_level").get_by_label("Scant").check()
    field(page, "time_assessment.moisture.dressing_saturation").select_option("partial")
    field(page, "time_assessment.edge.condition").select_option("undermined")  # depth: asked later
    expect_saved(page)
    shots(page, "time")
    continue_step(page)

    # Follow-up: answer or dismiss every question. An answer is validated like a direct edit
    # of its field: an invalid one is refused with the reason and the question stays open; a
    # valid one is written to the field (the MRN then shows in the review and the record).
    expect_state(page, "FOLLOW_UP")
    pending = page.locator('.question[data-status="pending"]')
    expect(pending.first).to_be_visible()
    assert pending.count() >= 3
    shots(page, "follow-up")
    answers = {"patient.mrn": "ZZTEST-0042", "vitals.respiratory_rate": "16",
               "time_assessment.edge.undermining_depth_cm": "1.5"}
    mrn = page.locator('.question[data-field="patient.mrn"]')
    mrn.get_by_label("Answer").fill("Checked with the patient.")
    mrn.get_by_role("button", name="Answer").click()
    expect(mrn).to_contain_text("at least one digit")
    expect(mrn).to_have_attribute("data-status", "pending")
    dismissed = 0
    for _ in range(20):
        left = pending.count()
        if left == 0:
            break
        question = pending.first
        answer = answers.get(question.get_attribute("data-field") or "")
        if answer is None:
            question.get_by_label("Reason to dismiss").fill("Not applicable at this visit.")
            question.get_by_role("button", name="Dismiss").click()
            dismissed += 1
        else:
            question.get_by_label("Answer").fill(answer)
            question.get_by_role("button", name="Answer").click()
        expect(pending).to_have_count(left - 1)
    expect(pending).to_have_count(0)
    expect(page.locator('.question[data-status="dismissed"]')).to_have_count(dismissed)
    expect(mrn).to_have_attribute("data-status", "resolved")
    continue_step(page)

    # Review and export: attest, assemble, sign with the PIN, export.
    expect_state(page, "REVIEW")
    expect(page.locator(".record-view")).to_contain_text("McTestface")
    expect(page.locator(".record-view")).to_contain_text("ZZTEST-0042")  # from the follow-up
    shots(page, "review")
    page.get_by_label("I reviewed the whole record.").check()
    page.get_by_role("button", name="Confirm the review").click()
    expect_state(page, "ASSEMBLE_JSON")
    page.locator("#f-assemble button.primary").click()
    expect_state(page, "LINK_TO_CLINICIAN")
    page.get_by_label("Your PIN").fill(server.pin)
    shots(page, "sign")
    page.get_by_role("button", name="Sign the record").click()
    expect_state(page, "STORE_SYNC")
    page.get_by_role("button", name="Export and lock").click()
    expect_state(page, "DONE")
    expect(page.locator(".case-head [data-status]")).to_have_attribute("data-status", "locked")
    expect(page.locator("#export-status")).to_contain_text("archive")
    shots(page, "done")

    final = snapshot(page, case_id)
    assert final["state"] == "DONE"
    assert final["status"] == "locked"
    assert final["record"]["pin_linkage"] is not None
    assert final["record"]["patient"]["mrn"] == "ZZTEST-0042"  # the answer reached the record
    assert all(step["status"] == "done" for step in final["timeline"] if step["state"] != "DONE")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert page.request.get("/api/auth/me").status == 401


def test_missing_consent_is_shown_at_the_field_and_refuses_progress(
    page: Page, server: Server, shots: Shots
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)
    field(page, "patient.first_name").fill("Zed")
    field(page, "patient.age").fill("71")
    expect_saved(page)
    continue_step(page)
    summary = page.locator(".blocker-summary.refused")
    expect(summary).to_be_visible()
    at_field = page.locator("#f-consent-data_storage-msg .msg.blocker")
    expect(at_field).to_have_text(re.compile("consent to data storage"))
    expect(field(page, "consent.data_storage")).to_have_attribute(
        "aria-describedby", "f-consent-data_storage-msg")
    shots(page, "consent-blocker")
    expect_state(page, "BIO_INTAKE")
    assert snapshot(page, case_id)["state"] == "BIO_INTAKE"
    # The summary's link takes the keyboard to the field that clears it.
    summary.locator('li[data-code="consent.data_storage.missing"]').get_by_role("button").click()
    expect(field(page, "consent.data_storage")).to_be_focused()
    page.keyboard.press("ArrowDown")  # a keyboard-only clinician can answer it
    field(page, "consent.data_storage").select_option("granted")
    expect(at_field).to_have_count(0)
    expect_saved(page)
    continue_step(page)
    expect_state(page, "WOUND_IMAGING")


def test_reload_in_the_middle_of_a_step_loses_nothing(
    page: Page, server: Server, shots: Shots
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)
    field(page, "patient.first_name").fill("Testa")
    field(page, "patient.notes").fill("Typed just before the reload")
    field(page, "patient.age").fill("64")
    # Reload at once: the edits are still waiting in the queue (sessionStorage).
    page.reload()
    expect(field(page, "patient.first_name")).to_have_value("Testa")
    expect(field(page, "patient.notes")).to_have_value("Typed just before the reload")
    expect(field(page, "patient.age")).to_have_value("64")
    expect_saved(page)
    shots(page, "after-reload")
    record = snapshot(page, case_id)["record"]
    assert record["patient"]["first_name"] == "Testa"
    assert record["patient"]["notes"] == "Typed just before the reload"
    assert record["patient"]["age"] == 64
    page.reload()
    expect(field(page, "patient.notes")).to_have_value("Typed just before the reload")


def test_offline_queue_waits_then_catches_up(page: Page, server: Server, shots: Shots) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)
    field(page, "patient.first_name").fill("Olive")
    expect_saved(page)
    server.stop()
    try:
        field(page, "patient.last_name").fill("Offline")
        field(page, "patient.mrn").fill("MRN-OFF-1")
        field(page, "patient.contact.phone").fill("+44 20 7946 0000")
        indicator = page.locator(".save-indicator")
        expect(indicator).to_have_attribute("data-state", "offline", timeout=15_000)
        expect(indicator).to_contain_text(re.compile(r"Offline — [1-3] changes? waiting"))
        shots(page, "offline")
    finally:
        server.start()
    expect_saved(page, timeout=30_000)
    shots(page, "caught-up")
    patient = snapshot(page, case_id)["record"]["patient"]
    assert patient["first_name"] == "Olive"
    assert patient["last_name"] == "Offline"
    assert patient["mrn"] == "MRN-OFF-1"
    assert patient["contact"]["phone"] == "+44 20 7946 0000"


def test_another_device_conflict_keeps_this_tabs_input(
    page: Page, server: Server, shots: Shots
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)
    # Another device (an API client, so no message between tabs of this browser) saves first.
    device = Api(server.url, server.email, server.password)
    try:
        device.write(device.snapshot(case_id), "bio", {"patient": {"last_name": "FromTabOne"}})
    finally:
        device.close()
    # This tab still holds the older version; its edit meets a 409.
    field(page, "patient.preferred_name").fill("Bea")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Last name")
    expect(dialog).to_contain_text("FromTabOne")
    expect(dialog).to_contain_text("Bea")
    expect(field(page, "patient.preferred_name")).to_have_value("Bea")
    expect(page.locator(".save-indicator")).to_have_attribute("data-state", "conflict")
    shots(page, "conflict")
    dialog.get_by_role("button", name="Continue on the current version with my changes").click()
    expect_saved(page)
    expect(field(page, "patient.last_name")).to_have_value("FromTabOne")
    expect(field(page, "patient.preferred_name")).to_have_value("Bea")
    patient = snapshot(page, case_id)["record"]["patient"]
    assert patient["last_name"] == "FromTabOne"
    assert patient["preferred_name"] == "Bea"


def test_expired_session_returns_to_log_in_and_back_to_the_case(
    page: Page, server: Server, shots: Shots
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)
    field(page, "patient.first_name").fill("Sam")
    expect_saved(page)
    assert server.revoke_sessions() >= 1
    field(page, "patient.last_name").fill("Typed after the session ended")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert f"next=%2Fcase%2F{case_id}" in page.url
    shots(page, "session-ended")
    log_in(page, server.email, server.password)
    page.wait_for_url(re.compile(rf"#/case/{case_id}$"))
    assert case_id_of(page) == case_id
    expect(field(page, "patient.last_name")).to_have_value("Typed after the session ended")
    expect_saved(page)
    patient = snapshot(page, case_id)["record"]["patient"]
    assert patient["last_name"] == "Typed after the session ended"


def test_server_validation_errors_show_at_the_field(
    page: Page, server: Server, shots: Shots
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    new_case(page)
    field(page, "patient.contact.phone").fill("not a phone")
    message = page.locator("#f-patient-contact-phone-msg .msg.error")
    expect(message).to_contain_text("Phone number should contain 5 to 15 digits")
    expect(field(page, "patient.contact.phone")).to_have_attribute("aria-invalid", "true")
    shots(page, "validation-error")
    field(page, "patient.contact.phone").fill("+1 555 0100")
    expect(message).to_have_count(0)
    expect_saved(page)


def test_layout_fits_tablet_and_desktop_widths(page: Page, server: Server, shots: Shots) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    new_case(page)
    for width, height in ((768, 1024), (1024, 768), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"horizontal overflow of {overflow}px at {width}px"
        shots(page, f"bio-{width}", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    # Keyboard: the first Tab lands on the skip link, and focus is visible.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_free_text_is_confirmed_before_saving_and_files_upload(
    page: Page, server: Server, shots: Shots, tmp_path: Path
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)
    page.get_by_label("Paste or type a referral note").fill(
        "Patient: Zed Example, DOB 02/03/1960, male, MRN ZZ123. Consents to data storage.")
    page.get_by_role("button", name="Read the text").click()
    proposal = page.get_by_role(
        "region", name="Check these fields from the text before they are saved")
    expect(proposal).to_contain_text("Zed")
    expect(proposal).to_contain_text("ZZ123")
    # Reading the text saved nothing: the clinician has not confirmed yet.
    assert snapshot(page, case_id)["record"]["patient"]["first_name"] is None
    proposal.get_by_label(re.compile(r"Date of birth: 2 Mar 1960")).check()  # in words
    proposal.get_by_label(re.compile("MRN")).uncheck()
    # Consent found in text is only a proposal: it starts unticked; the clinician confirms it.
    consent = proposal.get_by_label(re.compile("data storage", re.I))
    expect(consent).not_to_be_checked()
    consent.check()
    shots(page, "free-text-proposal")
    proposal.get_by_role("button", name="Use the checked fields").click()
    expect(field(page, "patient.first_name")).to_have_value("Zed")
    expect(field(page, "patient.date_of_birth")).to_have_value("1960-03-02")
    expect(field(page, "consent.data_storage")).to_have_value("granted")
    expect_saved(page)
    patient = snapshot(page, case_id)["record"]["patient"]
    assert patient["last_name"] == "Example"
    assert patient["date_of_birth"] == "1960-03-02"
    assert patient["mrn"] is None  # unchecked: not sent

    note = tmp_path / "referral.txt"
    note.write_text("Referral note for the wound clinic (synthetic).\nMRN: ZZTEST-0003\n")
    page.set_input_files("#doc-upload", str(note))
    expect(page.locator("ul.files li")).to_have_count(1)
    # The document went through the intake parser: its fields wait for confirmation.
    from_document = page.get_by_role(
        "region", name="Check these fields from the document before they are saved")
    expect(from_document).to_contain_text("ZZTEST-0003")
    shots(page, "document-proposal")
    assert snapshot(page, case_id)["record"]["patient"]["mrn"] is None
    from_document.get_by_role("button", name="Use the checked fields").click()
    expect(field(page, "patient.mrn")).to_have_value("ZZTEST-0003")
    expect_saved(page)
    wav = tmp_path / "voice.wav"
    wav.write_bytes(_silent_wav())
    page.set_input_files("#voice-upload", str(wav))
    expect(page.locator("ul.files li")).to_have_count(2)
    expect(page.locator("ul.files")).to_contain_text("Voice note")
    kinds = sorted(a["kind"] for a in snapshot(page, case_id)["record"]["artifacts"])
    assert kinds == ["audio", "document"]


def _silent_wav() -> bytes:
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


def test_console_runs_under_its_strict_content_security_policy(
    page: Page, server: Server, tmp_path: Path
) -> None:
    """The policy in console/csp.txt (what the server should send) allows everything the
    console does: module scripts, styles, API calls, photo previews and thumbnails."""
    policy = (ROOT / "src/woundcare/console/csp.txt").read_text().strip()
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy

    def with_policy(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": policy}
        route.fulfill(response=response, headers=headers)

    page.route(re.compile(r"^[^?#]*/(index\.html)?(\?.*)?$"), with_policy)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto("/")
    assert page.evaluate("document.querySelector('meta') !== null")
    log_in(page, server.email, server.password)
    new_case(page)
    for kind in ("data_storage", "photography"):
        field(page, f"consent.{kind}").select_option("granted")
    field(page, "patient.first_name").fill("Csp")
    field(page, "patient.age").fill("50")
    expect_saved(page)
    continue_step(page)
    expect_state(page, "WOUND_IMAGING")
    page.set_input_files("#photo-input", str(write_jpeg(tmp_path / "p.jpg")))
    expect(page.locator(".photo-card img")).to_have_js_property("complete", True)
    assert page.evaluate("document.querySelector('.photo-card img').naturalWidth") > 0
    assert not violations, violations
