"""What a nurse walking a case on a tablet (800 px, upright) found, fixed and kept fixed:
a question about a field with a fixed list of values is answered by choosing a word, and
the answer reaches the record; the list of what blocks the step names each question; the
PDF and FHIR hand-off sits in the "Done" card, not below the whole record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import Api, expect_state, log_in, snapshot, tablet_page
from tests.e2e.screen_checks import assert_layout, internal_words

pytestmark = pytest.mark.e2e

# question field -> (the word chosen, the value the record keeps, where the record keeps it)
CHOSEN = {
    "patient.sex": ("Female", "female", ("patient", "sex")),
    "time_assessment.infection.odour": ("Absent", "absent", ("time_assessment", "infection",
                                                              "odour")),
}


@pytest.fixture
def tablet(browser: Browser, server: Server) -> Iterator[Page]:
    with tablet_page(browser, server.url, height=1280, locale="en-GB") as page:
        yield page


def test_a_listed_answer_is_chosen_in_words_and_reaches_the_record(
    tablet: Page, server: Server
) -> None:
    api = Api(server.url, server.email, server.password)
    try:
        snap = api.drive(api.create_case(), "FOLLOW_UP", patient={
            "first_name": "Alma", "last_name": "Testcase", "age": 81})
    finally:
        api.close()
    asked = {f["field_path"] for f in snap["record"]["follow_ups"] if f["status"] == "pending"}
    about = next(path for path in CHOSEN if path in asked)
    word, value, where = CHOSEN[about]

    page = tablet
    page.goto("/")
    log_in(page, server.email, server.password)
    page.goto(f"/#/case/{snap['case_id']}")
    expect_state(page, "FOLLOW_UP")
    question = page.locator(f'.question[data-status="pending"][data-field="{about}"]')
    text = question.locator(".q-text").inner_text()
    # The list of what blocks the step says which question each line is about.
    page.locator("#continue").click()
    expect(page.locator(".blocker-summary li", has_text=text)).to_have_count(1)
    assert_layout(page, "800px follow-up questions")
    assert not internal_words(page)

    answer = question.get_by_label("Answer", exact=True)
    assert answer.evaluate("el => el.tagName") == "SELECT"
    answer.select_option(label=word)
    question.get_by_role("button", name="Answer").click()
    answered = page.locator(f'.question[data-status="resolved"][data-field="{about}"]')
    expect(answered).to_contain_text(f"Answered {word}")
    kept = snapshot(page, snap["case_id"])["record"]
    for key in where:
        kept = kept[key]
    assert kept == value


def test_the_hand_off_is_in_the_done_card(tablet: Page, server: Server) -> None:
    api = Api(server.url, server.email, server.password)
    try:
        done = api.drive(api.create_case(), "DONE", pin=server.pin)
    finally:
        api.close()
    page = tablet
    page.goto("/")
    log_in(page, server.email, server.password)
    page.goto(f"/#/case/{done['case_id']}")
    expect_state(page, "DONE")
    card = page.locator(".action-step.done", has_text="The case is complete and locked.")
    expect(card.locator("#download-fhir")).to_be_visible()
    expect(card.locator("#download-report")).to_be_visible()
    expect(page.locator(".handoff")).to_have_count(1)
    # Without scrolling on an upright tablet.
    expect(card.locator("#download-report")).to_be_in_viewport()
    assert_layout(page, "800px done")
    # A read-only earlier step still offers the hand-off (below its panel).
    page.goto(f"/#/case/{done['case_id']}/VITALS")
    expect(page.locator("main.panel-wrap")).to_have_attribute("data-viewing", "VITALS")
    expect(page.locator(".handoff #download-fhir")).to_be_visible()
