"""Bio agent: demographics and consent merged, free text parsed into fields; ambiguity and
contradiction become follow-up questions, never overwrites."""

from __future__ import annotations

from datetime import date

import pytest

from tests.agents.conftest import make_ctx
from tests.factories import CLINICIAN_ID, FIXED_NOW, new_record, patch
from woundcare.agents.base import AgentContext, AgentServices
from woundcare.agents.bio import BioAgent
from woundcare.domain.enums import ConsentStatus, FollowUpReason, FollowUpStatus
from woundcare.domain.errors import InputRejected
from woundcare.domain.inputs import BioInput, ConsentPatch
from woundcare.domain.record import Patient
from woundcare.intake.models import (
    Ambiguity,
    ConsentDecision,
    ParsedConsent,
    ParsedField,
    ParsedIntake,
)
from woundcare.messages import say

AGENT = BioAgent()


def parser_returning(parsed: ParsedIntake) -> AgentContext:
    seen: list[str] = []

    def parse(text: str) -> ParsedIntake:
        seen.append(text)
        return parsed

    return make_ctx(AgentServices(intake_parser=parse))


def field(path: str, value: str | int | date) -> ParsedField:
    return ParsedField(path=path, value=value, span=(0, 1))


def test_patient_fields_are_merged_only_where_sent(ctx: AgentContext) -> None:
    record = patch(new_record(), **{"patient.last_name": "McTestface", "patient.age": 64})
    result = AGENT.run(record, BioInput(patient=Patient(first_name="Testy")), ctx)
    assert result.record.patient.first_name == "Testy"
    assert result.record.patient.last_name == "McTestface"
    assert result.record.patient.age == 64
    assert result.attributed_to_agent is False

    cleared = AGENT.run(result.record, BioInput(patient=Patient(age=None)), ctx)
    assert cleared.record.patient.age is None
    assert cleared.record.patient.first_name == "Testy"


def test_consent_is_applied_with_history(ctx: AgentContext) -> None:
    result = AGENT.run(new_record(), BioInput(consent=ConsentPatch(
        data_storage="granted", photography="declined", method="verbal")), ctx)
    consent = result.record.consent
    assert consent.data_storage is ConsentStatus.GRANTED
    assert consent.photography is ConsentStatus.DECLINED
    assert consent.captured_by == CLINICIAN_ID
    assert {h.kind.value for h in consent.history} == {"data_storage", "photography"}


def test_missing_fields_are_listed(ctx: AgentContext) -> None:
    result = AGENT.run(new_record(), BioInput(patient=Patient(first_name="Testy")), ctx)
    assert AGENT.missing(result.record) == [
        "patient.date_of_birth", "patient.sex", "consent.data_storage", "consent.photography",
        "consent.team_board_sharing"]
    assert any("date of birth" in m and "data storage" in m for m in result.messages)
    complete = AGENT.run(result.record, BioInput(
        patient=Patient(age=50, sex="unspecified"),
        consent=ConsentPatch(data_storage="granted", photography="granted",
                             team_board_sharing="declined")), ctx)
    assert AGENT.missing(complete.record) == []
    assert not any("Still to complete" in m for m in complete.messages)


def test_invalid_patient_value_is_rejected_with_path(ctx: AgentContext) -> None:
    record = new_record()
    with pytest.raises(InputRejected) as caught:
        # Constructed without validation to reach the agent's own whole-record check.
        AGENT.run(record, BioInput.model_construct(
            patient=Patient.model_construct(age=130), consent=None, free_text=None,
            source_artifact_id=None, kind="bio"), ctx)
    assert [p.path for p in caught.value.problems] == ["patient.age"]


def test_free_text_needs_a_parser(ctx: AgentContext) -> None:
    with pytest.raises(InputRejected) as caught:
        AGENT.run(new_record(), BioInput(free_text="Patient: Testy."), ctx)
    assert caught.value.problems[0].path == "free_text"


def test_free_text_fills_empty_fields_and_is_attributed_to_the_agent() -> None:
    parsed = ParsedIntake(
        fields=(field("patient.first_name", "Testy"), field("patient.mrn", "ZZTEST-0001"),
                field("patient.date_of_birth", date(1961, 4, 3))),
        consent=ParsedConsent(data_storage=ConsentDecision.GRANTED),
    )
    artifact = new_record().case_id
    result = AGENT.run(new_record(), BioInput(free_text="(synthetic)", source="typed_text",
                                              source_artifact_id=artifact),
                       parser_returning(parsed))
    patient = result.record.patient
    assert (patient.first_name, patient.mrn, patient.date_of_birth) == (
        "Testy", "ZZTEST-0001", date(1961, 4, 3))
    assert result.record.consent.data_storage is ConsentStatus.GRANTED
    assert result.record.consent.photography is ConsentStatus.NOT_RECORDED
    assert result.attributed_to_agent is True
    assert result.source_artifact_id == artifact
    assert any("3 field(s)" in m for m in result.messages)
    assert result.record.follow_ups == []


