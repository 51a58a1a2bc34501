"""``woundcare demo``: walks one synthetic case through the whole workflow and prints every
step, the blockers it met, how they were cleared, and the final timeline.

All data is obviously synthetic. The demo runs in memory by default; given a case store (the
embedded SQLite store) it persists every step there and can resume an unfinished case.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import numpy as np
from PIL import Image, ImageFilter
from pydantic import ValidationError

from woundcare.adapters.pin_verifier import InMemoryPinVerifier
from woundcare.adapters.sealer import EnvelopeSealer
from woundcare.agents.base import Actor, AgentServices
from woundcare.crypto.envelope import new_data_key
from woundcare.crypto.passwords import PinHasher
from woundcare.domain.enums import (
    ConsentMethod,
    ConsentStatus,
    Orientation,
    Sex,
    WorkflowEvent,
    WorkflowState,
)
from woundcare.domain.errors import DomainError, GuardFailed, InputRejected
from woundcare.domain.inputs import (
    ArtifactInput,
    AssembleInput,
    BioInput,
    ConsentPatch,
    ExportInput,
    FollowUpInput,
    ImagingInput,
    IntakeSource,
    PhotoInput,
    PinInput,
    ReviewInput,
    TimeInput,
    TracedMeasurementInput,
    VitalsInput,
)
from woundcare.domain.problems import problems_from_validation_error
from woundcare.domain.provenance import verify_chain
from woundcare.domain.push import ATTRIBUTION, compute_push
from woundcare.domain.record import CaseRecord, Patient, TimeAssessment, Vitals
from woundcare.imaging.analyser import analyse_image
from woundcare.intake.freetext import parse_free_text
from woundcare.workflow.memory_store import InMemoryCaseStore
from woundcare.workflow.orchestrator import Orchestrator, StepOutcome
from woundcare.workflow.ports import CaseStore

DEMO_PIN = "246810"
DEMO_TEXT = (
    "Patient: Testy McTestface. DOB 03/04/1961. MRN ZZTEST-0001. "
    "Patient consents to data storage and agrees to wound photos."
)


def synthetic_photo(sharp: bool, seed: int = 7) -> bytes:
    """A generated 'wound photo': a textured reddish blob in the centre of a skin-tone field."""
    rng = np.random.default_rng(seed)
    h, w = 720, 960
    ys, xs = np.mgrid[0:h, 0:w]
    blob = ((ys - h / 2) ** 2 / (h / 5) ** 2 + (xs - w / 2) ** 2 / (w / 6) ** 2) < 1
    img = np.empty((h, w, 3), dtype=np.float64)
    img[...] = (200, 160, 140)
    img[blob] = (170, 60, 60)
    img += rng.normal(0, 18, img.shape) * blob[..., None]
    image = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    if not sharp:
        image = image.filter(ImageFilter.GaussianBlur(6))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


@dataclass
class DemoRun:
    orchestrator: Orchestrator
    clinician: Actor
    organisation_id: UUID
    out: Callable[[str], None] = print
    record: CaseRecord | None = None
    log: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.log.append(text)
        self.out(text)

    @property
    def case(self) -> CaseRecord:
        assert self.record is not None
        return self.record

    def _took(self, outcome: StepOutcome, label: str) -> None:
        self.record = outcome.record
        self.say(f"  ✔ {label} → state {outcome.record.state.value}, version "
                 f"{outcome.record.version}, {len(outcome.entries)} provenance entr"
                 f"{'y' if len(outcome.entries) == 1 else 'ies'}")
        for message in outcome.messages:
            self.say(f"    · {message}")

    def submit(self, step_input: Any, label: str) -> None:
        outcome = self.orchestrator.submit(self.case.case_id, step_input, self.clinician,
                                           expected_version=self.case.version)
        self._took(outcome, label)

    def attach(self, data: bytes, media_type: str, kind: str = "image") -> UUID:
        import hashlib

        artifact_id = uuid4()
        spec = ArtifactInput(artifact_id=artifact_id, artifact_kind=kind,
                             media_type=media_type, size_bytes=len(data),
                             sha256=hashlib.sha256(data).hexdigest())
        outcome = self.orchestrator.register_artifact(self.case.case_id, spec, self.clinician,
                                                      expected_version=self.case.version)
        self._took(outcome, f"file registered ({media_type}, {len(data)} bytes)")
        return artifact_id

    def fire(self, event: WorkflowEvent) -> bool:
        try:
            outcome = self.orchestrator.fire(self.case.case_id, event, self.clinician,
                                             expected_version=self.case.version)
        except GuardFailed as blocked:
            self.say(f"  ✖ {event.value} blocked:")
            for blocker in blocked.blockers:
                where = blocker.field or blocker.action
                self.say(f"    - [{blocker.code}] {blocker.message} (at {where})")
            return False
        self._took(outcome, event.value)
        return True

    def must_fire(self, event: WorkflowEvent) -> None:
        if not self.fire(event):
            raise RuntimeError(f"demo could not fire {event.value}")

    def try_build_and_submit(self, build: Callable[[], Any], label: str) -> None:
        """Like :meth:`try_submit`, for input that may already fail its own validation."""
        try:
            step_input = build()
        except ValidationError as exc:
            self.say(f"  ✖ {label} refused:")
            for problem in problems_from_validation_error(exc):
                self.say(f"    - {problem.path}: {problem.message}")
            return
        self.try_submit(step_input, label)

    def try_submit(self, step_input: Any, label: str) -> None:
        try:
            self.submit(step_input, label)
        except InputRejected as exc:
            self.say(f"  ✖ {label} refused: {exc.message}")
            for problem in exc.problems:
                self.say(f"    - {problem.path}: {problem.message}")
        except DomainError as exc:
            self.say(f"  ✖ {label} refused: {exc.message}")


DEMO_CLINICIAN_ID = UUID("00000000-0000-4000-8000-00000000c001")
DEMO_ORGANISATION_ID = UUID("00000000-0000-4000-8000-0000000000a1")


def build_demo_orchestrator(
    store: CaseStore | None = None, clinician_id: UUID | None = None
) -> tuple[Orchestrator, Actor, UUID]:
    clinician_id = clinician_id or DEMO_CLINICIAN_ID
    keys: dict[UUID, bytes] = {}

    def in_memory_key(case_id: UUID) -> tuple[bytes, str]:
        return keys.setdefault(case_id, new_data_key()), "in-memory"

    # A persistent store holds each case's wrapped data key; the sealer must use that one.
    data_key_for = getattr(store, "data_key", None) or in_memory_key

    verifier = InMemoryPinVerifier(PinHasher(os.urandom(32), fast=True))
    verifier.set_pin(clinician_id, DEMO_PIN)
    services = AgentServices(
        intake_parser=lambda text: parse_free_text(text, today=datetime.now(UTC).date()),
        pin_verifier=verifier,
        sealer=EnvelopeSealer(data_key_for),
    )
    orchestrator = Orchestrator(store or InMemoryCaseStore(), services)
    return orchestrator, Actor.clinician(clinician_id), DEMO_ORGANISATION_ID


def run_demo(
    out: Callable[[str], None] = print,
    store: CaseStore | None = None,
    *,
    resume: CaseRecord | None = None,
    stop_after: WorkflowState | None = None,
    organisation_id: UUID | None = None,
    clinician_id: UUID | None = None,
) -> DemoRun:
    """Run (or resume) the demo case; stop once ``stop_after`` is reached, if given."""
    orchestrator, clinician, org = build_demo_orchestrator(store, clinician_id)
    run = DemoRun(orchestrator, clinician, organisation_id or org, out)
    run.say("woundcare demo — one synthetic case, start to finish (no real patient data).")
    if resume is None:
        run.say("\n[START] create the case")
        run._took(orchestrator.create_case(organisation_id=run.organisation_id,
                                           owner_id=clinician.clinician_id, actor=clinician),
                  "case created")
    else:
        run.record = resume
        run.say(f"\nResuming case {resume.case_id} at {resume.state.value} "
                f"(version {resume.version}).")
    while run.case.state is not WorkflowState.DONE:
        STEPS[run.case.state](run)
        if stop_after is not None and run.case.state is stop_after:
            run.say(f"\nStopped at {stop_after.value}; resume with `woundcare demo --resume`.")
            run.say(f"case: {run.case.case_id}")
            return run
    print_timeline(run)
    run.say(f"case: {run.case.case_id}")
    return run


def _start(run: DemoRun) -> None:
    run.must_fire(WorkflowEvent.BEGIN)


def _bio(run: DemoRun) -> None:
    run.say("\n[BIO_INTAKE] identity and consent")
    run.fire(WorkflowEvent.BIO_CONFIRMED)
    run.submit(BioInput(free_text=DEMO_TEXT, source=IntakeSource.TYPED_TEXT), "free text parsed")
    run.fire(WorkflowEvent.BIO_CONFIRMED)
    # Consent in the text is only a proposal: the clinician records it.
    run.submit(BioInput(patient=Patient(date_of_birth=date(1961, 4, 3), sex=Sex.UNSPECIFIED),
                        consent=ConsentPatch(data_storage=ConsentStatus.GRANTED,
                                             photography=ConsentStatus.GRANTED,
                                             method=ConsentMethod.VERBAL)),
               "clinician confirmed the date of birth and recorded consent")
    run.must_fire(WorkflowEvent.BIO_CONFIRMED)


def _imaging(run: DemoRun) -> None:
    run.say("\n[WOUND_IMAGING] photos with quality checks")
    run.fire(WorkflowEvent.IMAGING_CONFIRMED)
    for sharp in (False, True):
        photo = synthetic_photo(sharp)
        artifact = run.attach(photo, "image/jpeg")
        run.submit(ImagingInput(wound_site="left lateral malleolus (synthetic)",
                                add_photo=PhotoInput(artifact_id=artifact,
                                                     orientation=Orientation.LATERAL,
                                                     analysis=analyse_image(photo))),
                   f"{'sharp' if sharp else 'blurred'} photo checked")
    _measure(run)
    run.must_fire(WorkflowEvent.IMAGING_CONFIRMED)


def _measure(run: DemoRun) -> None:
    """Photograph the synthetic wound beside the calibration marker (tilted camera), trace
    it as a clinician would (simulated), and measure it on the marker's plane."""
    from woundcare.imaging.detect import decode_image
    from woundcare.imaging.measure import measure_photo
    from woundcare.imaging.synthetic import synthetic_wound_photo

    shot, trace = synthetic_wound_photo(seed=5, area_cm2=7.5, tilt_deg=30)
    data = shot.jpeg(92)
    artifact = run.attach(data, "image/jpeg")
    analysis = analyse_image(data)
    run.submit(ImagingInput(add_photo=PhotoInput(artifact_id=artifact,
                                                 orientation=Orientation.LATERAL,
                                                 analysis=analysis)),
               "photo beside the calibration marker checked (scale: "
               f"{'found' if analysis.scale_marker_detected else 'not found'})")
    result = measure_photo(decode_image(data), trace.tolist(), 2.0)
    if result["area_cm2"] is None:
        run.say("  ✖ the marker could not be used; no measurement")
        return
    run.submit(TracedMeasurementInput(
        photo_artifact_id=artifact, outline=[(float(x), float(y)) for x, y in trace],
        marker_detected=True, cm_per_pixel=result["cm_per_pixel"],
        length_cm=result["length_cm"], width_cm=result["width_cm"],
        area_cm2=result["area_cm2"], perimeter_cm=result["perimeter_cm"],
        length_convention=result["length_convention"]),
        f"outline traced ({len(trace)} points) and measured on the marker's plane")
    length, width = shot.scene.length_width_cm
    run.say(f"    · area {result['area_cm2']:.2f} cm² (drawn: {shot.scene.area_cm2:.2f} cm²), "
            f"length {result['length_cm']:.2f} cm (drawn {length:.2f}), width "
            f"{result['width_cm']:.2f} cm (drawn {width:.2f}); ruler length × width would "
            f"say {length * width:.2f} cm²")
    run.submit(ImagingInput.model_validate({
        "wound_type": "pressure_injury", "pressure_injury_stage": "stage_3",
        "body_site": {"region": "ankle", "side": "left", "view": "anterior"},
        "periwound": {"condition": ["erythematous"]},
        "manual_measurement": {"depth_cm": 0.3,
                               "undermining": [{"from_clock": 11, "to_clock": 1,
                                                "depth_cm": 0.5}]}}),
        "wound type, stage, body site, periwound, depth and undermining entered")


