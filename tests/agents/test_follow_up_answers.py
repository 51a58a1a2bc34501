"""Follow-up answers are validated like direct edits and reach the record."""

from __future__ import annotations

from uuid import UUID

import pytest

from tests.factories import FIXED_NOW, complete_record, patch
from woundcare.agents.answers import AnswerRejected, read_answer
from woundcare.agents.base import AgentContext
from woundcare.agents.follow_up import FollowUpAgent
from woundcare.domain.enums import FollowUpStatus, WorkflowState
from woundcare.domain.errors import InputRejected
from woundcare.domain.inputs import FollowUpInput
from woundcare.domain.record import CaseRecord

AGENT = FollowUpAgent()


def ask(record: CaseRecord, ctx: AgentContext, path: str) -> tuple[CaseRecord, UUID]:
    asked = AGENT.run(record, FollowUpInput(refresh=True), ctx).record
    question = next(f for f in asked.follow_ups if f.field_path == path)
    return asked, question.follow_up_id


@pytest.mark.parametrize(("path", "answer", "expected"), [
    ("patient.sex", "female", {"patient.sex": "female"}),
    ("patient.sex", "  Male. ", {"patient.sex": "male"}),
    ("patient.sex", "F", {"patient.sex": "female"}),
    ("patient.sex", "prefer not to say", {"patient.sex": "unspecified"}),
    ("patient.mrn", "ZZTEST-0042", {"patient.mrn": "ZZTEST-0042"}),
    ("patient.mrn", "None", {}),
    ("patient.age", "79", {"patient.age": 79}),
    ("patient.age", "seventy-nine", {"patient.age": 79}),
    ("patient.date_of_birth", "1950-03-04", {"patient.date_of_birth": "1950-03-04"}),
    ("patient.date_of_birth", "4 March 1950", {"patient.date_of_birth": "1950-03-04"}),
    ("wound.photos.0.orientation", "Lateral", {"wound.photos.0.orientation": "lateral"}),
    ("time_assessment.infection.odour", "absent", {"time_assessment.infection.odour": "absent"}),
    ("time_assessment.infection.erythema_extent_cm", "2.5 cm",
     {"time_assessment.infection.erythema_extent_cm": 2.5}),
    ("time_assessment.edge.undermining_depth_cm", "1", {
        "time_assessment.edge.undermining_depth_cm": 1.0}),
    ("time_assessment.moisture.dressing_saturation", "partly",
     {"time_assessment.moisture.dressing_saturation": "partial"}),
    ("vitals.pain.scale", "NRS", {"vitals.pain.scale": "nrs"}),
    ("consent.team_board_sharing", "Yes, she agreed", None),
    ("time_assessment.tissue", "About half granulation", None),
])
def test_answers_read_as_values(path: str, answer: str, expected: dict[str, object] | None
                                ) -> None:
    assert read_answer(path, answer, FIXED_NOW) == expected


def test_a_vital_answer_records_value_unit_and_time() -> None:
    writes = read_answer("vitals.respiratory_rate", "18", FIXED_NOW)
    assert writes == {"vitals.respiratory_rate.value": 18,
                      "vitals.respiratory_rate.unit": "breaths/min",
                      "vitals.respiratory_rate.unknown": False,
                      "vitals.respiratory_rate.captured_at": FIXED_NOW.isoformat()}
    assert read_answer("vitals.respiratory_rate", "Not measured", FIXED_NOW) == {}


@pytest.mark.parametrize(("path", "answer", "reason"), [
    ("patient.sex", "Checked with the patient.", "female, male, intersex, unspecified"),
    ("patient.sex", "woman?", "sex"),
    ("patient.age", "old", "number from 0 to 120"),
    ("patient.age", "130", "number from 0 to 120"),
    ("patient.date_of_birth", "03/04/1950", "more than one way"),
    ("patient.date_of_birth", "2090-01-01", "future"),
    ("patient.date_of_birth", "sometime in spring", "one date of birth"),
    ("patient.first_name", "R2D2", "letters"),
    ("time_assessment.infection.erythema_extent_cm", "a lot", "number from 0 to 100"),
    ("time_assessment.edge.condition", "nice", "attached"),
    ("wound.photos.0.orientation", "the left one", "anterior"),
    ("vitals.blood_pressure", "high", "systolic/diastolic"),
    ("patient.mrn", "Checked with the patient.", "at least one digit"),
])
def test_invalid_answers_are_refused_with_a_reason(path: str, answer: str, reason: str) -> None:
    with pytest.raises(AnswerRejected) as caught:
        read_answer(path, answer, FIXED_NOW)
    [problem] = caught.value.problems
    assert problem.path == "answer"
    assert problem.code == "invalid_answer"
    assert reason in problem.message


def test_the_answer_reaches_the_field_and_names_the_question(ctx: AgentContext) -> None:
    record, question_id = ask(patch(complete_record(WorkflowState.FOLLOW_UP),
                                    **{"patient.sex": None}), ctx, "patient.sex")
    result = AGENT.run(record, FollowUpInput(follow_up_id=question_id, answer="female"), ctx)
    assert result.record.patient.sex is not None
    assert result.record.patient.sex.value == "female"
    assert result.provenance_event == f"follow_up:{question_id}"
    item = next(f for f in result.record.follow_ups if f.follow_up_id == question_id)
    assert item.status is FollowUpStatus.RESOLVED


def test_an_invalid_answer_keeps_the_question_open(ctx: AgentContext) -> None:
    record, question_id = ask(patch(complete_record(WorkflowState.FOLLOW_UP),
                                    **{"patient.sex": None}), ctx, "patient.sex")
    with pytest.raises(InputRejected) as caught:
        AGENT.run(record, FollowUpInput(follow_up_id=question_id, answer="not sure yet"), ctx)
    assert caught.value.problems[0].path == "answer"
    item = next(f for f in record.follow_ups if f.follow_up_id == question_id)
    assert item.status is FollowUpStatus.PENDING  # the record handed in is unchanged


def test_a_value_the_record_refuses_is_refused_with_the_records_reason(
        ctx: AgentContext) -> None:
    record, question_id = ask(patch(complete_record(WorkflowState.FOLLOW_UP),
                                    **{"patient.mrn": None}), ctx, "patient.mrn")
    with pytest.raises(InputRejected) as caught:
        AGENT.run(record, FollowUpInput(follow_up_id=question_id, answer="#bad mrn!"), ctx)
    assert caught.value.problems[0].path == "answer"


def test_consent_questions_never_change_consent(ctx: AgentContext) -> None:
    record, question_id = ask(patch(complete_record(WorkflowState.FOLLOW_UP),
                                    **{"consent.team_board_sharing": "not_recorded"}), ctx,
                              "consent.team_board_sharing")
    result = AGENT.run(record, FollowUpInput(follow_up_id=question_id,
                                             answer="Yes, granted"), ctx)
    assert result.record.consent == record.consent
    assert any("consent section" in m for m in result.messages)

