"""The console's one wording table (``console/static/js/wording.js``) against the Python
domain: every enum value, state and event has words, and the server's sentences that name
internal things are said again plainly. Runs the module in Node (no browser needed); the
screen itself is scanned step by step in test_layout_a11y.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.screen_checks import internal_names
from woundcare.domain import enums
from woundcare.domain.errors import GuardFailed
from woundcare.domain.guards import Blocker

WORDING = (Path(__file__).resolve().parents[2] / "src" / "woundcare" / "console" / "static"
           / "js" / "wording.js")


def _node(script: str) -> Any:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    done = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                          text=True, timeout=30, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def table() -> dict[str, Any]:
    result: dict[str, Any] = _node(
        f"const m = await import({json.dumps(WORDING.as_uri())});"
        "console.log(JSON.stringify({OPTIONS: m.OPTIONS, EVENT_LABEL: m.EVENT_LABEL,"
        " STEP_LABEL: m.STEP_LABEL}));")
    return result


def plain(messages: list[str]) -> list[str | None]:
    result: list[str | None] = _node(
        f"const m = await import({json.dumps(WORDING.as_uri())});"
        f"console.log(JSON.stringify({json.dumps(messages)}.map(m.plainMessage)));")
    return result


def test_every_enum_value_state_and_event_has_words(table: dict[str, Any]) -> None:
    classes = [c for c in vars(enums).values()
               if isinstance(c, type) and issubclass(c, StrEnum) and c is not StrEnum]
    assert len(classes) >= 20
    missing = []
    for cls in classes:
        if cls is enums.WorkflowEvent:
            words = table["EVENT_LABEL"]
        elif cls is enums.WorkflowState:
            words = table["STEP_LABEL"]
        else:
            words = table["OPTIONS"].get(cls.__name__, {})
        for member in cls:
            label = words.get(member.value)
            if not label or (label == member.value and "_" in member.value):
                missing.append(f"{cls.__name__}.{member.name}")
    assert not missing, f"no words for: {missing}"


def test_labels_are_words_not_codes(table: dict[str, Any]) -> None:
    names = internal_names()
    codes = set(names["states"]) | set(names["events"])
    for kind, words in table["OPTIONS"].items():
        for value, label in words.items():
            assert label not in codes, (kind, value, label)
            assert "_" not in label, (kind, value, label)
            assert label[0].isupper() or label[0] in "°", (kind, value, label)


def test_server_sentences_that_name_internal_things_are_said_plainly() -> None:
    guard = GuardFailed(enums.WorkflowEvent.BIO_CONFIRMED,
                        [Blocker(code="x", message="y", field=None)]).message
    samples = [
        guard,
        "The event BIO_CONFIRMED is not allowed while the case is in VITALS.",
        "0 new question(s) to answer or dismiss.",
        "5 new question(s) to answer or dismiss.",
        "The record is assembled; 6 sensitive field(s) are encrypted.",
        "Temperature in C must be between 25 and 45; please check the value and its unit.",
        "The PIN was not accepted; 3 attempt(s) left before PIN signing is locked for a while.",
        "1 item(s) from earlier steps are incomplete; roll back to complete them.",
        "2 question(s) still open.",
        "1 question(s) still open.",
        "0 question(s) still open.",
        "3 value(s) were unclear and became follow-up questions.",
    ]
    out = plain(samples)
    assert out[2] is None  # nothing worth saying
    names = internal_names()
    codes = re.compile(r"\b(?:" + "|".join(names["states"] + names["events"]) + r")\b")
    for before, after in zip(samples, out, strict=True):
        if after is None:
            continue
        assert "(s)" not in after, (before, after)
        assert not codes.search(after), (before, after)
        assert not re.search(r"\bin [CF]\b", after), (before, after)
        assert "sensitive field" not in after, (before, after)
    assert out[3] == "5 new questions to answer or dismiss."
    assert "3 attempts left" in str(out[6])
    assert "Temperature in °C" in str(out[5])
    assert out[8:] == ["2 questions still open.", "1 question still open.",
                       "No questions left open.",
                       "3 values were unclear and became follow-up questions."]
