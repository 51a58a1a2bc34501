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
from woundcare.messages import VITAL_LABELS as MESSAGE_VITAL_LABELS
from woundcare.messages import say

Guard = Callable[[CaseRecord], list[Blocker]]

VITAL_LABELS = MESSAGE_VITAL_LABELS  # the catalogue's labels (kept here for importers)


def _consent_storage(record: CaseRecord) -> list[Blocker]:
    status = record.consent.data_storage
    if status is ConsentStatus.GRANTED:
        return []
    if status is ConsentStatus.DECLINED:
        return [Blocker(
            code="consent.data_storage.declined",
            message=say("blocker.consent.data_storage.declined"),
            field="consent.data_storage",
        )]
    return [Blocker(
        code="consent.data_storage.missing",
        message=say("blocker.consent.data_storage.missing"),
        field="consent.data_storage",
    )]


def bio_confirmed(record: CaseRecord) -> list[Blocker]:
    patient = record.patient
    blockers: list[Blocker] = []
    if not (patient.first_name or patient.preferred_name):
        blockers.append(Blocker(
            code="patient.name.missing",
            message=say("blocker.patient.name.missing"),
            field="patient.first_name",
        ))
    if patient.date_of_birth is None and patient.age is None:
        blockers.append(Blocker(
            code="patient.dob_or_age.missing",
            message=say("blocker.patient.dob_or_age.missing"),
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
                message=say("blocker.photos.stored_without_consent"),
                action="remove_photos",
            ))
        if not wound.photography_declined_reason:
            blockers.append(Blocker(
                code="photos.declined_reason.missing",
                message=say("blocker.photos.declined_reason.missing"),
                field="wound.photography_declined_reason",
            ))
        return blockers
    if photography is ConsentStatus.NOT_RECORDED:
        return [Blocker(
            code="consent.photography.missing",
            message=say("blocker.consent.photography.missing"),
            field="consent.photography",
        )]
    if wound.override_reason:
        return []
    if not wound.photos:
        return [Blocker(
            code="photos.missing",
            message=say("blocker.photos.missing"),
            action="upload_photo",
        )]
    if not any(p.quality.passes() for p in wound.photos):
        return [Blocker(
            code="photos.quality",
            message=say("blocker.photos.quality"),
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
            message=say("blocker.vital.missing", label=label),
            field=path,
        )]
    if vital.unknown:
        return []
    blockers: list[Blocker] = []
    if vital.unit_value() is None:
        blockers.append(Blocker(
            code=f"{path}.unit.missing",
            message=say(f"blocker.vital.{vital.UNIT_FIELD}.missing", label=label),
            field=f"{path}.{vital.UNIT_FIELD}",
        ))
    if vital.captured_at is None:
        blockers.append(Blocker(
            code=f"{path}.captured_at.missing",
            message=say("blocker.vital.captured_at.missing", label=label),
            field=f"{path}.captured_at",
        ))
    blockers.extend(
        Blocker(
            code=f"{path}.{part}.missing",
            message=say("blocker.vital.part.missing", label=label, part=part),
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
            message=say("blocker.time.tissue.total"),
            field="time_assessment.tissue",
        ))
    if assessment.moisture.exudate_level is None:
        blockers.append(Blocker(
            code="time.exudate.missing",
            message=say("blocker.time.exudate.missing"),
            field="time_assessment.moisture.exudate_level",
        ))
    return blockers


def follow_up_resolved(record: CaseRecord) -> list[Blocker]:
    return [
        Blocker(
            code="follow_up.pending",
            message=say("blocker.follow_up.pending"),
            field=f"follow_ups.{index}",
        )
        for index, item in enumerate(record.follow_ups)
        if item.status is FollowUpStatus.PENDING
    ]


def review_completed(record: CaseRecord) -> list[Blocker]:
    if record.review is None:
        return [Blocker(
            code="review.attestation.missing",
            message=say("blocker.review.attestation.missing"),
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
            message=say("blocker.encryption.not_assembled"),
            action="assemble",
        )]
    unsealed = set(sensitive_paths(record.model_dump(mode="json"))) - set(record.seal.sealed_paths)
    if record.seal.record_digest not in (None, record_digest(record)):
        return [Blocker(
            code="encryption.incomplete",
            message=say("blocker.encryption.changed"),
            action="assemble",
        )]
    if unsealed:
        return [Blocker(
            code="encryption.incomplete",
            message=say("blocker.encryption.unsealed", count=len(unsealed)),
            action="assemble",
        )]
    return []


def _linked(record: CaseRecord) -> list[Blocker]:
    linkage = record.pin_linkage
    if linkage is None:
        return [Blocker(
            code="pin.linkage.missing",
            message=say("blocker.pin.linkage.missing"),
            action="sign_with_pin",
        )]
    if linkage.record_digest != record_digest(record):
        return [Blocker(
            code="pin.linkage.stale",
            message=say("blocker.pin.linkage.stale"),
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
            message=say("blocker.encryption.missing"),
            action="assemble",
        ))
    if record.export is None or record.status is not CaseStatus.LOCKED:
        blockers.append(Blocker(
            code="export.missing",
            message=say("blocker.export.missing"),
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