def _vitals(run: DemoRun) -> None:
    run.say("\n[VITALS] each with unit and time")
    run.try_build_and_submit(lambda: VitalsInput(vitals=Vitals.model_validate(
        {"temperature": {"value": 131, "unit": "F"}})), "temperature of 131 F")
    run.submit(VitalsInput(vitals=Vitals.model_validate(
        {"temperature": {"value": 99.1, "unit": "F", "site": "oral"}})), "temperature in F")
    run.fire(WorkflowEvent.VITALS_CAPTURED)
    at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    run.submit(VitalsInput(vitals=Vitals.model_validate({
        "blood_pressure": {"systolic": 128, "diastolic": 82, "captured_at": at},
        "heart_rate": {"value": 76, "method": "manual", "captured_at": at},
        "respiratory_rate": {"value": 16, "captured_at": at},
        "temperature": {"captured_at": at},
        "oxygen_saturation": {"unknown": True},
        "pain": {"value": 3, "scale": "nrs", "captured_at": at},
    })), "remaining vitals (SpO2 explicitly unknown)")
    run.must_fire(WorkflowEvent.VITALS_CAPTURED)


def _time(run: DemoRun) -> None:
    run.say("\n[TIME] wound-bed assessment")
    run.fire(WorkflowEvent.TIME_CAPTURED)
    run.submit(TimeInput(assessment=TimeAssessment.model_validate({
        "tissue": {"granulation_pct": 60, "slough_pct": 30, "necrotic_pct": 0,
                   "epithelial_pct": 10},
        "infection": {"erythema": "absent"},
        "moisture": {"exudate_level": "moderate", "exudate_consistency": "serous"},
        "edge": {"condition": "attached", "epibole": "absent"},
    })), "T.I.M.E. captured")
    score = compute_push(run.case)
    if score is not None:
        run.say(f"    · PUSH 3.0 total {score.total}/17 (area {score.area_score}, exudate "
                f"{score.exudate_score}, tissue {score.tissue_score}). {ATTRIBUTION}")
    run.must_fire(WorkflowEvent.TIME_CAPTURED)


