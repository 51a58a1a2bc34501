"""The orchestrator: transitions through real steps, provenance for every changed field, one
atomic autosave per accepted step, none on a refused one; rollback, reset, lock, consent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import CLINICIAN_ID, ORG_ID, SYNTHETIC_PIN
from tests.workflow.harness import CLINICIAN, Harness
from woundcare.domain.enums import (
    ActorKind,
    CaseStatus,
    ConsentKind,
    ConsentStatus,
    FollowUpStatus,
    WorkflowEvent,
    WorkflowState,
)
from woundcare.domain.errors import (
    DomainError,
    GuardFailed,
    InputRejected,
    InvalidEvent,
    PinRejected,
    RecordLocked,
    VersionConflict,
    WrongStep,
)
from woundcare.domain.inputs import (
    ArtifactInput,
    AssembleInput,
    BioInput,
    ConsentPatch,
    ExportInput,
    FollowUpInput,
    PinInput,
    ReviewInput,
)
from woundcare.domain.machine import FORWARD, ORDER, TRANSITIONS, position
from woundcare.domain.provenance import changed_paths, verify_chain
from woundcare.domain.record import Patient
from woundcare.intake.models import Ambiguity, ParsedField, ParsedIntake

S, E = WorkflowState, WorkflowEvent
BOOKKEEPING = {"version", "updated_at"}


def state_of(h: Harness) -> WorkflowState:
    """The stored state (a call, so that type narrowing of ``h.case.state`` does not stick)."""
    return h.case.state


def chain_ok(h: Harness) -> None:
    entries = h.store.provenance(h.case_id)
    report = verify_chain(h.case_id, entries, expected_count=len(entries),
                          expected_head=entries[-1].hash)
    assert report.ok, report.problems
    expected = sum(len(c.drafts) for c in [*h.store.creates, *h.store.saves]
                   if c.record.case_id == h.case_id)
    assert len(entries) == expected


def refused(h: Harness, action: Any, error: type[DomainError]) -> DomainError:
    """Run ``action``; it must raise ``error`` and leave the stored case exactly as it was."""
    before, saves, entries = h.case, len(h.store.saves), len(h.store.provenance(h.case_id))
    with pytest.raises(error) as caught:
        action()
    assert len(h.store.saves) == saves, "no save on a refused step"
    assert h.case == before
    assert len(h.store.provenance(h.case_id)) == entries
    return caught.value


# ---------------------------------------------------------------- the whole path


def test_happy_path_reaches_done_with_one_save_per_step() -> None:
    h = Harness()
    visited = [h.case.state]
    while h.case.state is not S.DONE:
        saves = len(h.store.saves)
        version = h.case.version
        h.fill()
        fills = len(h.store.saves) - saves
        event, target = FORWARD[h.case.state]
        h.fire(event)
        assert h.case.state is target
        visited.append(target)
        assert len(h.store.saves) == saves + fills + 1
        assert h.case.version == version + fills + 1
    assert visited == list(ORDER)
    done = h.case
    assert done.status is CaseStatus.LOCKED
    assert done.export is not None
    assert done.pin_linkage is not None
    assert done.seal is not None
    assert h.exporter.delivered == [(h.case_id, ["archive"])]
    for call in h.store.saves:
        assert call.drafts, "every save carries its provenance"
        assert len(call.entries) == len(call.drafts)
        assert call.record.version == call.expected_version + 1
    chain_ok(h)


def test_every_forward_transition_is_guarded_through_the_orchestrator() -> None:
    h = Harness()
    h.fire(E.BEGIN)
    while h.case.state is not S.DONE:
        event, target = FORWARD[h.case.state]
        if h.case.state is S.ASSEMBLE_JSON:
            # The data steward already sealed the record on entry; unsealed, it is blocked.
            assert h.case.seal is not None
            assert "encryption.missing" in {b.code for b in h.orch.evaluate(
                h.case.model_copy(update={"seal": None}))[event]}
        else:
            error = refused(h, lambda event=event: h.fire(event), GuardFailed)
            assert isinstance(error, GuardFailed)
            assert error.blockers
            assert error.event is event
        h.fill()
        h.fire(event)
        assert h.case.state is target


@pytest.mark.parametrize("state", list(S))
def test_invalid_events_refused_in_every_state_without_saving(state: WorkflowState) -> None:
    h = Harness()
    h.advance_to(state)
    for event in E:
        if (state, event) in TRANSITIONS:
            continue
        error = refused(h, lambda event=event: h.fire(event), InvalidEvent)
        assert state.value in error.message
        assert event.value in error.message


# ---------------------------------------------------------------- provenance


def test_provenance_for_every_changed_field_of_each_save() -> None:
    h = Harness()
    h.advance_to(S.DONE)
    loaded = [c.record for c in h.store.creates] + [c.record for c in h.store.saves]
    for before, call in zip(loaded, h.store.saves, strict=False):
        paths = {p for p in changed_paths(before.model_dump(mode="json"),
                                          call.record.model_dump(mode="json"))
                 if p.split(".")[0] not in BOOKKEEPING}
        assert paths == {d.field_path for d in call.drafts}, call.record.state
        assert all(d.at == call.record.updated_at for d in call.drafts)


def test_provenance_attribution_person_agent_state_event_artifact() -> None:
    h = Harness()
    h.fire(E.BEGIN)
    [begin] = h.last.entries
    assert (begin.field_path, begin.event, begin.state, begin.agent, begin.actor_kind) == (
        "state", "BEGIN", S.START, None, ActorKind.PERSON)

    source = h.attach()  # a source document must be one of the case's own files
    h.submit(BioInput(patient=Patient(first_name="Testy"), source_artifact_id=source))
    [typed] = h.last.entries
    assert (typed.field_path, typed.actor_kind, typed.actor_id, typed.agent, typed.state,
            typed.source_artifact_id, typed.event) == (
        "patient.first_name", ActorKind.PERSON, str(CLINICIAN_ID), "bio", S.BIO_INTAKE,
        source, None)

    h.parsed = ParsedIntake(fields=(ParsedField(path="patient.mrn", value="ZZTEST-0002",
                                                span=(0, 4)),))
    h.submit(BioInput(free_text="MRN ZZTEST-0002 (synthetic)", source="typed_text"))
    [parsed] = h.last.entries
    assert (parsed.field_path, parsed.actor_kind, parsed.actor_id, parsed.agent) == (
        "patient.mrn", ActorKind.AGENT, "bio", "bio")

    h.fill()
    h.fire(E.BIO_CONFIRMED)
    artifact_id = h.attach()
    assert {(e.field_path.split(".")[0], e.agent, e.source_artifact_id)
            for e in h.last.entries} == {("artifacts", "intake_router", artifact_id)}
    for entry in h.store.provenance(h.case_id):
        assert entry.case_id == h.case_id
        assert entry.at.tzinfo is not None
    chain_ok(h)


def test_entering_follow_up_generates_questions_attributed_to_the_agent() -> None:
    h = Harness()
    h.advance_to(S.TIME)
    h.fill()
    h.fire(E.TIME_CAPTURED)
    by_event = [e for e in h.last.entries if e.event == "TIME_CAPTURED"]
    generated = [e for e in h.last.entries if e.event is None]
    assert [e.field_path for e in by_event] == ["state"]
    assert by_event[0].state is S.TIME
    assert {(e.actor_kind, e.actor_id, e.agent, e.state) for e in generated} == {
        (ActorKind.AGENT, "follow_up", "follow_up", S.FOLLOW_UP)}
    assert all(e.field_path.startswith("follow_ups.0.") for e in generated)
    assert len(h.store.saves[-1].drafts) == len(h.last.entries)  # one save for both parts
    # The harness's record is complete except oxygen saturation, which it marks unknown.
    assert [f.field_path for f in h.case.pending_follow_ups()] == ["vitals.oxygen_saturation"]


def test_create_case_provenance_has_no_duplicates_or_bookkeeping() -> None:
    h = Harness()
    [create] = h.store.creates
    paths = [d.field_path for d in create.drafts]
    assert len(paths) == len(set(paths))
    assert "case_id" in paths
    assert not set(paths) & BOOKKEEPING
    assert all(d.event == "CREATE" for d in create.drafts)


# ---------------------------------------------------------------- autosave discipline


def test_refused_steps_do_not_save() -> None:
    h = Harness()
    refused(h, lambda: h.fire(E.BIO_CONFIRMED), InvalidEvent)
    h.fire(E.BEGIN)
    refused(h, lambda: h.fire(E.BIO_CONFIRMED), GuardFailed)
    refused(h, lambda: h.submit(ReviewInput(attest=True)), WrongStep)
    h.parsed = ParsedIntake(fields=(ParsedField(path="patient.age", value=150, span=(0, 3)),))
    error = refused(h, lambda: h.submit(BioInput(free_text="age 150 (synthetic)")),
                    InputRejected)
    assert isinstance(error, InputRejected)
    assert [p.path for p in error.problems] == ["patient.age"]
    h.parsed = ParsedIntake()
    h.advance_to(S.LINK_TO_CLINICIAN)
    refused(h, lambda: h.submit(PinInput(pin="999999")), PinRejected)
    refused(h, lambda: h.submit(FollowUpInput(refresh=True)), WrongStep)
    refused(h, lambda: h.attach(), WrongStep)


def test_a_step_that_changes_nothing_does_not_save() -> None:
    h = Harness()
    h.fire(E.BEGIN)
    h.submit(BioInput(patient=Patient(first_name="Testy")))
    saves, version = len(h.store.saves), h.case.version
    outcome = h.submit(BioInput(patient=Patient(first_name="Testy")))
    assert outcome.entries == []
    assert len(h.store.saves) == saves
    assert h.case.version == version


@pytest.mark.parametrize("operation", ["submit", "fire", "consent", "artifact"])
def test_stale_expected_version_conflicts(operation: str) -> None:
    h = Harness()
    h.fire(E.BEGIN)
    stale = h.case.version
    h.submit(BioInput(patient=Patient(first_name="Testy")))
    actions = {
        "submit": lambda: h.orch.submit(h.case_id, BioInput(patient=Patient(age=40)),
                                        CLINICIAN, expected_version=stale),
        "fire": lambda: h.orch.fire(h.case_id, E.ROLLBACK, CLINICIAN, expected_version=stale),
        "consent": lambda: h.orch.update_consent(h.case_id, ConsentPatch(photography="granted"),
                                                 CLINICIAN, expected_version=stale),
        "artifact": lambda: h.orch.register_artifact(h.case_id, ArtifactInput(
            artifact_id=h.ids(), artifact_kind="image", media_type="image/jpeg",
            size_bytes=10, sha256="0" * 64), CLINICIAN, expected_version=stale),
    }
    error = refused(h, actions[operation], VersionConflict)
    assert isinstance(error, VersionConflict)
    assert (error.expected, error.actual) == (stale, stale + 1)


def test_store_refuses_a_concurrent_save() -> None:
    h = Harness()
    h.fire(E.BEGIN)
    record = h.case
    first = record.model_copy(update={"version": record.version + 1})
    h.store.inner.save(first, expected_version=record.version, drafts=[])
    with pytest.raises(VersionConflict):
        h.store.inner.save(first, expected_version=record.version, drafts=[])


# ---------------------------------------------------------------- rollback and reset


@pytest.mark.parametrize("state", ORDER[position(S.BIO_INTAKE):position(S.DONE)])
def test_rollback_walks_back_one_state(state: WorkflowState) -> None:
    h = Harness()
    h.advance_to(state)
    if state is not S.STORE_SYNC:  # filling STORE_SYNC exports and locks the record
        h.fill()
    saves = len(h.store.saves)
    h.fire(E.ROLLBACK)
    assert h.case.state is ORDER[position(state) - 1]
    assert len(h.store.saves) == saves + 1
    assert h.last.entries[0].event == "ROLLBACK"
    assert h.last.entries[0].state is state
    chain_ok(h)


def test_rolling_back_past_link_to_clinician_voids_the_signature() -> None:
    h = Harness()
    h.advance_to(S.STORE_SYNC)
    signed = h.case.pin_linkage
    assert signed is not None
    h.fire(E.ROLLBACK)
    assert h.case.state is S.LINK_TO_CLINICIAN
    assert h.case.pin_linkage is None
    assert "pin_linkage.clinician_id" in {e.field_path for e in h.last.entries}
    error = refused(h, lambda: h.fire(E.CLINICIAN_LINKED), GuardFailed)
    assert isinstance(error, GuardFailed)
    assert [b.code for b in error.blockers] == ["pin.linkage.missing"]
    h.submit(PinInput(pin=SYNTHETIC_PIN))
    h.fire(E.ROLLBACK)
    assert state_of(h) is S.ASSEMBLE_JSON
    assert h.case.pin_linkage is None
    assert h.case.seal is None
    assert h.case.status is CaseStatus.DRAFT
    h.fill()
    h.fire(E.JSON_ASSEMBLED)
    refused(h, lambda: h.fire(E.CLINICIAN_LINKED), GuardFailed)


def test_rollback_to_review_requires_a_new_attestation() -> None:
    h = Harness()
    h.advance_to(S.ASSEMBLE_JSON)
    h.fire(E.ROLLBACK)
    assert h.case.state is S.REVIEW
    assert h.case.review is None
    refused(h, lambda: h.fire(E.REVIEW_COMPLETED), GuardFailed)


def test_reset_from_wound_imaging_clears_photos_and_keeps_bio() -> None:
    h = Harness()
    h.advance_to(S.WOUND_IMAGING)
    h.fill()
    assert h.case.wound.photos
    h.fire(E.RESET)
    case = h.case
    assert case.state is S.BIO_INTAKE
    assert case.wound.photos == []
    assert case.patient.first_name == "Testy"
    assert case.consent.data_storage is ConsentStatus.GRANTED
    assert h.last.entries[0].event == "RESET"


def test_reset_from_done_starts_a_new_visit_and_leaves_the_finished_record() -> None:
    h = Harness()
    finished = h.advance_to(S.DONE)
    entries = h.store.provenance(h.case_id)
    saves = len(h.store.saves)
    outcome = h.fire(E.RESET)
    new = outcome.new_case
    assert new is not None
    assert outcome.record == finished
    assert h.case == finished  # untouched
    assert h.store.provenance(h.case_id) == entries
    assert len(h.store.saves) == saves  # the new case is created, the old one not saved
    assert new.case_id != finished.case_id
    assert (new.state, new.status, new.visit_number, new.previous_case_id) == (
        S.START, CaseStatus.DRAFT, 2, finished.case_id)
    assert new.patient == finished.patient
    assert new.wound.site == finished.wound.site
    assert new.wound.photos == []
    assert new.vitals.heart_rate.value is None
    assert new.consent.data_storage is ConsentStatus.NOT_RECORDED  # consent is per case
    assert new.pin_linkage is None
    assert new.seal is None
    assert new.export is None
    assert h.store.load(new.case_id) == new
    assert verify_chain(new.case_id, h.store.provenance(new.case_id)).ok


# ---------------------------------------------------------------- locked records


def test_a_locked_record_is_never_edited_in_place() -> None:
    h = Harness()
    h.advance_to(S.STORE_SYNC)
    h.fill()  # export locks the record while it is still in STORE_SYNC
    assert h.case.status is CaseStatus.LOCKED
    refused(h, lambda: h.submit(ExportInput()), RecordLocked)
    refused(h, lambda: h.fire(E.ROLLBACK), RecordLocked)
    refused(h, lambda: h.consent(team_board_sharing="granted"), RecordLocked)
    h.fire(E.STORED)
    assert h.case.state is S.DONE
    for step in (BioInput(patient=Patient(first_name="Changed")), ReviewInput(attest=True),
                 ExportInput()):
        refused(h, lambda step=step: h.submit(step), RecordLocked)
    refused(h, lambda: h.attach(), RecordLocked)
    refused(h, lambda: h.consent(photography="granted"), RecordLocked)
    refused(h, lambda: h.consent(method="written"), RecordLocked)
    refused(h, lambda: h.consent(notes="Edited note on a locked record."), RecordLocked)
    for event in E:
        if event is not E.RESET:
            refused(h, lambda event=event: h.fire(event), DomainError)


def test_evaluate_lists_allowed_events_with_blockers() -> None:
    h = Harness()
    h.fire(E.BEGIN)
    evaluation = h.orch.evaluate(h.case)
    assert set(evaluation) == {E.BIO_CONFIRMED, E.ROLLBACK}
    assert evaluation[E.ROLLBACK] == []
    assert {b.code for b in evaluation[E.BIO_CONFIRMED]} == {
        "patient.name.missing", "patient.dob_or_age.missing", "consent.data_storage.missing"}
    assert h.orch.missing(h.case)[0] == "patient.first_name"
    done = h.advance_to(S.DONE)
    assert h.orch.evaluate(done) == {E.RESET: []}


# ---------------------------------------------------------------- consent revocation


def test_revoking_data_storage_blocks_every_forward_event_until_granted_again() -> None:
    h = Harness()
    h.advance_to(S.VITALS)
    h.fill()
    h.consent(data_storage="declined")
    case = h.case
    assert case.consent.data_storage is ConsentStatus.DECLINED
    assert case.consent.history[-1].kind is ConsentKind.DATA_STORAGE
    assert case.consent.history[-1].status is ConsentStatus.DECLINED
    assert {e.field_path.split(".")[1] for e in h.last.entries} >= {"data_storage", "history"}
    error = refused(h, lambda: h.fire(E.VITALS_CAPTURED), GuardFailed)
    assert isinstance(error, GuardFailed)
    assert [b.code for b in error.blockers] == ["consent.data_storage.declined"]
    h.fire(E.ROLLBACK)  # stepping back stays possible
    assert h.case.state is S.WOUND_IMAGING
    h.consent(data_storage="granted")
    h.fire(E.IMAGING_CONFIRMED)
    h.fire(E.VITALS_CAPTURED)
    assert state_of(h) is S.TIME


def test_revoking_after_signing_voids_the_linkage() -> None:
    h = Harness()
    h.advance_to(S.STORE_SYNC)
    assert h.case.pin_linkage is not None
    h.consent(data_storage="declined")
    assert h.case.pin_linkage is None
    refused(h, lambda: h.submit(ExportInput()), InputRejected)
    error = refused(h, lambda: h.fire(E.STORED), GuardFailed)
    assert isinstance(error, GuardFailed)
    assert {"consent.data_storage.declined", "pin.linkage.missing"} <= {
        b.code for b in error.blockers}


def test_a_locked_record_accepts_only_revocations() -> None:
    h = Harness()
    finished = h.advance_to(S.DONE)
    outcome = h.consent(data_storage="declined", notes="Patient withdrew consent (synthetic).")
    after = h.case
    assert outcome.record == after
    assert after.version == finished.version + 1
    assert after.status is CaseStatus.LOCKED
    assert after.consent.data_storage is ConsentStatus.DECLINED
    assert after.consent.history[-1].status is ConsentStatus.DECLINED
    # The signed, exported record keeps its signature: history is not rewritten.
    assert after.pin_linkage == finished.pin_linkage
    # Everything but consent is as it was.
    same = {"patient", "wound", "vitals", "time_assessment", "follow_ups", "artifacts",
            "review", "seal", "export", "state", "status", "pin_linkage"}
    assert after.model_dump(include=same) == finished.model_dump(include=same)
    h.consent(photography="declined")
    assert h.case.consent.photography is ConsentStatus.DECLINED
    refused(h, lambda: h.consent(data_storage="granted"), RecordLocked)
    chain_ok(h)


# ---------------------------------------------------------------- agents inside the workflow


def test_entering_assemble_without_a_sealer_keeps_the_transition_and_reports() -> None:
    h = Harness(sealer=None)
    h.advance_to(S.REVIEW)
    h.fill()
    h.fire(E.REVIEW_COMPLETED)
    assert h.case.state is S.ASSEMBLE_JSON
    assert h.case.seal is None
    assert any("Encryption is not configured" in m for m in h.last.messages)
    error = refused(h, lambda: h.fire(E.JSON_ASSEMBLED), GuardFailed)
    assert isinstance(error, GuardFailed)
    assert "encryption.missing" in {b.code for b in error.blockers}


def test_ambiguous_free_text_flows_into_follow_up() -> None:
    h = Harness()
    h.fire(E.BEGIN)
    h.parsed = ParsedIntake(
        fields=(ParsedField(path="patient.first_name", value="Testy", span=(0, 5)),),
        ambiguities=(Ambiguity(path="patient.date_of_birth",
                               candidates=("1961-04-03", "1961-03-04"),
                               question="Is the date of birth 3 April 1961 or 4 March 1961?"),))
    h.submit(BioInput(free_text="Testy, DOB 03/04/1961 (synthetic)"))
    h.advance_to(S.FOLLOW_UP)
    pending = {f.field_path: f for f in h.case.pending_follow_ups()}
    assert "patient.date_of_birth" in pending
    assert len([f for f in h.case.follow_ups if f.field_path == "patient.date_of_birth"]) == 1
    refused(h, lambda: h.fire(E.FOLLOW_UP_RESOLVED), GuardFailed)
    h.fill()
    assert all(f.status is not FollowUpStatus.PENDING for f in h.case.follow_ups)
    h.fire(E.FOLLOW_UP_RESOLVED)
    assert h.case.state is S.REVIEW


def test_created_case_belongs_to_its_organisation_and_owner() -> None:
    h = Harness()
    case = h.case
    assert (case.organisation_id, case.owner_id, case.version, case.state) == (
        ORG_ID, CLINICIAN_ID, 1, S.START)
    assert case.created_at == h.clock.now()


def test_revocation_after_export_does_not_strand_the_case() -> None:
    h = Harness()
    h.advance_to(S.STORE_SYNC)
    h.submit(ExportInput())
    assert h.case.status is CaseStatus.LOCKED
    h.consent(data_storage="declined")
    h.fire(E.STORED)
    assert h.case.state is S.DONE
    assert h.case.consent.history[-1].status is ConsentStatus.DECLINED
    chain_ok(h)


def test_a_change_after_assembly_blocks_json_assembled_until_reassembled() -> None:
    h = Harness()
    h.advance_to(S.ASSEMBLE_JSON)
    assert h.case.seal is not None
    h.consent(notes="Changed after assembly (synthetic).")
    error = refused(h, lambda: h.fire(E.JSON_ASSEMBLED), GuardFailed)
    assert isinstance(error, GuardFailed)
    assert "encryption.incomplete" in {b.code for b in error.blockers}
    h.submit(AssembleInput())
    h.fire(E.JSON_ASSEMBLED)
    assert h.case.state is S.LINK_TO_CLINICIAN
