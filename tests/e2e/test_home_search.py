"""The patient-centred home and search on encrypted names, in the browser: a surname finds
its patient and the pager counts the matches; a part of the MRN is enough; a second case of a
known patient is flagged while it is entered; the home page lists my open cases, my patients
with their visits, and the visits due."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import Api, expect_saved, field, invite_clinician, log_in, new_case

pytestmark = pytest.mark.e2e


def test_search_home_and_duplicate_warning(page: Page, server: Server) -> None:
    email, password = invite_clinician(server, "Homer Pagewright")
    mrn = f"ZZ-{uuid.uuid4().hex[:6].upper()}"
    api = Api(server.url, email, password)
    try:
        api.set_pin("24680")
        done = api.drive(api.create_case(), "DONE", pin="24680", patient={
            "first_name": "Testcase", "last_name": "Sampleton", "date_of_birth": "1951-02-03",
            "mrn": mrn})
        second = api.event(done, "RESET")  # the next visit of the same patient
        for n in range(3):
            api.drive(api.create_case(), "VITALS", patient={
                "first_name": f"Other{n}", "last_name": "Exampleby", "age": 40 + n})
        # A next visit already started is not due; this one has none yet.
        for case in (done, finished := api.drive(api.create_case(), "DONE", pin="24680",
                                                   patient={"first_name": "Duey",
                                                            "last_name": "Visitson", "age": 80})):
            res = api.http.put(f"/api/cases/{case['case_id']}/next-visit",
                               json={"due_on": "2000-01-01"})
            assert res.status_code == 200, res.text
    finally:
        api.close()

    page.goto("/")
    log_in(page, email, password)
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    # Home: visits due (overdue), open cases, patients with their visits.
    due = page.locator(".home-due li")
    expect(due).to_have_count(1)
    expect(due).to_contain_text("Duey V.")
    expect(due).to_contain_text("Overdue by")
    expect(page.locator(".home-open li")).to_have_count(4)  # the next visit and the three others
    patient = page.locator('.patients > li[data-patient="Testcase S."]')
    expect(patient.locator(".visits li")).to_have_count(2)
    expect(patient).to_contain_text("Visit 1")
    expect(patient).to_contain_text("Visit 2")

    # Search: a surname, or its beginning; the pager counts the matches.
    rows = page.locator("table.case-table tbody tr[data-case]")
    expect(rows).to_have_count(6)
    page.get_by_label("Search", exact=True).fill("Sampleton")
    expect(rows).to_have_count(2)
    expect(page.locator(".pager")).to_contain_text("1–2 of 2")
    expect(page.locator("#case-count")).to_have_text("2 cases match")
    page.get_by_label("Search", exact=True).fill("examp")
    expect(rows).to_have_count(3)
    expect(page.locator(".pager")).to_contain_text("1–3 of 3")
    page.get_by_label("Search", exact=True).fill("")
    expect(rows).to_have_count(6)
    # A part of the MRN.
    mrn_box = page.get_by_label("MRN")
    mrn_box.fill(mrn[-4:])
    mrn_box.press("Enter")
    expect(rows).to_have_count(2)
    mrn_box.fill("")
    mrn_box.press("Enter")
    expect(rows).to_have_count(6)

    # A new case for the same MRN: flagged while it is entered.
    new_case(page)
    field(page, "patient.mrn").fill(mrn.lower())
    expect_saved(page)
    warning = page.locator(".duplicates")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Testcase S.")
    expect(warning).to_contain_text("the same MRN")
    expect(warning.get_by_role("link", name="Open that case")).to_have_count(2)
    assert second["case_id"]

    # The finished visit records when the next one is due.
    page.goto(f"/#/case/{finished['case_id']}")
    date_box = page.get_by_label("Next visit due")
    expect(date_box).to_have_value("2000-01-01")
    date_box.fill("2001-02-03")
    page.get_by_role("button", name="Save the date").click()
    expect(page.locator(".notice")).to_contain_text("Next visit recorded")
