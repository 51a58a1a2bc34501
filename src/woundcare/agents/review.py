"""Review: the clinician attests they reviewed the whole record."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from woundcare.agents.base import Agent, AgentContext, AgentResult
from woundcare.domain.enums import WorkflowState
from woundcare.domain.inputs import ReviewInput
from woundcare.domain.record import CaseRecord, ReviewAttestation
from woundcare.messages import say

# What the review lists: every recorded value of these sections (not bookkeeping).
REVIEW_SECTIONS = ("patient", "consent", "wound", "vitals", "time_assessment")
_SKIP = {"history", "captured_by", "captured_at", "assessed_by", "assessed_at", "artifact_id",
         "quality", "celsius", "retake_requested", "retake_required"}

STATEMENT = say("statement.review")


class ReviewAgent(Agent):
    name: ClassVar[str] = "review"
    state: ClassVar[WorkflowState] = WorkflowState.REVIEW
    input_kinds: ClassVar[tuple[str, ...]] = ("review",)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, ReviewInput)
        review = ReviewAttestation(attested_by=ctx.actor.clinician_id, attested_at=ctx.now,
                                   statement=STATEMENT)
        return AgentResult(record=record.model_copy(update={"review": review}))

    def missing(self, record: CaseRecord) -> list[str]:
        return [] if record.review else ["review"]


def review_fields(record: CaseRecord) -> list[dict[str, Any]]:
    """Every recorded value the clinician attests to, as ``{path, value}`` rows in record
    order: nothing recorded is left out of the review (empty values are)."""
    rows: list[dict[str, Any]] = []
    for section in REVIEW_SECTIONS:
        _walk(getattr(record, section), section, rows)
    return rows


def _walk(node: Any, path: str, rows: list[dict[str, Any]]) -> None:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            if name not in _SKIP:
                _walk(getattr(node, name), f"{path}.{name}", rows)
    elif isinstance(node, list) and node and all(isinstance(x, BaseModel) for x in node):
        for index, item in enumerate(node):
            _walk(item, f"{path}.{index}", rows)
    elif node is not None and node != [] and node is not False:
        value = getattr(node, "value", node)
        if isinstance(value, list):
            value = [getattr(v, "value", v) for v in value]
        rows.append({"path": path, "value": value if isinstance(
            value, str | int | float | bool | list) else str(value)})
