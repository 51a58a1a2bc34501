"""Drives cases through the orchestrator with canonical synthetic inputs for each step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from tests.factories import (
    CLINICIAN_ID,
    COMPLETE_TIME,
    COMPLETE_VITALS,
    ORG_ID,
    SYNTHETIC_PIN,
    SYNTHETIC_SHA,
    FakePinVerifier,
    FakeSealer,
    FixedClock,
    RecordingExporter,
    SpyStore,
    _json,
    sequential_ids,
    synthetic_answer,
)
from woundcare.agents.base import Actor, AgentServices
from woundcare.domain.enums import WorkflowEvent, WorkflowState
from woundcare.domain.imaging import ImageAnalysis
from woundcare.domain.inputs import (
    ArtifactInput,
    AssembleInput,
    BioInput,
    ConsentPatch,
    ExportInput,
    FollowUpInput,
    ImagingInput,
    PhotoInput,
    PinInput,
    ReviewInput,
    TimeInput,
    VitalsInput,
)
from woundcare.domain.machine import FORWARD, position
from woundcare.domain.record import CaseRecord, Patient, TimeAssessment, Vitals
from woundcare.intake.models import ParsedIntake
from woundcare.workflow.memory_store import InMemoryCaseStore
from woundcare.workflow.orchestrator import Orchestrator, StepOutcome

SHARP = ImageAnalysis(width=960, height=720, sharpness=400.0, brightness=130.0,
                      clipped_fraction=0.0, subject_centred=True)
CLINICIAN = Actor.clinician(CLINICIAN_ID)


@dataclass
class Harness:
    sealer: FakeSealer | None = field(default_factory=FakeSealer)
    verifier: FakePinVerifier = field(default_factory=FakePinVerifier)
    parsed: ParsedIntake = field(default_factory=ParsedIntake)
    clock: FixedClock = field(default_factory=FixedClock)
    exporter: RecordingExporter = field(default_factory=RecordingExporter)

    def __post_init__(self) -> None:
        self.store = SpyStore(InMemoryCaseStore())
        self.ids = sequential_ids(0xA00)
        services = AgentServices(intake_parser=lambda _text: self.parsed,
                                 pin_verifier=self.verifier, sealer=self.sealer,
                                 exporter=self.exporter)
        self.orch = Orchestrator(self.store, services, clock=self.clock, new_id=self.ids)
        outcome = self.orch.create_case(organisation_id=ORG_ID, owner_id=CLINICIAN_ID,
                                        actor=CLINICIAN)
        self.case_id = outcome.record.case_id
        self.last: StepOutcome = outcome

    # ------------------------------------------------------------ single steps

    @property
    def case(self) -> CaseRecord:
        return self.orch.load(self.case_id)

    def submit(self, step_input: Any) -> StepOutcome:
        self.clock.advance(seconds=1)
        self.last = self.orch.submit(self.case_id, step_input, CLINICIAN,
                                     expected_version=self.case.version)
        return self.last

    def fire(self, event: WorkflowEvent) -> StepOutcome:
        self.clock.advance(seconds=1)
        self.last = self.orch.fire(self.case_id, event, CLINICIAN,
                                   expected_version=self.case.version)
        return self.last

    def consent(self, **values: Any) -> StepOutcome:
        self.last = self.orch.update_consent(self.case_id, ConsentPatch(**values), CLINICIAN,
                                             expected_version=self.case.version)
        return self.last

    def attach(self) -> UUID:
        artifact_id = self.ids()
        self.last = self.orch.register_artifact(
            self.case_id, ArtifactInput(artifact_id=artifact_id, artifact_kind="image",
                                        media_type="image/jpeg", size_bytes=4096,
                                        sha256=SYNTHETIC_SHA),
            CLINICIAN, expected_version=self.case.version)
        return artifact_id

    # ------------------------------------------------------------ the canonical step inputs

    def fill(self) -> None:
        """Supply what the current state's forward guard needs (one or more accepted steps)."""
        state = self.case.state
        if state is WorkflowState.BIO_INTAKE:
            self.submit(BioInput(
                patient=Patient(first_name="Testy", last_name="McTestface", age=64,
                                sex="unspecified", mrn="ZZTEST-0001"),
                consent=ConsentPatch(data_storage="granted", photography="granted",
                                     team_board_sharing="declined", method="verbal")))
        elif state is WorkflowState.WOUND_IMAGING:
            artifact_id = self.attach()
            self.submit(ImagingInput(wound_site="left heel (synthetic)", add_photo=PhotoInput(
                artifact_id=artifact_id, orientation="lateral", analysis=SHARP)))
        elif state is WorkflowState.VITALS:
            self.submit(VitalsInput(vitals=Vitals.model_validate(_json(COMPLETE_VITALS))))
        elif state is WorkflowState.TIME:
            self.submit(TimeInput(assessment=TimeAssessment.model_validate(COMPLETE_TIME)))
        elif state is WorkflowState.FOLLOW_UP:
            for index, question in enumerate(self.case.pending_follow_ups()):
                if index % 2:
                    self.submit(FollowUpInput(follow_up_id=question.follow_up_id,
                                              dismiss_reason="Not applicable (synthetic)."))
                else:
                    self.submit(FollowUpInput(follow_up_id=question.follow_up_id,
                                              answer=synthetic_answer(question.field_path)))
        elif state is WorkflowState.REVIEW:
            self.submit(ReviewInput(attest=True))
        elif state is WorkflowState.ASSEMBLE_JSON:
            if self.case.seal is None:
                self.submit(AssembleInput())
        elif state is WorkflowState.LINK_TO_CLINICIAN:
            self.submit(PinInput(pin=SYNTHETIC_PIN))
        elif state is WorkflowState.STORE_SYNC:
            self.submit(ExportInput(destinations=["archive"]))

    def advance_to(self, target: WorkflowState) -> CaseRecord:
        while position(self.case.state) < position(target):
            self.fill()
            event, _ = FORWARD[self.case.state]
            self.fire(event)
        assert self.case.state is target
        return self.case