def test_ambiguous_date_becomes_a_follow_up_not_a_guess() -> None:
    question = "Is the date of birth 3 April 1961 or 4 March 1961?"
    parsed = ParsedIntake(
        fields=(field("patient.first_name", "Testy"),),
        ambiguities=(Ambiguity(path="patient.date_of_birth",
                               candidates=("1961-04-03", "1961-03-04"), question=question),),
    )
    result = AGENT.run(new_record(), BioInput(free_text="DOB 03/04/1961"),
                       parser_returning(parsed))
    assert result.record.patient.date_of_birth is None
    [follow_up] = result.record.follow_ups
    assert follow_up.field_path == "patient.date_of_birth"
    assert follow_up.reason is FollowUpReason.AMBIGUOUS
    assert follow_up.status is FollowUpStatus.PENDING
    # A question that is not a catalogued sentence is replaced by the catalogue's own; the
    # candidates travel as data, never inside the sentence.
    assert follow_up.question == say("question.undecided", label="date of birth")
    assert question not in follow_up.question
    assert follow_up.created_at == FIXED_NOW
    assert any("unclear" in m for m in result.messages)


def test_contradiction_becomes_a_follow_up_and_keeps_the_entered_value() -> None:
    record = patch(new_record(), **{"patient.first_name": "Testy", "patient.age": 64})
    parsed = ParsedIntake(fields=(field("patient.first_name", "Tessa"),
                                  field("patient.age", 64),
                                  field("patient.last_name", "McTestface")))
    result = AGENT.run(record, BioInput(free_text="(synthetic)"), parser_returning(parsed))
    assert result.record.patient.first_name == "Testy"
    assert result.record.patient.last_name == "McTestface"
    [follow_up] = result.record.follow_ups  # the agreeing age raises nothing
    assert follow_up.field_path == "patient.first_name"
    assert follow_up.reason is FollowUpReason.CONTRADICTION
    assert "first name" in follow_up.question


def test_consent_in_text_never_overwrites_a_recorded_decision() -> None:
    record = patch(new_record(), **{"consent.photography": "declined"})
    parsed = ParsedIntake(consent=ParsedConsent(photography=ConsentDecision.GRANTED,
                                                data_storage=ConsentDecision.GRANTED))
    result = AGENT.run(record, BioInput(free_text="(synthetic)"), parser_returning(parsed))
    assert result.record.consent.photography is ConsentStatus.DECLINED
    assert result.record.consent.data_storage is ConsentStatus.GRANTED  # was not recorded
    [follow_up] = result.record.follow_ups
    assert follow_up.field_path == "consent.photography"
    assert follow_up.reason is FollowUpReason.CONTRADICTION


def test_typed_fields_win_over_text_in_the_same_submission() -> None:
    parsed = ParsedIntake(fields=(field("patient.first_name", "Tessa"),))
    result = AGENT.run(new_record(), BioInput(free_text="(synthetic)",
                                              patient=Patient(first_name="Testy")),
                       parser_returning(parsed))
    assert result.record.patient.first_name == "Testy"
    assert result.attributed_to_agent is False


def test_real_offline_parser_ambiguous_date_and_contradiction() -> None:
    from woundcare.intake.freetext import parse_free_text

    ctx = make_ctx(AgentServices(
        intake_parser=lambda text: parse_free_text(text, today=FIXED_NOW.date())))
    record = patch(new_record(), **{"patient.mrn": "ZZTEST-9999"})
    text = ("Patient: Testy McTestface. DOB 03/04/1961. MRN ZZTEST-0001. "
            "Patient consents to data storage.")
    result = AGENT.run(record, BioInput(free_text=text, source="typed_text"), ctx)
    patient = result.record.patient
    assert patient.date_of_birth is None  # 3 April or 4 March: asked, not guessed
    assert patient.mrn == "ZZTEST-9999"  # the entered MRN is kept
    reasons = {f.field_path: f.reason for f in result.record.follow_ups}
    assert reasons["patient.date_of_birth"] is FollowUpReason.AMBIGUOUS
    assert reasons["patient.mrn"] is FollowUpReason.CONTRADICTION
    assert patient.first_name == "Testy"
    assert result.record.consent.data_storage is ConsentStatus.GRANTED


def test_the_same_text_twice_does_not_ask_the_same_question_twice() -> None:
    from woundcare.agents.base import AgentServices
    from woundcare.agents.bio import BioAgent
    from woundcare.domain.inputs import BioInput
    from woundcare.intake.freetext import parse_free_text

    ctx = make_ctx(AgentServices(
        intake_parser=lambda t: parse_free_text(t, today=FIXED_NOW.date())))
    record = new_record()
    text = "Name: Testy McTestface. DOB 03/04/1961."
    once = BioAgent().run(record, BioInput(free_text=text), ctx).record
    twice = BioAgent().run(once, BioInput(free_text=text), ctx).record
    assert len(once.pending_follow_ups()) == 1
    assert [f.question for f in twice.pending_follow_ups()] == [
        f.question for f in once.pending_follow_ups()]
