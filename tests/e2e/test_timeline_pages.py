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
