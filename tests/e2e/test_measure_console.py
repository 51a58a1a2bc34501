"""The console's measurement tools in Chromium at tablet width: trace an outline on a photo
and see its area; compare two visits side by side; the trend chart renders; the body map."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import Api, expect_state, log_in
from woundcare.imaging.synthetic import synthetic_wound_photo

pytestmark = pytest.mark.e2e

Shots = Callable[..., Path]


def to_imaging(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    snap = api._ok(api.http.post("/api/cases", json=body))
    snap = api.event(snap, "BEGIN")
    snap = api.write(snap, "bio", {
        "patient": {"first_name": "Zed", "last_name": "Sampleton", "age": 70},
        "consent": {"data_storage": "granted", "photography": "granted",
                    "team_board_sharing": "declined", "method": "verbal"}})
    return api.event(snap, "BIO_CONFIRMED")


def upload(api: Api, snap: dict[str, Any], data: bytes) -> dict[str, Any]:
    res = api.http.post(f"/api/session/{snap['case_id']}/artifacts",
                        headers={"If-Match": f'"{snap["version"]}"'},
                        files={"file": ("wound.jpg", data, "image/jpeg")},
                        data={"kind": "image"})
    return api._ok(res)


def test_trace_measure_compare_and_chart_at_tablet_width(
    page: Page, server: Server, shots: Shots
) -> None:
    api = Api(server.url, server.email, server.password)
    try:
        first_shot, first_trace = synthetic_wound_photo(31, area_cm2=9.0, tilt_deg=15,
                                                        width=1280, height=960)
        visit1 = upload(api, to_imaging(api, {}), first_shot.jpeg(92))
        photo1 = visit1["record"]["wound"]["photos"][0]["artifact_id"]
        visit1 = api.write(visit1, f"photos/{photo1}/measure",
                           {"outline": first_trace.tolist()})
        ids = {"patient_id": visit1["record"]["patient_id"],
               "wound_id": visit1["record"]["wound_id"]}
        second_shot, second_trace = synthetic_wound_photo(32, area_cm2=6.0, tilt_deg=30,
                                                          width=1280, height=960)
        visit2 = upload(api, to_imaging(api, ids), second_shot.jpeg(92))
    finally:
        api.close()

    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright
    page.goto("/")
    log_in(page, server.email, server.password)
    page.goto(f"/#/case/{visit2['case_id']}")
    expect_state(page, "WOUND_IMAGING")
    svg = page.locator(".trace-svg")
    expect(svg).to_be_visible()
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    assert box is not None
    scale = box["width"] / 1280
    points = second_trace[:: max(1, len(second_trace) // 60)]
    sx = [box["x"] + x * scale for x, _ in points]
    sy = [box["y"] + y * scale for _, y in points]
    page.mouse.move(sx[0], sy[0])
    page.mouse.down()
    for x, y in zip(sx[1:], sy[1:], strict=True):
        page.mouse.move(x, y, steps=2)
    page.mouse.up()
    expect(page.locator(".trace-point")).not_to_have_count(0)
    shots(page, "traced", full_page=False)
    page.get_by_role("button", name="Measure and save").click()
    area = page.locator('#measurement-summary [data-field="area"]')
    expect(area).to_contain_text("cm²", timeout=20_000)
    measured = float(re.search(r"[\d.]+", area.inner_text()).group())  # type: ignore[union-attr]
    assert measured == pytest.approx(second_shot.scene.area_cm2, rel=0.05)

    # the wound's history: two measured visits in the chart, photos side by side
    chart = page.locator("#trend-chart svg")
    expect(chart).to_be_visible(timeout=20_000)
    expect(page.locator("#trend-chart .area-dot")).to_have_count(2)
    compare = page.locator("#photo-compare img")
    expect(compare).to_have_count(2)
    for index in range(2):
        image = compare.nth(index)
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("el => el.naturalWidth") > 50
    shots(page, "history")

    # the body map and wound type
    page.locator("#wound-type").select_option("pressure_injury")
    page.locator("#pi-stage").select_option("stage_2")
    page.locator('#body-map svg [data-region="heel"][data-side="left"]').click()
    expect(page.locator("#body-site-label")).to_contain_text("left heel (back)")
    page.get_by_role("button", name="Save wound details").click()
    expect(page.locator("#body-site-label")).to_contain_text("left heel (back)")
    response = page.request.get(f"/api/session/{visit2['case_id']}")
    wound = response.json()["record"]["wound"]
    assert wound["body_site"] == {"region": "heel", "side": "left", "view": "posterior"}
    assert wound["pressure_injury_stage"] == "stage_2"
    shots(page, "details")


def test_photo_opens_full_size_with_zoom(page: Page, server: Server, shots: Shots) -> None:
    api = Api(server.url, server.email, server.password)
    try:
        shot, _ = synthetic_wound_photo(33, area_cm2=4.0, tilt_deg=10, width=1280, height=960)
        visit = upload(api, to_imaging(api, {}), shot.jpeg(92))
    finally:
        api.close()
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto("/")
    log_in(page, server.email, server.password)
    page.goto(f"/#/case/{visit['case_id']}")
    expect_state(page, "WOUND_IMAGING")
    page.get_by_role("button", name="Open wound photo 1 at full size").click()
    viewer = page.get_by_role("dialog")
    image = viewer.locator("img")
    expect(image).to_have_attribute("width", "1280")
    viewer.get_by_role("button", name="Zoom in").click()
    expect(image).to_have_attribute("width", "1920")
    shots(page, "full-size", full_page=False)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("button", name="Open wound photo 1 at full size")).to_be_focused()
