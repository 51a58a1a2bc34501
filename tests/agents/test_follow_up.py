"""Follow-up agent: neutral questions about gaps and contradictions, deduplicated; answered or
dismissed with a reason."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from tests.factories import CLINICIAN_ID, FIXED_NOW, complete_record, patch
from woundcare.agents.base import AgentContext
from woundcare.agents.follow_up import FollowUpAgent, age_on, derive_questions
from woundcare.domain.enums import FollowUpReason, FollowUpStatus, Sex, WorkflowState
from woundcare.domain.errors import InputRejected
from woundcare.domain.guards import follow_up_resolved
from woundcare.domain.inputs import FollowUpInput
from woundcare.domain.record import CaseRecord
from woundcare.guardrail import check_text

AGENT = FollowUpAgent()


def follow_up_record(**changes: object) -> CaseRecord:
    return patch(complete_record(WorkflowState.FOLLOW_UP), **changes)


def paths(record: CaseRecord) -> list[str]:
    return [f.field_path for f in record.follow_ups]


def test_a_complete_record_raises_no_question(ctx: AgentContext) -> None:
    record = follow_up_record(**{"vitals.oxygen_saturation": {"value": 97, "unit": "%",
                                                              "captured_at": FIXED_NOW.isoformat()},
                                 "consent.team_board_sharing": "granted"})
    assert list(derive_questions(record, FIXED_NOW.date())) == []
    result = AGENT.run(record, FollowUpInput(refresh=True), ctx)
    assert result.record.follow_ups == []
    assert result.messages == ("0 new question(s) to answer or dismiss.",)


@pytest.mark.parametrize(("changes", "path", "reason"), [
    ({"patient.sex": None}, "patient.sex", FollowUpReason.MISSING),
    ({"patient.mrn": None}, "patient.mrn", FollowUpReason.MISSING),
    ({"consent.team_board_sharing": "not_recorded"}, "consent.team_board_sharing",
     FollowUpReason.MISSING),
    ({"wound.site": None}, "wound.site", FollowUpReason.MISSING),
    ({"wound.photos.0.orientation": "unspecified"}, "wound.photos.0.orientation",
     FollowUpReason.MISSING),
    ({"vitals.pain.scale": "unknown"}, "vitals.pain.scale", FollowUpReason.MISSING),
    ({"time_assessment.infection.odour": None}, "time_assessment.infection.odour",
     FollowUpReason.MISSING),
    ({"time_assessment.infection.erythema": "present"},
     "time_assessment.infection.erythema_extent_cm", FollowUpReason.MISSING),
    ({"time_assessment.moisture.exudate_level": "heavy",
      "time_assessment.moisture.dressing_saturation": None},
     "time_assessment.moisture.dressing_saturation", FollowUpReason.MISSING),
    ({"time_assessment.moisture.exudate_level": "none"}, "time_assessment.moisture",
     FollowUpReason.CONTRADICTION),
    ({"time_assessment.edge.condition": "undermined"},
     "time_assessment.edge.undermining_depth_cm", FollowUpReason.MISSING),
    ({"patient.age": 30}, "patient.age", FollowUpReason.CONTRADICTION),
])
def test_each_gap_or_contradiction_becomes_one_question(
        ctx: AgentContext, changes: dict[str, object], path: str,
        reason: FollowUpReason) -> None:
    base = follow_up_record()
    before = set(paths(AGENT.run(base, FollowUpInput(refresh=True), ctx).record))
    record = follow_up_record(**changes)
    result = AGENT.run(record, FollowUpInput(refresh=True), ctx)
    new = [f for f in result.record.follow_ups if f.field_path not in before]
    assert [(f.field_path, f.reason) for f in new] == [(path, reason)]
    question = new[0]
    assert question.status is FollowUpStatus.PENDING
    assert question.created_at == FIXED_NOW
    assert question.question.endswith("?")
    assert check_text(question.question).allowed
    assert result.attributed_to_agent is True


def test_age_and_date_of_birth_agreeing_raise_nothing() -> None:
    born = date(1961, 4, 3)
    assert age_on(born, date(2026, 4, 2)) == 64
    assert age_on(born, date(2026, 4, 3)) == 65
    record = follow_up_record(**{"patient.age": 64})
    assert "patient.age" not in [p for p, _, _ in derive_questions(record, FIXED_NOW.date())]


def test_generation_is_deduplicated(ctx: AgentContext) -> None:
    record = follow_up_record(**{"patient.sex": None, "wound.site": None})
    first = AGENT.on_enter(record, ctx)
    assert first is not None
    asked = paths(first.record)
    assert {"patient.sex", "wound.site"} <= set(asked)
    assert len(asked) == len(set(asked))
    second = AGENT.run(first.record, FollowUpInput(refresh=True), ctx)
    assert paths(second.record) == asked
    assert second.messages == ("0 new question(s) to answer or dismiss.",)
    # A closed question is not asked again either.
    sex = next(f for f in first.record.follow_ups if f.field_path == "patient.sex")
    answered = AGENT.run(first.record, FollowUpInput(follow_up_id=sex.follow_up_id,
                                                     answer="unspecified"), ctx)
    assert answered.record.patient.sex is Sex.UNSPECIFIED
    again = AGENT.run(answered.record, FollowUpInput(refresh=True), ctx)
    assert paths(again.record).count("patient.sex") == 1


def test_questions_blocked_by_the_guardrail_are_dropped(
        ctx: AgentContext, monkeypatch: pytest.MonkeyPatch) -> None:
    import woundcare.agents.follow_up as module

    class Verdict:
        def __init__(self, allowed: bool) -> None:
            self.allowed = allowed

    monkeypatch.setattr(module, "check_text", lambda text: Verdict("wound" not in text))
    record = follow_up_record(**{"patient.sex": None, "wound.site": None})
    result = AGENT.run(record, FollowUpInput(refresh=True), ctx)
    assert "patient.sex" in paths(result.record)
    assert "wound.site" not in paths(result.record)


def test_answer_and_dismiss(ctx: AgentContext) -> None:
    record = AGENT.run(follow_up_record(**{"patient.sex": None, "wound.site": None}),
                       FollowUpInput(refresh=True), ctx).record
    pending = record.pending_follow_ups()
    assert len(follow_up_resolved(record)) == len(pending) >= 2
    first, second = pending[0], pending[1]
    assert first.field_path == "patient.sex"
    answered = AGENT.run(record, FollowUpInput(follow_up_id=first.follow_up_id,
                                               answer="Female"), ctx)
    closed = next(f for f in answered.record.follow_ups if f.follow_up_id == first.follow_up_id)
    assert (closed.status, closed.answer, closed.resolved_at, closed.resolved_by) == (
        FollowUpStatus.RESOLVED, "Female", FIXED_NOW, CLINICIAN_ID)
    assert answered.record.patient.sex is Sex.FEMALE
    assert answered.provenance_event == f"follow_up:{first.follow_up_id}"
    assert answered.messages == ("The answer was saved to the record.",
                                 f"{len(pending) - 1} question(s) still open.")

    dismissed = AGENT.run(answered.record, FollowUpInput(
        follow_up_id=second.follow_up_id, dismiss_reason="Not applicable (synthetic)."), ctx)
    item = next(f for f in dismissed.record.follow_ups if f.follow_up_id == second.follow_up_id)
    assert (item.status, item.dismiss_reason, item.answer) == (
        FollowUpStatus.DISMISSED, "Not applicable (synthetic).", None)
    assert len(follow_up_resolved(dismissed.record)) == len(pending) - 2

    with pytest.raises(InputRejected) as caught:
        AGENT.run(dismissed.record, FollowUpInput(follow_up_id=first.follow_up_id,
                                                  answer="Again."), ctx)
    assert caught.value.problems[0].code == "already_closed"
    with pytest.raises(InputRejected) as caught:
        AGENT.run(dismissed.record, FollowUpInput(follow_up_id=UUID(int=424242),
                                                  answer="Nope."), ctx)
    assert caught.value.problems[0].path == "follow_up_id"


def test_follow_up_input_needs_exactly_one_action() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        FollowUpInput(follow_up_id=UUID(int=1))
    with pytest.raises(ValidationError):
        FollowUpInput(follow_up_id=UUID(int=1), answer="a", dismiss_reason="Not relevant.")
    with pytest.raises(ValidationError):
        FollowUpInput(answer="a")
    with pytest.raises(ValidationError):
        FollowUpInput(follow_up_id=UUID(int=1), dismiss_reason="no")  # too short a reason


def test_missing_lists_pending(ctx: AgentContext) -> None:
    record = AGENT.run(follow_up_record(**{"patient.sex": None}), FollowUpInput(refresh=True),
                       ctx).record
    assert AGENT.missing(record) == [f"follow_ups.{i}" for i, f in enumerate(record.follow_ups)
                                     if f.status is FollowUpStatus.PENDING]
    assert AGENT.missing(record)
