"""What got in a nurse's way during a clinic day, each fixed and checked end to end:
messages that leave, a signature's PIN count, the PIN rule, the tab that lost a conflict,
the favicon, the timeline's words."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import Api, expect_saved, expect_state, field, log_in, new_case, tablet_page
from tests.e2e.screen_checks import assert_layout, internal_words

pytestmark = pytest.mark.e2e


@pytest.fixture
def tablet(browser: Browser, server: Server) -> Iterator[Page]:
    with tablet_page(browser, server.url, height=1100, locale="en-US") as page:
        yield page


def _notices(page: Page) -> object:
    return page.locator(".notice")


def test_error_messages_leave_when_fixed_on_a_step_change_and_on_log_out(
    tablet: Page, server: Server
) -> None:
    page = tablet
    page.goto("/")
    log_in(page, server.email, server.password)
    new_case(page)

    # A refused step: the list of what is missing, no toast; it goes once the data is there.
    page.locator("#continue").click()
    expect(page.locator(".blocker-summary.refused")).to_be_in_viewport()
    expect(_notices(page)).to_have_count(0)

    # An error about a field leaves when that field is accepted.
    def refuse(route: Route) -> None:
        route.fulfill(status=422, content_type="application/problem+json", body=json.dumps({
            "title": "Invalid", "status": 422, "code": "validation_failed",
            "detail": "The first name was not accepted.",
            "errors": [{"path": "patient.first_name", "code": "x",
                        "message": "Enter the first name."}]}))

    page.route("**/events/BIO_CONFIRMED", refuse)
    page.locator("#continue").click()
    toast = page.locator(".notice-error")
    expect(toast).to_contain_text("The first name was not accepted.")
    # At tablet width a message never covers a control (it is in the page's flow).
    assert_layout(page, "800px bio with an error message")
    page.unroute("**/events/BIO_CONFIRMED")
    page.get_by_label("First name").fill("Testcase")
    expect_saved(page)
    expect(toast).to_have_count(0)

    # A failure with no field: it stays until the step changes.
    page.route("**/events/BIO_CONFIRMED", lambda route: route.abort())
    page.locator("#continue").click()
    expect(page.locator(".notice-error")).to_contain_text("cannot be reached")
    assert_layout(page, "800px bio with a connection message")
    page.unroute("**/events/BIO_CONFIRMED")
    page.get_by_label("Last name").fill("Sampleton")
    page.get_by_label("or age").fill("70")
    field(page, "consent.data_storage").select_option("granted")
    field(page, "consent.photography").select_option("declined")
    expect_saved(page)
    expect(page.locator(".notice-error")).to_have_count(1)  # nothing has fixed it yet
    page.locator("#continue").click()
    expect_state(page, "WOUND_IMAGING")
    expect(_notices(page)).to_have_count(0)

    # And on log-out.
    page.route("**/events/IMAGING_CONFIRMED", lambda route: route.abort())
    page.locator("#continue").click()
    expect(page.locator(".notice-error")).to_have_count(1)
    page.unroute("**/events/IMAGING_CONFIRMED")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(_notices(page)).to_have_count(0)


def test_the_failed_pin_count_starts_again_after_a_signature(
    tablet: Page, server: Server
) -> None:
    page = tablet
    api = Api(server.url, server.email, server.password)
    try:
        ids = [api.drive(api.create_case(), "LINK_TO_CLINICIAN")["case_id"] for _ in range(3)]
    finally:
        api.close()
    wrong = "0000" if server.pin != "0000" else "1111"
    page.goto("/")
    log_in(page, server.email, server.password)

    def sign(case_id: str, pin: str) -> None:
        page.goto(f"/#/case/{case_id}")
        expect_state(page, "LINK_TO_CLINICIAN")
        page.get_by_label("Your PIN").fill(pin)
        page.get_by_role("button", name="Sign the record").click()

    sign(ids[0], server.pin)  # whatever came before, a signature starts the count again
    expect_state(page, "STORE_SYNC")
    sign(ids[1], wrong)
    message = page.locator("#pin-msg .msg.error")
    expect(message).to_contain_text("4 attempts left")
    page.get_by_label("Your PIN").fill(wrong)
    page.get_by_role("button", name="Sign the record").click()
    expect(message).to_contain_text("3 attempts left")
    page.get_by_label("Your PIN").fill(server.pin)
    page.get_by_role("button", name="Sign the record").click()
    expect_state(page, "STORE_SYNC")
    sign(ids[2], wrong)
    expect(message).to_contain_text("4 attempts left")  # not 2
    page.get_by_label("Your PIN").fill(server.pin)
    page.get_by_role("button", name="Sign the record").click()
    expect_state(page, "STORE_SYNC")


def test_a_two_digit_pin_is_told_the_rule(tablet: Page, server: Server) -> None:
    # The API says the rule, not "not in the expected format".
    token = httpx.post(f"{server.url}/api/auth/token",
                       json={"email": server.email, "password": server.password}).json()
    res = httpx.put(f"{server.url}/api/auth/pin", json={"password": server.password, "pin": "12"},
                    headers={"Authorization": f"Bearer {token['access_token']}"})
    assert res.status_code == 422
    assert res.json()["errors"][0]["path"] == "pin"
    assert "4 to 12 digits" in res.json()["errors"][0]["message"]
    # So does the console, at the field.
    page = tablet
    page.goto("/")
    log_in(page, server.email, server.password)
    page.get_by_role("link", name="Account").click()
    page.locator("#pin-form-password").fill(server.password)
    page.locator("#pin-form-pin").fill("12")
    page.get_by_role("button", name="Change PIN").click()
    expect(page.locator("#pin-form-pin-msg")).to_contain_text("4 to 12 digits")
    expect(page.locator("#pin-form-pin-msg")).not_to_contain_text("expected format")


def test_the_tab_that_lost_a_conflict_shows_the_winning_text_not_saved(
    page: Page, server: Server
) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    case_id = new_case(page)
    other = page.context.new_page()
    other.goto(f"/#/case/{case_id}")
    expect_state(other, "BIO_INTAKE")

    # The other tab's save is held in flight while this tab saves first.
    held: list[Route] = []
    holding = {"on": True}
    other.route("**/api/session/*/bio",
                lambda route: held.append(route) if holding["on"] else route.continue_())
    field(other, "patient.last_name").fill("Second")
    other.wait_for_timeout(100)
    for _ in range(50):
        if held:
            break
        other.wait_for_timeout(100)
    assert held, "the other tab's save was not sent"
    field(page, "patient.last_name").fill("First")
    expect_saved(page)
    holding["on"] = False
    held[0].continue_()
    dialog = other.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Continue on the current version with my changes").click()
    expect_saved(other)
    # This tab lost: it shows the winning text, and does not call its own text saved.
    expect(field(page, "patient.last_name")).to_have_value("Second")
    expect(page.locator(".save-indicator")).to_have_attribute("data-state", "updated")
    expect(page.locator(".save-indicator")).not_to_contain_text("Saved")
    other.close()


def test_favicon_is_served_and_the_timeline_speaks_plainly(page: Page, server: Server) -> None:
    for name, kind in (("favicon.svg", "image/svg+xml"), ("favicon.ico", "image/")):
        res = httpx.get(f"{server.url}/{name}")
        assert res.status_code == 200, name
        assert res.headers["content-type"].startswith(kind)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto("/")
    log_in(page, server.email, server.password)
    new_case(page)
    assert not missing, missing
    # A brand-new case: no "changes" nobody made (only "Begin intake" is one); the changes
    # made are said in words.
    start = page.locator('.timeline [data-state="START"] details')
    expect(start.locator("summary")).to_have_text("1 change")
    start.locator("summary").click()
    expect(start.locator(".provenance li")).to_have_count(1)
    expect(start.locator(".provenance li")).to_contain_text("Intake begun")
    page.get_by_label("First name").fill("Testcase")
    field(page, "patient.sex").select_option("female")
    expect_saved(page)
    details = page.locator('.timeline [data-state="BIO_INTAKE"] details')
    details.locator("summary").click()
    expect(details.locator(".provenance li").first).to_be_visible()
    assert not internal_words(page), internal_words(page)
