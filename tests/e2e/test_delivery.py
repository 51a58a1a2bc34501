"""Console delivery budget (issue 12, item 4): the first load of the log-in page makes at most
15 requests and moves at most 60 KB on the wire (headers and bodies as sent, compressed when
the server compresses). Pages and panels are loaded when first opened (dynamic import), so
the log-in page does not carry them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import log_in
from tests.e2e.screen_checks import ARTIFACTS

pytestmark = pytest.mark.e2e

MAX_REQUESTS = 15
MAX_BYTES = 60 * 1024


@pytest.fixture
def fresh(browser: Browser, server: Server) -> Iterator[Page]:
    """A new browser profile: an empty cache, as on a first visit."""
    ctx: BrowserContext = browser.new_context(base_url=server.url,
                                              viewport={"width": 800, "height": 1100})
    ctx.set_default_timeout(15_000)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def _record(page: Page) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def done(request: Any) -> None:
        sizes = request.sizes()
        response = request.response()
        seen.append({"url": request.url.split("?")[0],
                     "status": response.status if response else None,
                     "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"]
                     + sizes["requestBodySize"] + sizes["requestHeadersSize"],
                     "encoding": (response.headers.get("content-encoding") if response else None)})

    page.on("requestfinished", done)
    return seen


def test_the_log_in_page_stays_within_its_budget(fresh: Page, server: Server) -> None:
    page = fresh
    seen = _record(page)
    page.goto("/", wait_until="networkidle")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.wait_for_load_state("networkidle")
    total = sum(r["bytes"] for r in seen)
    report = {"requests": len(seen), "bytes": total, "files": seen}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "login-budget.json").write_text(json.dumps(report, indent=2))
    names = [r["url"].rsplit("/", 1)[-1] for r in seen]
    # Nothing that only later pages need.
    for lazy in ("case-view", "home", "admin", "account", "autosave", "actions", "bio", "review"):
        assert not any(n.startswith(lazy) for n in names), (lazy, names)
    assert len(seen) <= MAX_REQUESTS, json.dumps(report, indent=2)
    assert total <= MAX_BYTES, json.dumps(report, indent=2)


def test_pages_and_panels_load_when_first_opened(page: Page, server: Server) -> None:
    loaded: list[str] = []
    page.on("requestfinished", lambda r: loaded.append(r.url.split("?")[0].rsplit("/", 1)[-1]))
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert not any(n.startswith("case-view") for n in loaded)
    log_in(page, server.email, server.password)
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    assert any(n.startswith("home") for n in loaded)
    assert not any(n.startswith(("case-view", "admin")) for n in loaded)
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()
    assert any(n.startswith("admin") for n in loaded)
