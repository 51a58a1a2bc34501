"""Follow-up agent: neutral questions about missing or contradictory fields across the whole
record; each is answered, or dismissed with a reason. Questions pass the no-advice guardrail.

An answer to a question about a field is validated like a direct edit of that field and, when
valid, written there; the provenance of the write names the question
(``event="follow_up:<id>"``). An invalid answer is refused with the reason and the question
stays open (see :mod:`woundcare.agents.answers`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from woundcare.agents.answers import AnswerRejected, read_answer
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
from woundcare.domain.errors import InputRejected
from woundcare.domain.guards import VITAL_LABELS
from woundcare.domain.inputs import FollowUpInput
from woundcare.domain.record import CaseRecord, FollowUp
from woundcare.guardrail import check_text

Question = tuple[str, FollowUpReason, str]  # (field path, reason, question)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def derive_questions(record: CaseRecord, today: date) -> Iterator[Question]:
    """Every neutral question the record raises now, in a stable order."""
    p, t, missing, contra = record.patient, record.time_assessment, FollowUpReason.MISSING, (
        FollowUpReason.CONTRADICTION)
    if p.date_of_birth and p.age is not None and abs(age_on(p.date_of_birth, today) - p.age) > 1:
        yield ("patient.age", contra, "Date of birth and age disagree; which one is correct?")
    if p.sex is None:
        yield ("patient.sex", missing,
               "What is the patient's sex (female, male, intersex or unspecified)?")
    if p.mrn is None:
        yield ("patient.mrn", missing, "Does the patient have a medical record number to add?")
    if record.consent.team_board_sharing is ConsentStatus.NOT_RECORDED:
        yield ("consent.team_board_sharing", missing,
               "Has the patient been asked about sharing this case with the team board?")
    if not record.wound.site:
        yield ("wound.site", missing, "Where on the body is the wound?")
    for index, photo in enumerate(record.wound.photos):
        if photo.orientation is Orientation.UNSPECIFIED:
            yield (f"wound.photos.{index}.orientation", missing,
                   f"Which view does photo {index + 1} show (for example anterior or lateral)?")
    for name, vital in record.vitals.measurements().items():
        if vital.unknown:
            yield (f"vitals.{name}", missing,
                   f"{VITAL_LABELS[name]} was marked unknown; can it be recorded now?")
    if record.vitals.pain.value is not None and record.vitals.pain.scale in (None, "unknown"):
        yield ("vitals.pain.scale", missing, "Which pain scale was used for the pain score?")
    if all(v is None for _, v in t.tissue):
        yield ("time_assessment.tissue", missing,
               "What share of the wound bed is granulation, slough, necrotic and epithelial "
               "tissue?")
    if t.infection.odour is None:
        yield ("time_assessment.infection.odour", missing, "Is there any odour from the wound?")
    if t.infection.erythema is Presence.PRESENT and t.infection.erythema_extent_cm is None:
        yield ("time_assessment.infection.erythema_extent_cm", missing,
               "How far does the erythema extend from the wound edge, in cm?")
    moisture = t.moisture
    if moisture.exudate_level is ExudateLevel.NONE and moisture.dressing_saturation in (
        DressingSaturation.PARTIAL, DressingSaturation.FULL
    ):
        yield ("time_assessment.moisture", contra,
               "Exudate is recorded as none but the dressing was saturated; which is correct?")
    if moisture.exudate_level in (ExudateLevel.MODERATE, ExudateLevel.HEAVY) and (
        moisture.dressing_saturation is None
    ):
        yield ("time_assessment.moisture.dressing_saturation", missing,
               "Was the dressing saturated when it was removed?")
    if t.edge.condition is None:
        yield ("time_assessment.edge.condition", missing, "How would you describe the wound edge?")
    if t.edge.condition is EdgeCondition.UNDERMINED and t.edge.undermining_depth_cm is None:
        yield ("time_assessment.edge.undermining_depth_cm", missing,
               "How deep is the undermining, in cm?")


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
            raise reject("follow_up_id", "No such follow-up question on this case.")
        if target["status"] != FollowUpStatus.PENDING.value:
            raise reject("follow_up_id", "This question is already closed.", "already_closed")
        written = 0
        if step_input.answer is not None:
            writes = read_answer(target["field_path"], step_input.answer, ctx.now)
            for path, value in (writes or {}).items():
                _set_path(data, path, value)
            written = len(writes or {})
            target.update(status="resolved", answer=step_input.answer)
        else:
            target.update(status="dismissed", dismiss_reason=step_input.dismiss_reason)
        target.update(resolved_at=ctx.now.isoformat(), resolved_by=ctx.actor.id)
        try:
            updated = revalidate(data)
        except InputRejected as exc:  # the value is not valid for its field: say why
            reason = exc.problems[0].message if exc.problems else "The answer is not valid."
            raise AnswerRejected(reason) from None
        left = len(updated.pending_follow_ups())
        messages = [f"{left} question(s) still open."]
        if written:
            messages.insert(0, "The answer was saved to the record.")
        elif step_input.answer is not None and target["field_path"].startswith("consent."):
            messages.insert(0, "Consent is recorded in the consent section; the answer was "
                               "kept as a note.")
        return AgentResult(record=updated, messages=tuple(messages),
                           provenance_event=f"follow_up:{step_input.follow_up_id}")

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
                           messages=(f"{len(new)} new question(s) to answer or dismiss.",))

    def missing(self, record: CaseRecord) -> list[str]:
        return [f"follow_ups.{i}" for i, f in enumerate(record.follow_ups)
                if f.status is FollowUpStatus.PENDING]


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in the record's JSON ("wound.photos.0.orientation")."""
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value