def _follow_up(run: DemoRun) -> None:
    run.say("\n[FOLLOW_UP] neutral questions about gaps")
    run.fire(WorkflowEvent.FOLLOW_UP_RESOLVED)
    for index, question in enumerate(run.case.pending_follow_ups()):
        run.say(f"    ? {question.question}")
        # An answer is validated like a direct edit of its field and written there.
        answer = _DEMO_ANSWERS.get(question.field_path)
        if answer is not None or (index % 2 == 0 and question.field_path in _TEXT_ANSWERED):
            run.submit(FollowUpInput(follow_up_id=question.follow_up_id,
                                     answer=answer or "Synthetic answer recorded by the "
                                     "clinician."),
                       "answered")
        else:
            run.submit(FollowUpInput(follow_up_id=question.follow_up_id,
                                     dismiss_reason="Not applicable for this synthetic case."),
                       "dismissed with a reason")
    run.must_fire(WorkflowEvent.FOLLOW_UP_RESOLVED)


_DEMO_ANSWERS = {"patient.mrn": "ZZDEMO-0001", "time_assessment.edge.undermining_depth_cm": "1",
                 "time_assessment.infection.erythema_extent_cm": "2",
                 "time_assessment.infection.odour": "absent", "vitals.pain.scale": "nrs"}
