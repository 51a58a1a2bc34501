"""More of the clinician console in a real Chromium against a real ``woundcare serve``: the
signing PIN, the case list, stepping back, the next visit, a refused CSRF token, and
keyboard-only use with labelled inputs.

Scenarios that would disturb the shared (session-scoped) server's demo clinician use a
clinician of their own, invited with ``woundcare admin invite``; cases that only need to
exist in a given state are set up through the API (``helpers.Api``) and then used in the
browser.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Request, Response, Route, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import (
    CASE_URL,
    Api,
    case_id_of,
    continue_step,
    expect_saved,
    expect_state,
    field,
    focus_ring,
    invite_clinician,
    log_in,
    new_case,
    snapshot,
    unlabelled_controls,
)

pytestmark = pytest.mark.e2e  # deselect with -m "not e2e"

Shots = Callable[..., Path]


def _me(page: Page) -> dict[str, Any]:
    response = page.request.get("/api/auth/me")
    assert response.ok, response.status
    data: dict[str, Any] = response.json()
    return data


# --- 1. The signing PIN ------------------------------------------------------------------


def test_setting_the_pin_needs_the_password_and_then_signing_works(
    page: Page, server: Server, shots: Shots
) -> None:
    """A clinician without a PIN is asked to set one where they sign. A wrong password is
    refused in the server's words at the password field; with the right one the PIN is set
    and the record can be signed with it. (A clinician of its own: the demo PIN stays.)"""
    email, password = invite_clinician(server, "Pinny Testperson")
    api = Api(server.url, email, password)
    try:
        snap = api.drive(api.create_case(), "LINK_TO_CLINICIAN",
                         patient={"first_name": "Testy", "last_name": "McTestface", "age": 80})
    finally:
        api.close()
    case_id = snap["case_id"]

    page.goto("/")
    log_in(page, email, password)
    assert _me(page)["pin_set"] is False
    page.goto(f"/#/case/{case_id}")
    expect_state(page, "LINK_TO_CLINICIAN")
    set_pin = page.locator("form.set-pin")
    expect(set_pin).to_contain_text("You have no signing PIN yet")
    expect(page.get_by_label("Your PIN")).to_have_count(0)

    # A wrong password: refused, in the server's words, at the password field.
    set_pin.get_by_label("Password").fill("not-the-password")
    set_pin.get_by_label("New PIN").fill("135790")
    set_pin.get_by_role("button", name="Set PIN").click()
    at_field = page.locator("#setpin-password-msg")
    expect(at_field).to_have_text(re.compile("The current password is not correct"))
    expect(set_pin.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    expect(set_pin.get_by_label("Password")).to_have_attribute(
        "aria-describedby", re.compile("setpin-password-msg"))
    shots(page, "wrong-password")
    assert _me(page)["pin_set"] is False

    # A PIN the server does not accept (too short): its words at the PIN field.
    set_pin.get_by_label("Password").fill(password)
    set_pin.get_by_label("New PIN").fill("12")
    set_pin.get_by_role("button", name="Set PIN").click()
    expect(page.locator("#setpin-pin-msg .msg.error")).to_be_visible()
    expect(at_field).to_have_text("")  # the password was not the problem this time
    expect(set_pin.get_by_label("New PIN")).to_have_attribute("aria-invalid", "true")
    assert _me(page)["pin_set"] is False

    # The right password and a good PIN: set; the sign form replaces the set-PIN form.
    set_pin.get_by_label("New PIN").fill("135790")
    set_pin.get_by_role("button", name="Set PIN").click()
    expect(page.get_by_label("Your PIN")).to_be_visible()
    expect(page.locator(".notices")).to_contain_text("Your PIN is set.")
    me = _me(page)
    assert me["pin_set"] is True

    page.get_by_label("Your PIN").fill("135790")
    shots(page, "sign-with-new-pin")
    page.get_by_role("button", name="Sign the record").click()
    expect_state(page, "STORE_SYNC")
    linkage = snapshot(page, case_id)["record"]["pin_linkage"]
    assert linkage is not None
    assert linkage["clinician_id"] == me["clinician_id"]


# --- 2. The case list --------------------------------------------------------------------


def test_case_list_filters_pages_and_resumes_at_the_current_step(
    page: Page, server: Server, shots: Shots
) -> None:
    """23 cases of one clinician: two pages of 20; search, step, status and MRN narrow the
    list; Resume opens a case at its current step."""
    email, password = invite_clinician(server, "Casey Listperson")
    mrn = f"ZZTEST-LIST-{uuid.uuid4().hex[:6].upper()}"
    api = Api(server.url, email, password)
    try:
        api.set_pin("97531")
        for _ in range(19):  # the oldest: unnamed, not begun
            api.create_case()
        named = {
            "Mock": api.write(api.drive(api.create_case(), "BIO_INTAKE"), "bio", {"patient": {
                "first_name": "Mock", "last_name": "Patientson", "age": 60}}),
            "Testy": api.write(api.drive(api.create_case(), "BIO_INTAKE"), "bio", {"patient": {
                "first_name": "Testy", "last_name": "McTestface", "age": 70, "mrn": mrn}}),
            "Zed": api.drive(api.create_case(), "VITALS", patient={
                "first_name": "Zed", "last_name": "Example", "age": 65}),
            "Dummy": api.drive(api.create_case(), "DONE", pin="97531", patient={
                "first_name": "Dummy", "last_name": "Placeholder", "age": 55}),
        }
        # Bring the one at BIO_INTAKE back to the top of the list (most recently updated).
        named["Testy"] = api.write(named["Testy"], "bio", {"patient": {"notes": "Synthetic."}})
    finally:
        api.close()
    assert named["Dummy"]["status"] == "locked"

    page.goto("/")
    log_in(page, email, password)
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    rows = page.locator("table.case-table tbody tr[data-case]")
    pager = page.locator(".pager")
    previous = pager.get_by_role("button", name="Previous")
    following = pager.get_by_role("button", name="Next")

    # Paging: 20 a page, most recently updated first.
    expect(rows).to_have_count(20)
    expect(pager).to_contain_text("1–20 of 23")
    expect(rows.first).to_contain_text("Testy M.")
    expect(previous).to_be_disabled()
    shots(page, "first-page")
    following.click()
    expect(pager).to_contain_text("21–23 of 23")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Unnamed")).to_have_count(3)
    expect(following).to_be_disabled()
    previous.click()
    expect(rows).to_have_count(20)

    # Search (any part of a name, through the server's blind index).
    search = page.get_by_label("Search", exact=True)
    search.fill("testy")  # the list shows "Testy M." (first name, initial)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Testy M.")
    search.fill("exam")  # any part of a name: the beginning of "Example"
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-case", named["Zed"]["case_id"])
    search.fill("no such patient zz")
    expect(rows).to_have_count(0)
    expect(page.locator("table.case-table tbody")).to_contain_text("No cases match.")
    search.fill("")
    expect(rows).to_have_count(20)

    # The step filter (server side).
    page.get_by_label("Step").select_option("BIO_INTAKE")
    expect(pager).to_contain_text("1–2 of 2")
    expect(rows).to_have_count(2)
    for i in range(2):
        expect(rows.nth(i).locator(".badge.state")).to_have_attribute("data-state", "BIO_INTAKE")
    shots(page, "step-filter")
    # ... with the status filter: nothing at BIO_INTAKE is locked.
    page.get_by_label("Status").select_option("locked")
    expect(rows).to_have_count(0)
    expect(page.locator("table.case-table tbody")).to_contain_text("No cases match.")
    page.get_by_label("Step").select_option("")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-case", named["Dummy"]["case_id"])
    expect(rows.first.locator("[data-status]")).to_have_attribute("data-status", "locked")
    expect(rows.first.get_by_role("link")).to_have_text("Open")
    page.get_by_label("Status").select_option("draft")
    expect(pager).to_contain_text("1–20 of 22")
    page.get_by_label("Status").select_option("")
    expect(pager).to_contain_text("1–20 of 23")

    # The MRN filter (the whole MRN, or its beginning or end).
    mrn_box = page.get_by_label("MRN")
    mrn_box.fill(mrn.lower())
    mrn_box.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-case", named["Testy"]["case_id"])
    mrn_box.fill("")
    mrn_box.press("Enter")
    expect(rows).to_have_count(20)

    # While the list is loading: an MRN typed meanwhile is not wiped when the list arrives,
    # and a slow answer to an earlier request does not overwrite a filter chosen since.
    held: list[Route] = []
    lists = re.compile(r"/api/cases\?")

    def hold_one_unfiltered(route: Route, request: Request) -> None:
        if "state=" not in request.url and "mrn=" not in request.url and not held:
            held.append(route)
        else:
            route.continue_()

    def reload_with_the_list_held() -> Route:
        held.clear()
        page.reload()
        expect(page.get_by_role("heading", name="My cases")).to_be_visible()
        for _ in range(50):  # the list's first request is waiting in the route
            if held:
                break
            page.wait_for_timeout(100)
        assert held, "the first list request was not held"
        return held[0]

    def release(route: Route) -> None:
        with page.expect_response(lambda r: lists.search(r.url) is not None
                                  and "state=" not in r.url and "mrn=" not in r.url):
            route.continue_()
        page.wait_for_timeout(300)  # time to render it

    page.route(lists, hold_one_unfiltered)
    first = reload_with_the_list_held()
    mrn_box.fill(mrn)
    release(first)  # the list arrives and renders while the MRN is typed
    expect(mrn_box).to_have_value(mrn)
    mrn_box.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-case", named["Testy"]["case_id"])

    first = reload_with_the_list_held()
    page.get_by_label("Step").select_option("VITALS")
    expect(rows).to_have_count(1)
    release(first)  # the older, unfiltered answer arrives last
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-case", named["Zed"]["case_id"])
    expect(pager).to_contain_text("1–1 of 1")
    page.unroute(lists)
    page.get_by_label("Step").select_option("")
    expect(rows).to_have_count(20)

    # Blockers are listed per case; Resume opens the case at its current step.
    zed = rows.filter(has_text="Zed E.")
    expect(zed.locator("td").nth(4)).not_to_contain_text("nothing")
    zed.get_by_role("link", name="Resume case Zed E.").click()
    page.wait_for_url(re.compile(rf"#/case/{named['Zed']['case_id']}$"))
    expect_state(page, "VITALS")
    expect(page.locator("main.panel-wrap")).to_have_attribute("data-viewing", "VITALS")
    expect(page.get_by_role("heading", name="Vitals", exact=True)).to_be_visible()
    expect(page.locator('.timeline li[data-state="VITALS"] a')).to_have_attribute(
        "aria-current", "step")
    shots(page, "resumed")


# --- 3. Stepping back --------------------------------------------------------------------


def test_step_back_keeps_input_and_voids_a_signature(
    page: Page, server: Server, shots: Shots
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)
    field(page, "patient.first_name").fill("Zed")
    field(page, "patient.last_name").fill("Example")
    field(page, "patient.age").fill("67")
    field(page, "consent.data_storage").select_option("granted")
    field(page, "consent.photography").select_option("declined")
    expect_saved(page)
    continue_step(page)

    expect_state(page, "WOUND_IMAGING")
    field(page, "wound.site").fill("Right shin")
    field(page, "wound.description").fill("Synthetic description for a test.")
    field(page, "wound.photography_declined_reason").fill("Synthetic: patient declined photos.")
    expect_saved(page)
    continue_step(page)

    expect_state(page, "VITALS")
    field(page, "vitals.heart_rate.value").fill("76")
    field(page, "vitals.pain.unknown").check()
    expect_saved(page)

    # VITALS -> WOUND_IMAGING: what was entered on both steps stays.
    page.get_by_role("button", name="Step back").click()
    expect_state(page, "WOUND_IMAGING")
    expect(field(page, "wound.site")).to_have_value("Right shin")
    expect(field(page, "wound.description")).to_have_value("Synthetic description for a test.")
    expect(field(page, "wound.photography_declined_reason")).to_have_value(
        "Synthetic: patient declined photos.")
    expect(page.locator('.timeline li[data-state="VITALS"]')).to_have_class(re.compile("step-todo"))
    shots(page, "stepped-back-to-imaging")
    record = snapshot(page, case_id)["record"]
    assert record["wound"]["site"] == "Right shin"
    assert record["vitals"]["heart_rate"]["value"] == 76
    assert record["vitals"]["pain"]["unknown"] is True
    continue_step(page)
    expect_state(page, "VITALS")
    expect(field(page, "vitals.heart_rate.value")).to_have_value("76")
    expect(field(page, "vitals.pain.unknown")).to_be_checked()

    # STORE_SYNC -> LINK_TO_CLINICIAN after signing: the signature is void.
    api = Api(server.url, server.email, server.password)
    try:
        snap = api.snapshot(case_id)
        snap = api.write(snap, "vitals", {"vitals": {
            k: {"unknown": True} for k in
            ("blood_pressure", "respiratory_rate", "temperature", "oxygen_saturation")}})
        snap = api.write(snap, "vitals", {"vitals": {"heart_rate": {
            "captured_at": "2026-01-02T10:00:00+00:00"}}})
        snap = api.drive(snap, "STORE_SYNC", pin=server.pin)
    finally:
        api.close()
    assert snap["record"]["pin_linkage"] is not None
    page.reload()
    expect_state(page, "STORE_SYNC")
    sign_step = page.locator(".action-step").nth(2)
    expect(sign_step).to_contain_text("Signed")
    page.get_by_role("button", name="Step back").click()
    expect_state(page, "LINK_TO_CLINICIAN")
    # The console says it must be signed again, and offers the PIN form.
    expect(sign_step).not_to_contain_text("Signed")
    expect(page.locator(".blocker-summary")).to_contain_text("Sign the record with your PIN.")
    expect(sign_step.locator('.msg.blocker[data-code="pin.linkage.missing"]')).to_be_visible()
    expect(page.get_by_label("Your PIN")).to_be_visible()
    # Still sealed (stepping back into ASSEMBLE_JSON or earlier would unseal it).
    expect(page.locator(".case-head [data-status]")).to_have_attribute(
        "data-status", "ready_for_review")
    shots(page, "signature-voided")
    after = snapshot(page, case_id)
    assert after["state"] == "LINK_TO_CLINICIAN"
    assert after["record"]["pin_linkage"] is None
    forward = [e for e in after["allowed_events"] if e["forward"]]
    assert [b["code"] for b in forward[0]["blockers"]] == ["pin.linkage.missing"]
    # Everything entered is still there.
    assert after["record"]["wound"]["site"] == "Right shin"
    assert after["record"]["vitals"]["heart_rate"]["value"] == 76

    page.get_by_label("Your PIN").fill(server.pin)
    page.get_by_role("button", name="Sign the record").click()
    expect_state(page, "STORE_SYNC")
    assert snapshot(page, case_id)["record"]["pin_linkage"] is not None


# --- 4. The next visit -------------------------------------------------------------------


def test_next_visit_carries_the_patient_not_the_consent(
    page: Page, server: Server, shots: Shots
) -> None:
    mrn = f"ZZTEST-NV-{uuid.uuid4().hex[:6].upper()}"
    api = Api(server.url, server.email, server.password)
    try:
        done = api.drive(api.create_case(), "DONE", pin=server.pin, patient={
            "first_name": "Testy", "last_name": "McTestface", "date_of_birth": "1950-03-14",
            "sex": "female", "mrn": mrn, "contact": {"phone": "+44 20 7946 0999"}})
        assert done["status"] == "locked"

        page.goto("/")
        log_in(page, server.email, server.password)
        page.goto(f"/#/case/{done['case_id']}")
        expect_state(page, "DONE")
        expect(page.locator(".case-head [data-status]")).to_have_attribute("data-status", "locked")
        # A locked record: no inputs to edit in the review panel, only the next visit.
        expect(page.get_by_role("button", name="Step back")).to_have_count(0)
        page.get_by_role("button", name="Start the next visit").click()
        page.wait_for_url(lambda url: done["case_id"] not in url and CASE_URL.search(url))
        new_id = case_id_of(page)
        assert new_id != done["case_id"]
        expect_state(page, "START")
        expect(page.locator("main.panel-wrap")).to_contain_text("Visit 2.")
        page.get_by_role("button", name="Begin intake").click()
        expect_state(page, "BIO_INTAKE")

        # The patient's details came over ...
        expect(page.locator(".case-head h1")).to_have_text("Testy McTestface")
        expect(field(page, "patient.first_name")).to_have_value("Testy")
        expect(field(page, "patient.last_name")).to_have_value("McTestface")
        expect(field(page, "patient.date_of_birth")).to_have_value("1950-03-14")
        expect(field(page, "patient.mrn")).to_have_value(mrn)
        expect(field(page, "patient.contact.phone")).to_have_value("+44 20 7946 0999")
        # ... the consent did not: it is asked again.
        for kind in ("data_storage", "photography", "team_board_sharing"):
            expect(field(page, f"consent.{kind}")).to_have_value("not_recorded")
        expect(page.get_by_test_id("consent-captured")).to_contain_text("Not captured yet")
        expect(page.locator('.blocker-summary li[data-code="consent.data_storage.missing"]')
               ).to_be_visible()
        shots(page, "next-visit")

        # Recording consent on the new visit saves to the new visit (not the old case).
        field(page, "consent.data_storage").select_option("granted")
        field(page, "patient.notes").fill("Second visit (synthetic).")
        expect_saved(page)
        expect(page.get_by_role("dialog")).to_be_hidden()
        fresh = snapshot(page, new_id)
        assert fresh["record"]["visit_number"] == 2
        assert fresh["record"]["previous_case_id"] == done["case_id"]
        assert fresh["record"]["patient"]["mrn"] == mrn
        assert fresh["record"]["consent"]["data_storage"] == "granted"
        assert fresh["record"]["patient"]["notes"] == "Second visit (synthetic)."

        # The finished case is locked and unchanged.
        old = api.snapshot(done["case_id"])
        assert old["state"] == "DONE"
        assert old["status"] == "locked"
        assert old["version"] == done["version"]
        assert old["record"] == done["record"]
    finally:
        api.close()

    # Back on the list, both visits are there.
    page.get_by_role("link", name="My cases").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    page.locator("#case-mrn").fill(mrn)
    page.locator("#case-mrn").press("Enter")
    rows = page.locator("table.case-table tbody tr[data-case]")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="visit 2")).to_have_count(1)


# --- 5. A refused CSRF token -------------------------------------------------------------


def _tamper_once(page: Page, pattern: re.Pattern[str]) -> dict[str, Any]:
    """Send the first matching write with a wrong X-CSRF-Token (as after the session's
    token changed); count what the server answered."""
    seen: dict[str, Any] = {"tampered": 0, "requests": 0, "refused": 0, "codes": []}

    def handle(route: Route, request: Request) -> None:
        seen["requests"] += 1
        if request.method == "POST" and not seen["tampered"]:
            seen["tampered"] += 1
            route.continue_(headers={**request.headers, "x-csrf-token": "stale-" + "0" * 40})
        else:
            route.continue_()

    def answered(response: Response) -> None:
        if response.status == 403 and pattern.search(response.url):
            seen["refused"] += 1
            seen["codes"].append(response.json().get("code"))

    page.route(pattern, handle)
    page.on("response", answered)
    return seen


def test_a_refused_csrf_token_is_refreshed_and_the_edit_is_kept(
    page: Page, server: Server, shots: Shots
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)

    # An autosaved edit.
    bio = _tamper_once(page, re.compile(r"/api/session/[^/]+/bio$"))
    field(page, "patient.first_name").fill("Testy")
    field(page, "patient.last_name").fill("McTestface")
    expect_saved(page)
    assert (bio["tampered"], bio["refused"], bio["codes"]) == (1, 1, ["csrf_failed"]), bio
    assert bio["requests"] >= 2, bio
    expect(field(page, "patient.first_name")).to_have_value("Testy")
    patient = snapshot(page, case_id)["record"]["patient"]
    assert (patient["first_name"], patient["last_name"]) == ("Testy", "McTestface")

    # A one-off action (the step's forward event).
    field(page, "patient.age").fill("58")
    field(page, "consent.data_storage").select_option("granted")
    expect_saved(page)
    event = _tamper_once(page, re.compile(r"/api/session/[^/]+/events/BIO_CONFIRMED$"))
    continue_step(page)
    expect_state(page, "WOUND_IMAGING")
    assert (event["tampered"], event["refused"], event["codes"]) == (1, 1, ["csrf_failed"])
    expect(page.locator(".notice-error")).to_have_count(0)
    shots(page, "after-csrf-retry")
    assert snapshot(page, case_id)["state"] == "WOUND_IMAGING"

    # A token that is really stale: logging in again elsewhere in this browser replaced the
    # session cookie, so this tab's token belongs to the previous session.
    page.unroute_all()
    relogin = page.request.post("/api/auth/login", data={
        "email": server.email, "password": server.password})
    assert relogin.ok, relogin.status
    stale = []
    page.on("response", lambda r: stale.append(r.url) if r.status == 403 else None)
    field(page, "wound.site").fill("Left heel")
    expect_saved(page)
    assert any(re.search(r"/imaging$", u) for u in stale), stale
    expect(field(page, "wound.site")).to_have_value("Left heel")
    assert snapshot(page, case_id)["record"]["wound"]["site"] == "Left heel"


# --- 6. Keyboard only, labelled inputs ---------------------------------------------------


def _tab_to(page: Page, selector: str, stops: list[dict[str, Any]], limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus; every stop on the way must show a focus
    indicator."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        ring = focus_ring(page)
        if ring is not None:
            stops.append(ring)
            assert ring["visible"], f"no visible focus indicator on {ring}"
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} not reached with Tab; stops: {stops[-10:]}")


def test_keyboard_only_intake_with_visible_focus_and_labelled_inputs(
    page: Page, server: Server, shots: Shots
) -> None:
    stops: list[dict[str, Any]] = []
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert unlabelled_controls(page) == []
    _tab_to(page, "#login-email", stops)
    page.keyboard.type(server.email)
    _tab_to(page, "#login-password", stops)
    page.keyboard.type(server.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    assert unlabelled_controls(page) == []

    _tab_to(page, ".page-head button.primary", stops)  # "New case"
    page.keyboard.press("Enter")
    page.wait_for_url(CASE_URL)
    case_id = case_id_of(page)
    _tab_to(page, "#continue", stops)  # "Begin intake"
    page.keyboard.press("Enter")
    expect_state(page, "BIO_INTAKE")

    _tab_to(page, "#f-patient-first_name", stops)
    page.keyboard.type("Testy")
    page.keyboard.press("Tab")
    page.keyboard.type("McTestface")
    assert page.evaluate("document.activeElement.id") == "f-patient-last_name"
    _tab_to(page, "#f-patient-date_of_birth", stops)
    # Day and month alike: the segment order follows the browser's language, not the page's.
    page.keyboard.type("03031950")
    _tab_to(page, "#f-patient-sex", stops)
    page.keyboard.press("ArrowDown")  # Female
    _tab_to(page, "#f-patient-mrn", stops)
    page.keyboard.type("ZZTEST-KB-1")
    _tab_to(page, "#f-consent-data_storage", stops)
    page.keyboard.press("ArrowDown")  # Not recorded -> Granted
    _tab_to(page, "#f-consent-photography", stops)
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#f-consent-method", stops)
    page.keyboard.press("ArrowDown")  # Verbal
    expect(field(page, "patient.first_name")).to_have_value("Testy")
    expect(field(page, "patient.date_of_birth")).to_have_value("1950-03-03")
    expect(field(page, "patient.sex")).to_have_value("female")
    expect(field(page, "consent.data_storage")).to_have_value("granted")
    expect(field(page, "consent.method")).to_have_value("verbal")
    expect_saved(page)
    assert unlabelled_controls(page) == []
    shots(page, "keyboard-bio", full_page=False)

    _tab_to(page, "#continue", stops)
    page.keyboard.press("Enter")
    expect_state(page, "WOUND_IMAGING")
    patient = snapshot(page, case_id)["record"]["patient"]
    assert (patient["first_name"], patient["last_name"], patient["date_of_birth"],
            patient["sex"], patient["mrn"]) == (
        "Testy", "McTestface", "1950-03-03", "female", "ZZTEST-KB-1")
    assert unlabelled_controls(page) == []
    _tab_to(page, "#f-wound-site", stops)
    page.keyboard.type("Left heel")
    expect_saved(page)
    shots(page, "keyboard-imaging", full_page=False)

    # Every panel (later ones read-only) has a label on every input.
    for state in ("VITALS", "TIME", "FOLLOW_UP", "REVIEW", "BIO_INTAKE", "WOUND_IMAGING"):
        page.goto(f"/#/case/{case_id}/{state}")
        expect(page.locator("main.panel-wrap")).to_have_attribute("data-viewing", state)
        assert unlabelled_controls(page) == [], state
    # Kinds of controls the keyboard met (each with its focus ring checked above).
    tags = {s["tag"] for s in stops}
    assert {"a", "button", "input", "select"} <= tags, tags


def test_the_account_page_changes_the_password_and_the_pin(
    page: Page, server: Server, shots: Shots
) -> None:
    """Account: a wrong current password is refused at its field; a new password works for
    the next log-in; a PIN can be set there and then signs."""
    email, password = invite_clinician(server, "Acco Testperson")
    page.goto("/")
    log_in(page, email, password)
    page.get_by_role("link", name="Account").click()
    form = page.locator("#password-form")
    expect(form).to_be_visible()
    form.get_by_label("Current password").fill("not-the-password")
    form.get_by_label("New password", exact=True).fill("synthetic-new-pass-77")
    form.get_by_label("New password again").fill("synthetic-new-pass-77")
    form.get_by_role("button", name="Change password").click()
    expect(page.locator("#password-form-current_password-msg")).to_contain_text(
        re.compile("not correct"))
    expect(form.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    shots(page, "account-wrong-password")

    form.get_by_label("Current password").fill(password)
    form.get_by_label("New password", exact=True).fill("synthetic-new-pass-77")
    form.get_by_label("New password again").fill("synthetic-new-pass-78")
    form.get_by_role("button", name="Change password").click()
    expect(page.locator("#password-form-confirm-msg")).to_contain_text("does not match")
    form.get_by_label("New password again").fill("synthetic-new-pass-77")
    form.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()

    pin_form = page.locator("#pin-form")
    pin_form.get_by_label("Password").fill("synthetic-new-pass-77")
    pin_form.get_by_label("New PIN").fill("246813")
    pin_form.get_by_role("button", name="Set PIN").click()
    expect(page.get_by_text("Your PIN is set.")).to_be_visible()
    assert _me(page)["pin_set"] is True
    assert unlabelled_controls(page) == []

    page.get_by_role("button", name="Log out").click()
    log_in(page, email, "synthetic-new-pass-77")
    expect(page.get_by_role("link", name="Account")).to_be_visible()
    api = Api(server.url, email, "synthetic-new-pass-77")
    try:
        snap = api.drive(api.create_case(), "LINK_TO_CLINICIAN",
                         patient={"first_name": "Testy", "last_name": "McTestface", "age": 80})
        signed = api.write(snap, "sign", {"pin": "246813"})
    finally:
        api.close()
    assert signed["record"]["pin_linkage"] is not None


def test_a_refusal_that_is_not_a_network_fault_shows_the_server_words(
    page: Page, server: Server
) -> None:
    """A save refused for a reason retrying cannot fix (here a 403 for a role) shows the
    server's sentence at the field and does not pretend to be offline."""
    page.goto("/")
    log_in(page, server.email, server.password)
    new_case(page)
    refused = {"count": 0}

    def forbid_once(route: Route) -> None:
        if refused["count"] == 0 and route.request.method == "POST":
            refused["count"] += 1
            route.fulfill(status=403, content_type="application/problem+json", body=json.dumps({
                "type": "about:blank", "title": "Forbidden", "status": 403, "code": "forbidden",
                "detail": "You may not change this case.", "request_id": "synthetic"}))
        else:
            route.continue_()

    page.route("**/api/session/*/bio", forbid_once)
    field(page, "patient.preferred_name").fill("Zed")
    expect(page.get_by_text("You may not change this case.")).to_be_visible()
    indicator = page.locator(".save-indicator")
    expect(indicator).not_to_contain_text("Offline")
    assert refused["count"] == 1
