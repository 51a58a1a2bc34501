"""The console's timeline: each step shows its number of changes from the snapshot; opening
the list fetches the newest page of that step's entries from ``/timeline`` (issue 12)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import expect_saved, field, log_in, new_case

pytestmark = pytest.mark.e2e


def test_opening_a_steps_changes_loads_them_from_the_timeline_endpoint(
        page: Page, server: Server) -> None:
    page.goto("/")
    log_in(page, server.email, server.password)
    new_case(page)
    field(page, "patient.first_name").fill("Sampleton")
    expect_saved(page)
    step = page.locator('.timeline li[data-state="BIO_INTAKE"]')
    summary = step.locator("summary")
    expect(summary).to_have_text(re.compile(r"^\d+ changes?$"))
    with page.expect_response(re.compile(r"/timeline\?state=BIO_INTAKE")) as answer:
        summary.click()
    assert answer.value.ok
    entries = step.locator("ul.provenance li")
    expect(entries.first).to_be_visible()
    expect(entries.first).to_contain_text("First name")


def test_on_a_tablet_the_viewed_steps_changes_open_under_the_strip(
        page: Page, server: Server) -> None:
    """At tablet width the steps are a strip too narrow for their lists: the step being
    viewed offers its changes under the strip, and they load from ``/timeline``."""
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto("/")
    log_in(page, server.email, server.password)
    new_case(page)
    field(page, "patient.first_name").fill("Sampleton")
    expect_saved(page)
    expect(page.locator('.timeline li[data-state="BIO_INTAKE"] summary')).to_be_hidden()
    summary = page.locator(".timeline-viewed-changes summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text(re.compile(r"^\d+ changes? in .+$"))
    box = summary.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    with page.expect_response(re.compile(r"/timeline\?state=BIO_INTAKE")) as answer:
        summary.click()
    assert answer.value.ok
    entries = page.locator(".timeline-viewed-changes ul.provenance li")
    expect(entries.first).to_contain_text("First name")