# Questions about several fields at once keep their answer as text.
_TEXT_ANSWERED = {"time_assessment.tissue", "time_assessment.moisture"}


def _review(run: DemoRun) -> None:
    run.say("\n[REVIEW] attestation")
    run.fire(WorkflowEvent.REVIEW_COMPLETED)
    run.submit(ReviewInput(attest=True), "clinician attested the review")
    run.must_fire(WorkflowEvent.REVIEW_COMPLETED)


def _assemble(run: DemoRun) -> None:
    run.say("\n[ASSEMBLE_JSON] validated, encrypted, ready for review")
    if run.case.seal is None:
        run.submit(AssembleInput(), "assembled")
    run.must_fire(WorkflowEvent.JSON_ASSEMBLED)


def _link(run: DemoRun) -> None:
    run.say("\n[LINK_TO_CLINICIAN] PIN signature")
    run.fire(WorkflowEvent.CLINICIAN_LINKED)
    run.try_submit(PinInput(pin="000000"), "wrong PIN")
    run.submit(PinInput(pin=DEMO_PIN), "PIN verified")
    run.must_fire(WorkflowEvent.CLINICIAN_LINKED)


def _store(run: DemoRun) -> None:
    run.say("\n[STORE_SYNC] export and lock")
    run.fire(WorkflowEvent.STORED)
    if run.case.export is None:
        run.submit(ExportInput(destinations=["archive"]), "exported")
    run.must_fire(WorkflowEvent.STORED)


