"""Review, data steward, security (PIN linker) and export agents."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from tests.agents.conftest import make_ctx
from tests.factories import (
    CLINICIAN_ID,
    FIXED_NOW,
    OTHER_CLINICIAN_ID,
    SYNTHETIC_PIN,
    FakePinVerifier,
    FakeSealer,
    RecordingExporter,
    complete_record,
    patch,
    sign,
)
from woundcare.adapters.pin_verifier import InMemoryPinVerifier, PinLocked
from woundcare.adapters.sealer import EnvelopeSealer
from woundcare.agents.base import AgentContext, AgentServices
from woundcare.agents.export import ExportAgent
from woundcare.agents.review import STATEMENT, ReviewAgent
from woundcare.agents.security import SecurityAgent
from woundcare.agents.steward import DataStewardAgent
from woundcare.crypto.envelope import decrypt_field, encrypt_field, new_data_key
from woundcare.crypto.passwords import PinHasher
from woundcare.domain.digest import record_digest
from woundcare.domain.enums import CaseStatus, WorkflowState
from woundcare.domain.errors import InputRejected, PinRejected
from woundcare.domain.guards import clinician_linked, json_assembled, review_completed, stored
from woundcare.domain.inputs import AssembleInput, ExportInput, PinInput, ReviewInput
from woundcare.domain.sensitive import sensitive_paths

S = WorkflowState


def test_review_attestation(ctx: AgentContext) -> None:
    agent = ReviewAgent()
    record = complete_record(S.REVIEW)
    assert agent.missing(record) == ["review"]
    result = agent.run(record, ReviewInput(attest=True), ctx)
    review = result.record.review
    assert review is not None
    assert (review.attested_by, review.attested_at, review.statement) == (
        CLINICIAN_ID, FIXED_NOW, STATEMENT)
    assert review_completed(result.record) == []
    assert agent.missing(result.record) == []


# ---------------------------------------------------------------- data steward


def test_steward_seals_and_marks_ready_for_review() -> None:
    sealer = FakeSealer()
    agent = DataStewardAgent()
    record = complete_record(S.ASSEMBLE_JSON)
    result = agent.run(record, AssembleInput(), make_ctx(AgentServices(sealer=sealer)))
    assert sealer.calls == [record.case_id]
    assert result.record.status is CaseStatus.READY_FOR_REVIEW
    assert result.record.seal is not None
    assert result.record.seal.sealed_paths == sorted(sensitive_paths(record.model_dump(
        mode="json")))
    assert "patient.first_name" in result.record.seal.sealed_paths
    assert result.attributed_to_agent is True
    assert f"{len(result.record.seal.sealed_paths)} sensitive" in result.messages[0]
    assert json_assembled(result.record) == []


def test_steward_runs_on_entering_assemble() -> None:
    agent = DataStewardAgent()
    result = agent.on_enter(complete_record(S.ASSEMBLE_JSON),
                            make_ctx(AgentServices(sealer=FakeSealer())))
    assert result is not None
    assert result.record.seal is not None


def test_steward_refuses_without_a_sealer(ctx: AgentContext) -> None:
    record = complete_record(S.ASSEMBLE_JSON)
    with pytest.raises(InputRejected) as caught:
        DataStewardAgent().run(record, AssembleInput(), ctx)
    assert caught.value.problems[0].code == "encryption_unavailable"


def test_steward_refuses_an_incomplete_record() -> None:
    sealer = FakeSealer()
    record = complete_record(S.ASSEMBLE_JSON).model_copy(update={"review": None})
    with pytest.raises(InputRejected) as caught:
        DataStewardAgent().run(record, AssembleInput(), make_ctx(AgentServices(sealer=sealer)))
    assert caught.value.problems[0].code == "record_incomplete"
    assert "1 item(s)" in caught.value.message
    assert sealer.calls == []


def test_steward_with_the_envelope_sealer() -> None:
    keys: dict[object, bytes] = {}

    def data_key_for(case_id: object) -> tuple[bytes, str]:
        return keys.setdefault(case_id, new_data_key()), "test-kek-1"

    record = complete_record(S.ASSEMBLE_JSON)
    result = DataStewardAgent().run(
        record, AssembleInput(), make_ctx(AgentServices(sealer=EnvelopeSealer(data_key_for))))
    seal = result.record.seal
    assert seal is not None
    assert seal.key_version == "test-kek-1"
    assert seal.sealed_paths == sorted(sensitive_paths(record.model_dump(mode="json")))
    # The same key round-trips a field bound to this case and path only.
    dek = keys[record.case_id]
    token = encrypt_field(dek, record.case_id, "patient.first_name", '"Testy"')
    assert token != '"Testy"'
    assert decrypt_field(dek, record.case_id, "patient.first_name", token) == '"Testy"'


# ---------------------------------------------------------------- security / PIN linker


def security_ctx(verifier: object) -> AgentContext:
    return make_ctx(AgentServices(pin_verifier=verifier))  # type: ignore[arg-type]


def test_right_pin_signs_the_record_digest() -> None:
    verifier = FakePinVerifier()
    record = complete_record(S.LINK_TO_CLINICIAN)
    result = SecurityAgent().run(record, PinInput(pin=SYNTHETIC_PIN), security_ctx(verifier))
    linkage = result.record.pin_linkage
    assert linkage is not None
    assert (linkage.clinician_id, linkage.signed_at) == (CLINICIAN_ID, FIXED_NOW)
    assert linkage.record_digest == record_digest(record)
    assert SYNTHETIC_PIN not in result.record.model_dump_json()
    assert clinician_linked(result.record) == []
    assert SYNTHETIC_PIN not in repr(PinInput(pin=SYNTHETIC_PIN))


def test_wrong_pin_is_refused_and_nothing_is_signed() -> None:
    verifier = FakePinVerifier()
    record = complete_record(S.LINK_TO_CLINICIAN)
    with pytest.raises(PinRejected):
        SecurityAgent().run(record, PinInput(pin="999999"), security_ctx(verifier))
    assert verifier.failures == {CLINICIAN_ID: 1}
    assert record.pin_linkage is None


def test_pin_refused_when_consent_is_not_granted() -> None:
    verifier = FakePinVerifier()
    record = patch(complete_record(S.LINK_TO_CLINICIAN), **{"consent.data_storage": "declined"})
    with pytest.raises(InputRejected) as caught:
        SecurityAgent().run(record, PinInput(pin=SYNTHETIC_PIN), security_ctx(verifier))
    assert caught.value.problems[0].code == "consent_required"
    assert verifier.calls == 0  # the PIN is not even checked


def test_pin_refused_without_a_verifier(ctx: AgentContext) -> None:
    with pytest.raises(InputRejected) as caught:
        SecurityAgent().run(complete_record(S.LINK_TO_CLINICIAN), PinInput(pin=SYNTHETIC_PIN),
                            ctx)
    assert caught.value.problems[0].path == "pin"


def test_in_memory_verifier_locks_out_after_repeated_wrong_pins() -> None:
    verifier = InMemoryPinVerifier(PinHasher(os.urandom(32), fast=True), max_attempts=3,
                                   window=timedelta(minutes=15))
    verifier.set_pin(CLINICIAN_ID, SYNTHETIC_PIN)
    verifier.set_pin(OTHER_CLINICIAN_ID, "13579")
    verifier.verify(CLINICIAN_ID, SYNTHETIC_PIN)
    for _ in range(3):
        with pytest.raises(PinRejected) as caught:
            verifier.verify(CLINICIAN_ID, "000000")
        assert not isinstance(caught.value, PinLocked)
    with pytest.raises(PinLocked) as locked:
        verifier.verify(CLINICIAN_ID, SYNTHETIC_PIN)  # even the right PIN, while locked
    assert locked.value.until > datetime.now(UTC)
    verifier.verify(OTHER_CLINICIAN_ID, "13579")  # other clinicians are unaffected
    with pytest.raises(PinRejected):
        verifier.verify(UUID(int=12345), SYNTHETIC_PIN)


def test_in_memory_verifier_window_expires() -> None:
    verifier = InMemoryPinVerifier(PinHasher(os.urandom(32), fast=True), max_attempts=1,
                                   window=timedelta(microseconds=1))
    verifier.set_pin(CLINICIAN_ID, SYNTHETIC_PIN)
    with pytest.raises(PinRejected):
        verifier.verify(CLINICIAN_ID, "000000")
    verifier.verify(CLINICIAN_ID, SYNTHETIC_PIN)


def test_security_agent_with_real_verifier_and_lockout() -> None:
    verifier = InMemoryPinVerifier(PinHasher(os.urandom(32), fast=True), max_attempts=2)
    verifier.set_pin(CLINICIAN_ID, SYNTHETIC_PIN)
    ctx = security_ctx(verifier)
    record = complete_record(S.LINK_TO_CLINICIAN)
    for _ in range(2):
        with pytest.raises(PinRejected):
            SecurityAgent().run(record, PinInput(pin="1111"), ctx)
    with pytest.raises(PinLocked):
        SecurityAgent().run(record, PinInput(pin=SYNTHETIC_PIN), ctx)


# ---------------------------------------------------------------- export


def export_ctx(exporter: RecordingExporter | None = None) -> AgentContext:
    return make_ctx(AgentServices(exporter=exporter))


def test_export_locks_and_delivers() -> None:
    exporter = RecordingExporter()
    record = complete_record(S.STORE_SYNC)
    result = ExportAgent().run(record, ExportInput(destinations=["archive", "ehr"]),
                               export_ctx(exporter))
    assert result.record.status is CaseStatus.LOCKED
    assert result.record.export is not None
    assert result.record.export.destinations == ["archive", "ehr"]
    assert result.record.export.exported_by == CLINICIAN_ID
    assert exporter.delivered == [(record.case_id, ["archive", "ehr"])]
    assert result.record.pin_linkage == record.pin_linkage  # the signature still matches
    assert stored(result.record) == []


@pytest.mark.parametrize(("change", "path", "code"), [
    ({"consent.data_storage": "declined"}, "consent.data_storage", "consent_required"),
    ({"consent.data_storage": "not_recorded"}, "consent.data_storage", "consent_required"),
])
def test_export_refused_without_consent(change: dict[str, str], path: str, code: str) -> None:
    record = patch(complete_record(S.STORE_SYNC), **change)
    with pytest.raises(InputRejected) as caught:
        ExportAgent().run(record, ExportInput(), export_ctx())
    assert (caught.value.problems[0].path, caught.value.problems[0].code) == (path, code)


def test_export_refused_without_or_with_a_stale_linkage() -> None:
    record = complete_record(S.STORE_SYNC)
    for bad in (record.model_copy(update={"pin_linkage": None}),
                patch(record, **{"wound.description": "Edited after signing (synthetic)."})):
        with pytest.raises(InputRejected) as caught:
            ExportAgent().run(bad, ExportInput(), export_ctx())
        assert caught.value.problems[0].code == "not_signed"


def test_export_refused_without_seal() -> None:
    record = complete_record(S.STORE_SYNC).model_copy(update={"seal": None})
    with pytest.raises(InputRejected) as caught:
        ExportAgent().run(record, ExportInput(), export_ctx())
    assert caught.value.problems[0].code == "not_encrypted"


def test_team_board_needs_its_own_consent() -> None:
    exporter = RecordingExporter()
    record = complete_record(S.STORE_SYNC)  # team-board sharing declined in the factory
    with pytest.raises(InputRejected) as caught:
        ExportAgent().run(record, ExportInput(destinations=["archive", "team_board"]),
                          export_ctx(exporter))
    assert caught.value.problems[0].path == "destinations"
    assert exporter.delivered == []
    granted = patch(record, **{"consent.team_board_sharing": "granted"})
    granted = sign(granted)
    result = ExportAgent().run(granted, ExportInput(destinations=["team_board"]),
                               export_ctx(exporter))
    assert result.record.export is not None
    assert result.record.export.destinations == ["team_board"]


def test_export_of_a_locked_record_is_refused() -> None:
    done = complete_record(S.DONE)
    with pytest.raises(InputRejected) as caught:
        ExportAgent().run(done, ExportInput(), export_ctx())
    assert caught.value.problems[0].code == "already_exported"
