"""Follow-up agent: neutral questions about missing or contradictory fields across the whole
record; each is answered, or dismissed with a reason. Questions pass the no-advice guardrail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from woundcare.agents.base import Agent, AgentContext, AgentResult, reject, revalidate
from woundcare.domain.enums import (
    ConsentStatus,
    DressingSaturation,
    EdgeCondition,
    ExudateLevel,
    FollowUpReason,
    FollowUpStatus,
    Orientation,
    Presence,
    WorkflowState,
)
from woundcare.domain.guards import VITAL_LABELS
from woundcare.domain.inputs import FollowUpInput
from woundcare.domain.record import CaseRecord, FollowUp
from woundcare.messages import say

Question = tuple[str, FollowUpReason, str]  # (field path, reason, question)


def check_text(text: str) -> Any:
    """The guardrail's check (imported on first use: its patterns compile then, not at
    start-up)."""
    from woundcare.guardrail import check_text as check

    return check(text)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def derive_questions(record: CaseRecord, today: date) -> Iterator[Question]:
    """Every neutral question the record raises now, in a stable order."""
    p, t, missing, contra = record.patient, record.time_assessment, FollowUpReason.MISSING, (
        FollowUpReason.CONTRADICTION)
    if p.date_of_birth and p.age is not None and abs(age_on(p.date_of_birth, today) - p.age) > 1:
        yield ("patient.age", contra, say("question.age_dob_disagree"))
    if p.sex is None:
        yield ("patient.sex", missing, say("question.sex"))
    if p.mrn is None:
        yield ("patient.mrn", missing, say("question.mrn"))
    if record.consent.team_board_sharing is ConsentStatus.NOT_RECORDED:
        yield ("consent.team_board_sharing", missing, say("question.team_board_sharing"))
    if not record.wound.site:
        yield ("wound.site", missing, say("question.wound_site"))
    for index, photo in enumerate(record.wound.photos):
        if photo.orientation is Orientation.UNSPECIFIED:
            yield (f"wound.photos.{index}.orientation", missing,
                   say("question.photo_orientation", number=index + 1))
    for name, vital in record.vitals.measurements().items():
        if vital.unknown:
            yield (f"vitals.{name}", missing,
                   say("question.vital_unknown", label=VITAL_LABELS[name]))
    if record.vitals.pain.value is not None and record.vitals.pain.scale in (None, "unknown"):
        yield ("vitals.pain.scale", missing, say("question.pain_scale"))
    if all(v is None for _, v in t.tissue):
        yield ("time_assessment.tissue", missing, say("question.tissue"))
    if t.infection.odour is None:
        yield ("time_assessment.infection.odour", missing, say("question.odour"))
    if t.infection.erythema is Presence.PRESENT and t.infection.erythema_extent_cm is None:
        yield ("time_assessment.infection.erythema_extent_cm", missing,
               say("question.erythema_extent"))
    moisture = t.moisture
    if moisture.exudate_level is ExudateLevel.NONE and moisture.dressing_saturation in (
        DressingSaturation.PARTIAL, DressingSaturation.FULL
    ):
        yield ("time_assessment.moisture", contra, say("question.exudate_contradiction"))
    if moisture.exudate_level in (ExudateLevel.MODERATE, ExudateLevel.HEAVY) and (
        moisture.dressing_saturation is None
    ):
        yield ("time_assessment.moisture.dressing_saturation", missing,
               say("question.dressing_saturation"))
    if t.edge.condition is None:
        yield ("time_assessment.edge.condition", missing, say("question.edge_condition"))
    if t.edge.condition is EdgeCondition.UNDERMINED and t.edge.undermining_depth_cm is None:
        yield ("time_assessment.edge.undermining_depth_cm", missing,
               say("question.undermining_depth"))


class FollowUpAgent(Agent):
    name: ClassVar[str] = "follow_up"
    state: ClassVar[WorkflowState] = WorkflowState.FOLLOW_UP
    input_kinds: ClassVar[tuple[str, ...]] = ("follow_up",)

    def on_enter(self, record: CaseRecord, ctx: AgentContext) -> AgentResult | None:
        return self._generate(record, ctx)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, FollowUpInput)
        if step_input.refresh:
            return self._generate(record, ctx)
        data = record.model_dump(mode="json")
        target = next((f for f in data["follow_ups"]
                       if f["follow_up_id"] == str(step_input.follow_up_id)), None)
        if target is None:
            raise reject("follow_up_id", say("error.follow_up.unknown"))
        if target["status"] != FollowUpStatus.PENDING.value:
            raise reject("follow_up_id", say("error.follow_up.closed"), "already_closed")
        if step_input.answer is not None:
            target.update(status="resolved", answer=step_input.answer)
        else:
            target.update(status="dismissed", dismiss_reason=step_input.dismiss_reason)
        target.update(resolved_at=ctx.now.isoformat(), resolved_by=ctx.actor.id)
        updated = revalidate(data)
        left = len(updated.pending_follow_ups())
        return AgentResult(record=updated,
                           messages=(say("agent.follow_up.still_open", count=left),))

    def _generate(self, record: CaseRecord, ctx: AgentContext) -> AgentResult:
        asked = {f.field_path for f in record.follow_ups}
        new = [
            FollowUp(follow_up_id=ctx.new_id(), question=question, field_path=path,
                     reason=reason, created_at=ctx.now)
            for path, reason, question in derive_questions(record, ctx.now.date())
            if path not in asked and check_text(question).allowed
        ]
        data = record.model_dump(mode="json")
        data["follow_ups"].extend(f.model_dump(mode="json") for f in new)
        return AgentResult(record=revalidate(data), attributed_to_agent=True,
                           messages=(say("agent.follow_up.new_questions", count=len(new)),))

    def missing(self, record: CaseRecord) -> list[str]:
        return [f"follow_ups.{i}" for i, f in enumerate(record.follow_ups)
                if f.status is FollowUpStatus.PENDING]