STEPS: dict[WorkflowState, Callable[[DemoRun], None]] = {
    WorkflowState.START: _start,
    WorkflowState.BIO_INTAKE: _bio,
    WorkflowState.WOUND_IMAGING: _imaging,
    WorkflowState.VITALS: _vitals,
    WorkflowState.TIME: _time,
    WorkflowState.FOLLOW_UP: _follow_up,
    WorkflowState.REVIEW: _review,
    WorkflowState.ASSEMBLE_JSON: _assemble,
    WorkflowState.LINK_TO_CLINICIAN: _link,
    WorkflowState.STORE_SYNC: _store,
}


def print_timeline(run: DemoRun) -> None:
    entries = run.orchestrator.store.provenance(run.case.case_id)
    report = verify_chain(run.case.case_id, entries)
    run.say(f"\nTimeline ({len(entries)} provenance entries, hash chain "
            f"{'intact' if report.ok else 'BROKEN'}):")
    by_state: dict[WorkflowState, list[str]] = {}
    for entry in entries:
        by_state.setdefault(entry.state, []).append(entry.actor_kind.value)
    for state in WorkflowState:
        if state in by_state:
            actors = by_state[state]
            run.say(f"  {state.value:<18} {len(actors):>3} change(s)  "
                    f"(person: {actors.count('person')}, agent: {actors.count('agent')})")
    run.say(f"\nFinal state {run.case.state.value}, status {run.case.status.value}.")


DEMO_CLI_EMAIL = "demo-cli@example.test"


def run_persistent_demo(
    out: Callable[[str], None] = print,
    *,
    settings: Any = None,
    resume: bool = False,
    stop_after: WorkflowState | None = None,
) -> DemoRun:
    """The demo on the embedded store (SQLite under the data dir, or the configured
    database): every step is autosaved there, and an unfinished demo case can be resumed."""
    from woundcare.config import get_settings
    from woundcare.crypto.devkeys import load_key_material
    from woundcare.crypto.passwords import PasswordHasher
    from woundcare.storage import migrate
    from woundcare.storage.case_repository import SqlCaseStore
    from woundcare.storage.database import Database, default_sqlite_url
    from woundcare.storage.identity import Identity
    from woundcare.storage.transactional_store import TransactionalCaseStore

    settings = settings or get_settings()
    url = settings.database_url or default_sqlite_url(settings.data_dir)
    migrate.upgrade(settings.migration_database_url or url)
    db = Database(url)
    keys = load_key_material(settings)
    identity = Identity(DEMO_ORGANISATION_ID, DEMO_CLINICIAN_ID, "clinician")
    with db.unit_of_work(None) as uow:
        if uow.organisations.get(DEMO_ORGANISATION_ID) is None:
            uow.organisations.create("Demo Clinic (synthetic)",
                                     organisation_id=DEMO_ORGANISATION_ID)
    with db.unit_of_work(identity, read_only=True) as uow:
        exists = uow.clinicians.get(DEMO_CLINICIAN_ID) is not None
    if not exists:
        with db.unit_of_work(None) as uow:
            uow.clinicians.create(
                email=DEMO_CLI_EMAIL, display_name="Demo Clinician (synthetic)",
                password_hash=PasswordHasher(fast=True).hash(os.urandom(16).hex()),
                organisation_id=DEMO_ORGANISATION_ID, clinician_id=DEMO_CLINICIAN_ID)
    store = TransactionalCaseStore(db, identity, keys)
    unfinished: CaseRecord | None = None
    if resume:
        with db.unit_of_work(identity, read_only=True) as uow:
            reader = SqlCaseStore(uow.conn, identity, keys)
            rows, _ = reader.list_cases(limit=100)
            for row in rows:
                if row["state"] != WorkflowState.DONE.value:
                    unfinished = reader.record_from_row(row)
                    break
        if unfinished is None:
            out("No unfinished demo case to resume; starting a new one.")
    try:
        return run_demo(out, store, resume=unfinished, stop_after=stop_after,
                        organisation_id=DEMO_ORGANISATION_ID, clinician_id=DEMO_CLINICIAN_ID)
    finally:
        db.dispose()
