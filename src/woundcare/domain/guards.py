"""Pure guards: for each forward event, the blockers that keep it from firing.

A guard never changes anything; an empty list means the event may fire.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError

from woundcare.domain.blockers import Blocker
from woundcare.domain.digest import record_digest
from woundcare.domain.enums import (
    CaseStatus,
    ConsentStatus,
    FollowUpStatus,
    WorkflowEvent,
)
from woundcare.domain.problems import problems_from_validation_error
from woundcare.domain.record import CaseRecord, Measurement
from woundcare.domain.sensitive import sensitive_paths

Guard = Callable[[CaseRecord], list[Blocker]]

VITAL_LABELS = {
    "blood_pressure": "Blood pressure",
    "heart_rate": "Heart rate",
    "respiratory_rate": "Respiratory rate",
    "temperature": "Temperature",
    "oxygen_saturation": "Oxygen saturation",
    "pain": "Pain score",
}


def _consent_storage(record: CaseRecord) -> list[Blocker]:
    status = record.consent.data_storage
    if status is ConsentStatus.GRANTED:
        return []
    if status is ConsentStatus.DECLINED:
        return [Blocker(
            code="consent.data_storage.declined",
            message="The patient declined data storage, so this case cannot continue.",
            field="consent.data_storage",
        )]
    return [Blocker(
        code="consent.data_storage.missing",
        message="Record the patient's consent to data storage.",
        field="consent.data_storage",
    )]


def bio_confirmed(record: CaseRecord) -> list[Blocker]:
    patient = record.patient
    blockers: list[Blocker] = []
    if not (patient.first_name or patient.preferred_name):
        blockers.append(Blocker(
            code="patient.name.missing",
            message="Enter the patient's first or preferred name.",
            field="patient.first_name",
        ))
    if patient.date_of_birth is None and patient.age is None:
        blockers.append(Blocker(
            code="patient.dob_or_age.missing",
            message="Enter the patient's date of birth or age.",
            field="patient.date_of_birth",
        ))
    return blockers + _consent_storage(record)


def imaging_confirmed(record: CaseRecord) -> list[Blocker]:
    wound, photography = record.wound, record.consent.photography
    if photography is ConsentStatus.DECLINED:
        blockers: list[Blocker] = []
        if wound.photos:
            blockers.append(Blocker(
                code="photos.stored_without_consent",
                message="Photography consent was declined; remove the stored photos.",
                action="remove_photos",
            ))
        if not wound.photography_declined_reason:
            blockers.append(Blocker(
                code="photos.declined_reason.missing",
                message="Photography was declined; note that as the reason to close this step.",
                field="wound.photography_declined_reason",
            ))
        return blockers
    if photography is ConsentStatus.NOT_RECORDED:
        return [Blocker(
            code="consent.photography.missing",
            message="Record whether the patient consents to photography.",
            field="consent.photography",
        )]
    if wound.override_reason:
        return []
    if not wound.photos:
        return [Blocker(
            code="photos.missing",
            message="Add at least one wound photo, or record an override with a reason.",
            action="upload_photo",
        )]
    if not any(p.quality.passes() for p in wound.photos):
        return [Blocker(
            code="photos.quality",
            message="No photo has passed the quality checks yet; retake one, or record an "
            "override with a reason.",
            field="wound.override_reason",
        )]
    return []


def vitals_captured(record: CaseRecord) -> list[Blocker]:
    blockers: list[Blocker] = []
    for name, vital in record.vitals.measurements().items():
        label, path = VITAL_LABELS[name], f"vitals.{name}"
        blockers.extend(_vital_blockers(label, path, vital))
    return blockers


def _vital_blockers(label: str, path: str, vital: Measurement) -> list[Blocker]:
    if not vital.is_recorded():
        return [Blocker(
            code=f"{path}.missing",
            message=f"{label}: enter a value or mark it unknown.",
            field=path,
        )]
    if vital.unknown:
        return []
    blockers: list[Blocker] = []
    if vital.unit_value() is None:
        blockers.append(Blocker(
            code=f"{path}.unit.missing",
            message=f"{label}: give its unit.",
            field=f"{path}.{vital.UNIT_FIELD}",
        ))
    if vital.captured_at is None:
        blockers.append(Blocker(
            code=f"{path}.captured_at.missing",
            message=f"{label}: give the time it was captured.",
            field=f"{path}.captured_at",
        ))
    blockers.extend(
        Blocker(
            code=f"{path}.{part}.missing",
            message=f"{label}: enter the {part} value too.",
            field=f"{path}.{part}",
        )
        for part in vital.incomplete_values()
    )
    return blockers


def time_captured(record: CaseRecord) -> list[Blocker]:
    assessment = record.time_assessment
    blockers: list[Blocker] = []
    if assessment.tissue.total() > 100:
        blockers.append(Blocker(
            code="time.tissue.total",
            message="Tissue percentages together can be at most 100.",
            field="time_assessment.tissue",
        ))
    if assessment.moisture.exudate_level is None:
        blockers.append(Blocker(
            code="time.exudate.missing",
            message="Choose the exudate level, or mark it unknown.",
            field="time_assessment.moisture.exudate_level",
        ))
    return blockers


def follow_up_resolved(record: CaseRecord) -> list[Blocker]:
    return [
        Blocker(
            code="follow_up.pending",
            message="Answer this question or dismiss it with a reason.",
            field=f"follow_ups.{index}",
        )
        for index, item in enumerate(record.follow_ups)
        if item.status is FollowUpStatus.PENDING
    ]


def review_completed(record: CaseRecord) -> list[Blocker]:
    if record.review is None:
        return [Blocker(
            code="review.attestation.missing",
            message="Confirm that you reviewed the whole record.",
            action="attest_review",
        )]
    return []


def json_assembled(record: CaseRecord) -> list[Blocker]:
    blockers: list[Blocker] = []
    try:
        CaseRecord.model_validate(record.model_dump(mode="json"))
    except ValidationError as exc:
        blockers.extend(
            Blocker(code="record.invalid", message=p.message, field=p.path)
            for p in problems_from_validation_error(exc)
        )
    for check in (bio_confirmed, imaging_confirmed, vitals_captured, time_captured,
                  follow_up_resolved, review_completed):
        blockers.extend(check(record))
    blockers.extend(_sealed(record))
    return blockers


def _sealed(record: CaseRecord) -> list[Blocker]:
    if record.seal is None or record.status is not CaseStatus.READY_FOR_REVIEW:
        return [Blocker(
            code="encryption.missing",
            message="The record has not been assembled and encrypted yet.",
            action="assemble",
        )]
    unsealed = set(sensitive_paths(record.model_dump(mode="json"))) - set(record.seal.sealed_paths)
    if record.seal.record_digest not in (None, record_digest(record)):
        return [Blocker(
            code="encryption.incomplete",
            message="The record changed after it was assembled; assemble it again.",
            action="assemble",
        )]
    if unsealed:
        return [Blocker(
            code="encryption.incomplete",
            message=f"{len(unsealed)} sensitive field(s) changed after encryption; assemble "
            "the record again.",
            action="assemble",
        )]
    return []


def _linked(record: CaseRecord) -> list[Blocker]:
    linkage = record.pin_linkage
    if linkage is None:
        return [Blocker(
            code="pin.linkage.missing",
            message="Sign the record with your PIN.",
            action="sign_with_pin",
        )]
    if linkage.record_digest != record_digest(record):
        return [Blocker(
            code="pin.linkage.stale",
            message="The record changed after it was signed; sign it again.",
            action="sign_with_pin",
        )]
    return []


def clinician_linked(record: CaseRecord) -> list[Blocker]:
    return _linked(record) + _consent_storage(record)


def stored(record: CaseRecord) -> list[Blocker]:
    # Export checked consent and the signature when it locked the record; a revocation that
    # arrives after that is kept in the consent history and does not strand the case.
    exported = record.export is not None and record.status is CaseStatus.LOCKED
    if exported:
        blockers = [] if record.pin_linkage else _linked(record)
    else:
        blockers = _consent_storage(record) + _linked(record)
    if record.seal is None:
        blockers.append(Blocker(
            code="encryption.missing",
            message="The record has not been encrypted.",
            action="assemble",
        ))
    if record.export is None or record.status is not CaseStatus.LOCKED:
        blockers.append(Blocker(
            code="export.missing",
            message="Export the record to lock and store it.",
            action="export",
        ))
    return blockers


def _none(record: CaseRecord) -> list[Blocker]:
    return []


GUARDS: dict[WorkflowEvent, Guard] = {
    WorkflowEvent.BEGIN: _none,
    WorkflowEvent.BIO_CONFIRMED: bio_confirmed,
    WorkflowEvent.IMAGING_CONFIRMED: imaging_confirmed,
    WorkflowEvent.VITALS_CAPTURED: vitals_captured,
    WorkflowEvent.TIME_CAPTURED: time_captured,
    WorkflowEvent.FOLLOW_UP_RESOLVED: follow_up_resolved,
    WorkflowEvent.REVIEW_COMPLETED: review_completed,
    WorkflowEvent.JSON_ASSEMBLED: json_assembled,
    WorkflowEvent.CLINICIAN_LINKED: clinician_linked,
    WorkflowEvent.STORED: stored,
    WorkflowEvent.ROLLBACK: _none,
    WorkflowEvent.RESET: _none,
}


def blockers_for(event: WorkflowEvent, record: CaseRecord) -> list[Blocker]:
    """The event's own guard; and a decline of data storage blocks every forward event."""
    blockers = GUARDS[event](record)
    if event in (WorkflowEvent.ROLLBACK, WorkflowEvent.RESET, WorkflowEvent.STORED):
        return blockers  # STORED applies its own consent rule (see ``stored``)
    if record.consent.data_storage is ConsentStatus.DECLINED and not any(
        b.code == "consent.data_storage.declined" for b in blockers
    ):
        blockers = _consent_storage(record) + blockers
    return blockers
