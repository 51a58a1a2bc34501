"""Checks a screen by machine: no sideways scrolling, no control covered by another element,
no truncated control, no touch target under 44 px, the step's heading in view, no internal
name on the screen, and axe-core's accessibility rules (serious and critical violations).

axe-core comes from the npm registry into ``tests/e2e/axe/node_modules`` (a test-only folder
with a committed package.json and package-lock.json; ``scripts/install-axe.sh`` installs it)
and is injected only into test pages; the application never serves it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from enum import StrEnum
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from woundcare.domain import enums

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = ROOT / "tests" / "e2e" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
JS = Path(__file__).resolve().parent / "js"


def _js(name: str) -> str:
    """A function expression for ``page.evaluate`` (kept in its own file under js/)."""
    return (JS / name).read_text(encoding="utf-8").split("\n", 1)[1].strip().rstrip(";")


def ensure_axe() -> Path:
    """axe-core's script, installed from the lock file on first use."""
    if not AXE_JS.exists():
        done = subprocess.run(["bash", str(ROOT / "scripts" / "install-axe.sh")],
                              capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0 or not AXE_JS.exists():
            raise RuntimeError(f"axe-core could not be installed:\n{done.stdout}\n{done.stderr}")
    return AXE_JS


# ------------------------------------------------------------------ layout

LAYOUT_JS = _js("layout.js")

HEADING_JS = _js("heading.js")


def layout_problems(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(LAYOUT_JS)
    return result


def assert_layout(page: Page, where: str) -> None:
    found = layout_problems(page)
    assert found["overflow"] <= 0, f"{where}: horizontal scroll of {found['overflow']}px"
    assert not found["covered"], f"{where}: covered controls:\n" + "\n".join(found["covered"])
    assert not found["truncated"], f"{where}: truncated controls:\n" + "\n".join(found["truncated"])
    assert not found["small"], f"{where}: touch targets under 44 px:\n" + "\n".join(found["small"])
    assert found["controls"] > 0, f"{where}: no controls found"


def heading_state(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(HEADING_JS)
    return result


def assert_heading_in_view(page: Page, where: str) -> None:
    state = heading_state(page)
    assert state["found"], f"{where}: no heading"
    assert state["inView"], f"{where}: heading {state['text']!r} not in view: {state}"


# ------------------------------------------------------------------ words

def _enum_classes() -> list[type[StrEnum]]:
    return [c for c in vars(enums).values()
            if isinstance(c, type) and issubclass(c, StrEnum) and c is not StrEnum]


def internal_names() -> dict[str, list[str]]:
    """The names the Python domain uses that must never reach the screen as they are."""
    states = [s.value for s in enums.WorkflowState]
    events = [e.value for e in enums.WorkflowEvent] + ["CREATE"]
    values = sorted({m.value for cls in _enum_classes() for m in cls} - set(states) - set(events))
    return {"states": states, "events": events, "values": values}


CELL_JS = _js("cells.js")

_RAW = [
    (re.compile(r"\(s\)"), "a '(s)' plural"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?[CF]\b"), "a temperature without its degree sign"),
    (re.compile(r"\bin [CF]\b"), "a unit code"),
    (re.compile(r"Encrypted with key|\bkey (?:v\d|dev)\w*"), "a key id"),
    (re.compile(r"\b(?:nrs|vrs|flacc)\b"), "a pain-scale code"),
    (re.compile(r"person ·|agent ·|· CREATE"), "an actor or event code"),
    (re.compile(r"%[sd]\b"), "an unfilled placeholder"),
    (re.compile(r"\bundefined\b|\bNaN\b|\[object Object\]|\bnull\b"), "a programming value"),
    (re.compile(r"\b0 new question"), "'0 new question'"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "an id"),
    (re.compile(r"\b[a-z]+_[a-z_]+\b"), "a snake_case name"),
]


def internal_words(page: Page) -> list[str]:
    """Internal names, codes and raw values visible on the page."""
    names = internal_names()
    text = page.evaluate("() => document.body.innerText")
    found: list[str] = []
    codes = "|".join(map(re.escape, names["states"] + names["events"]))
    upper = re.compile(rf"\b(?:{codes})\b")
    for match in upper.finditer(text):
        found.append(f"state or event name {match.group(0)!r}")
    for pattern, what in _RAW:
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 40):match.end() + 20]
            found.append(f"{what}: {match.group(0)!r} in …{around!r}…")
    raw_values = set(names["values"])
    for cell in page.evaluate(CELL_JS):
        if cell in raw_values:
            found.append(f"raw value {cell!r} shown as it is stored")
    return found


# ------------------------------------------------------------------ accessibility

AXE_RUN = _js("axe-run.js")


def axe_violations(page: Page, screen: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now; all of them are written to
    test-artifacts/axe/<screen>.json, the serious and critical ones are returned."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(ensure_axe()))
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    out = ARTIFACTS / "axe"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{re.sub(r'[^A-Za-z0-9_-]+', '-', screen)}.json").write_text(
        json.dumps(violations, indent=2))
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Page, screen: str) -> None:
    bad = axe_violations(page, screen)
    assert not bad, f"{screen}: axe serious/critical violations:\n" + json.dumps(bad, indent=2)


def keep_artifacts() -> bool:
    return os.environ.get("WOUNDCARE_E2E_KEEP") == "1"
