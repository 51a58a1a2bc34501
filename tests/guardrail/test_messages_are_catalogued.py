"""No sentence reaches a person unless it is a catalogued template.

Dynamic: the whole demo case (every step, its blockers, refusals and follow-up questions)
is walked and every sentence the workflow produced is identified as a template and passes
the guardrail. Static: the modules that produce shown text contain no sentence literals of
their own (templates live in ``woundcare.messages``), and the service's and API's error
sentences each match a template.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from woundcare import demo
from woundcare.domain.errors import DomainError, GuardFailed, InputRejected
from woundcare.guardrail import check_text
from woundcare.messages import identify
from woundcare.workflow.orchestrator import Orchestrator, StepOutcome

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "woundcare"


def _collect(outcome: StepOutcome, shown: list[str]) -> None:
    shown.extend(outcome.messages)
    for record in (outcome.record, outcome.new_case):
        if record is not None:
            shown.extend(f.question for f in record.follow_ups)
            if record.review is not None:
                shown.append(record.review.statement)


def _error_texts(exc: DomainError) -> Iterator[str]:
    yield exc.message
    if isinstance(exc, GuardFailed):
        yield from (b.message for b in exc.blockers)
    if isinstance(exc, InputRejected):
        yield from (p.message for p in exc.problems)


def test_every_sentence_of_a_whole_case_is_catalogued(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def wrap(name: str) -> None:
        original = getattr(Orchestrator, name)

        def wrapper(self: Orchestrator, *args: Any, **kwargs: Any) -> StepOutcome:
            try:
                outcome: StepOutcome = original(self, *args, **kwargs)
            except DomainError as exc:
                shown.extend(_error_texts(exc))
                raise
            _collect(outcome, shown)
            return outcome

        monkeypatch.setattr(Orchestrator, name, wrapper)

    for name in ("create_case", "submit", "fire", "register_artifact"):
        wrap(name)
    run = demo.run_demo(out=lambda _line: None)
    assert run.case.state.value == "DONE"
    assert len(shown) > 20
    uncatalogued = sorted({text for text in shown if identify(text) is None})
    assert not uncatalogued, uncatalogued
    flagged = sorted({text for text in shown if not check_text(text).allowed})
    assert not flagged, flagged


# Modules whose shown sentences must all come from the catalogue.
_NO_LITERALS = [
    *sorted((PACKAGE / "agents").glob("*.py")),
    *sorted((PACKAGE / "workflow").glob("*.py")),
    *(PACKAGE / "domain" / name for name in ("guards.py", "blockers.py", "errors.py",
                                             "imaging.py", "problems.py", "record.py",
                                             "inputs.py", "consent.py", "machine.py")),
]
# Modules whose error sentences are matched against the catalogue.
# (metrics.py holds Prometheus HELP lines for operators, not sentences shown to people.)
_MATCHED = [*sorted(p for p in (PACKAGE / "service").glob("*.py") if p.name != "metrics.py"),
            PACKAGE / "api" / "errors.py",
            PACKAGE / "api" / "deps.py", PACKAGE / "api" / "middleware.py"]


def _sentences(path: Path) -> Iterator[tuple[int, str]]:
    """String constants that read as a sentence (not docstrings, not log event names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            # An f-string that reads as a sentence builds text outside the catalogue.
            parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            text = "".join(p if isinstance(p, str) else "" for p in parts).strip()
            if parts and isinstance(parts[-1], str) and parts[-1].rstrip()[-1:] in ".?!" and (
                text[:1].isupper() and len(text.split()) >= 3
            ):
                yield node.lineno, ast.unparse(node)
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
            id(node) not in docstrings
        ):
            text = node.value.strip()
            if " " in text and text[:1].isupper() and text[-1:] in ".?!" and (
                len(text.split()) >= 3
            ):
                yield node.lineno, text


@pytest.mark.parametrize("path", _NO_LITERALS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_sentence_literals_outside_the_catalogue(path: Path) -> None:
    found = [f"{path.name}:{line}: {text}" for line, text in _sentences(path)]
    assert not found, found


@pytest.mark.parametrize("path", _MATCHED, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_service_and_api_sentences_are_catalogued(path: Path) -> None:
    found = [f"{path.name}:{line}: {text}" for line, text in _sentences(path)
             if identify(text) is None]
    assert not found, found
