"""Every guard: each blocker appears (code and field/action) and clears when supplied."""

from __future__ import annotations

from uuid import UUID

import pytest

from tests.factories import (
    FAILING,
    FIXED_NOW,
    PHOTO_ID,
    FakeSealer,
    complete_record,
    new_record,
    patch,
    sign,
    with_photo,
)
from woundcare.domain.blockers import Blocker
from woundcare.domain.enums import CaseStatus, ConsentStatus, WorkflowEvent, WorkflowState
from woundcare.domain.guards import (
    GUARDS,
    bio_confirmed,
    blockers_for,
    clinician_linked,
    follow_up_resolved,
    imaging_confirmed,
    json_assembled,
    review_completed,
    stored,
    time_captured,
    vitals_captured,
)
from woundcare.domain.record import CaseRecord, FollowUp, Tissue

S = WorkflowState


def codes(blockers: list[Blocker]) -> set[str]:
    return {b.code for b in blockers}


def where(blockers: list[Blocker], code: str) -> tuple[str | None, str | None]:
    found = [b for b in blockers if b.code == code]
    assert len(found) == 1, (code, blockers)
    assert found[0].message.strip(), "every blocker carries a human sentence"
    return found[0].field, found[0].action


def test_guards_cover_every_event() -> None:
    assert set(GUARDS) == set(WorkflowEvent)
    record = new_record()
    for event in (WorkflowEvent.BEGIN, WorkflowEvent.ROLLBACK, WorkflowEvent.RESET):
        assert blockers_for(event, record) == []


@pytest.mark.parametrize("state", [s for s in S if s not in (S.START,)])
def test_complete_record_passes_the_guard_that_led_into_each_state(state: S) -> None:
    """complete_record(state) must satisfy every forward guard before ``state``."""
    from woundcare.domain.machine import FORWARD

    record = complete_record(state)
    for source, (event, target) in FORWARD.items():
        if target is state:
            assert blockers_for(event, record) == [], event
            assert source is not None


# ---------------------------------------------------------------- BIO_CONFIRMED


def test_bio_blockers_appear_on_an_empty_record() -> None:
    blockers = bio_confirmed(new_record())
    assert codes(blockers) == {"patient.name.missing", "patient.dob_or_age.missing",
                               "consent.data_storage.missing"}
    assert where(blockers, "patient.name.missing") == ("patient.first_name", None)
    assert where(blockers, "patient.dob_or_age.missing") == ("patient.date_of_birth", None)
    assert where(blockers, "consent.data_storage.missing") == ("consent.data_storage", None)


@pytest.mark.parametrize(("code", "clear"), [
    ("patient.name.missing", {"patient.first_name": "Testy"}),
    ("patient.name.missing", {"patient.preferred_name": "Tes"}),
    ("patient.dob_or_age.missing", {"patient.date_of_birth": "1970-02-03"}),
    ("patient.dob_or_age.missing", {"patient.age": 0}),
    ("consent.data_storage.missing", {"consent.data_storage": "granted"}),
])
def test_bio_blocker_clears_when_supplied(code: str, clear: dict[str, object]) -> None:
    record = new_record()
    assert code in codes(bio_confirmed(record))
    after = patch(record, **clear)
    assert code not in codes(bio_confirmed(after))
    assert len(bio_confirmed(after)) == len(bio_confirmed(record)) - 1


def test_bio_declined_storage_blocks_with_its_own_code() -> None:
    record = patch(complete_record(S.WOUND_IMAGING), **{"consent.data_storage": "declined"})
    blockers = bio_confirmed(record)
    assert codes(blockers) == {"consent.data_storage.declined"}
    assert where(blockers, "consent.data_storage.declined") == ("consent.data_storage", None)
    assert bio_confirmed(patch(record, **{"consent.data_storage": "granted"})) == []


# ---------------------------------------------------------------- IMAGING_CONFIRMED


def imaging_base(photography: str = "granted") -> CaseRecord:
    record = complete_record(S.WOUND_IMAGING)
    return patch(record, **{"consent.photography": photography})


def test_imaging_photography_consent_missing() -> None:
    record = imaging_base("not_recorded")
    blockers = imaging_confirmed(record)
    assert codes(blockers) == {"consent.photography.missing"}
    assert where(blockers, "consent.photography.missing") == ("consent.photography", None)
    assert "consent.photography.missing" not in codes(
        imaging_confirmed(patch(record, **{"consent.photography": "granted"})))


def test_imaging_needs_a_photo_then_a_passing_one() -> None:
    record = imaging_base()
    blockers = imaging_confirmed(record)
    assert codes(blockers) == {"photos.missing"}
    assert where(blockers, "photos.missing") == (None, "upload_photo")

    blurred = with_photo(record, PHOTO_ID, FAILING)
    blockers = imaging_confirmed(blurred)
    assert codes(blockers) == {"photos.quality"}
    assert where(blockers, "photos.quality") == ("wound.override_reason", None)

    sharp = with_photo(blurred, UUID(int=PHOTO_ID.int + 1))
    assert imaging_confirmed(sharp) == []


def test_imaging_override_with_reason_clears_missing_and_quality() -> None:
    reason = {"wound.override_reason": "Dressing cannot be removed today (synthetic)."}
    assert imaging_confirmed(patch(imaging_base(), **reason)) == []
    blurred = with_photo(imaging_base(), PHOTO_ID, FAILING)
    assert imaging_confirmed(patch(blurred, **reason)) == []


def test_imaging_photography_declined_needs_reason_and_no_photos() -> None:
    record = imaging_base("declined")
    blockers = imaging_confirmed(record)
    assert codes(blockers) == {"photos.declined_reason.missing"}
    assert where(blockers, "photos.declined_reason.missing") == (
        "wound.photography_declined_reason", None)
    closed = patch(record, **{"wound.photography_declined_reason": "Patient declined photos."})
    assert imaging_confirmed(closed) == []

    stored_anyway = with_photo(closed, PHOTO_ID)
    blockers = imaging_confirmed(stored_anyway)
    assert codes(blockers) == {"photos.stored_without_consent"}
    assert where(blockers, "photos.stored_without_consent") == (None, "remove_photos")
    # An override does not make a stored photo acceptable when consent was declined.
    overridden = patch(stored_anyway, **{"wound.override_reason": "Override (synthetic)."})
    assert "photos.stored_without_consent" in codes(imaging_confirmed(overridden))


# ---------------------------------------------------------------- VITALS_CAPTURED

VITALS = ["blood_pressure", "heart_rate", "respiratory_rate", "temperature",
          "oxygen_saturation", "pain"]


def test_vitals_each_missing_on_empty_record() -> None:
    blockers = vitals_captured(new_record())
    assert codes(blockers) == {f"vitals.{name}.missing" for name in VITALS}
    for name in VITALS:
        assert where(blockers, f"vitals.{name}.missing") == (f"vitals.{name}", None)


@pytest.mark.parametrize("name", VITALS)
def test_each_vital_clears_with_explicit_unknown(name: str) -> None:
    record = new_record()
    after = patch(record, **{f"vitals.{name}.unknown": True})
    assert f"vitals.{name}.missing" not in codes(vitals_captured(after))
    assert len(vitals_captured(after)) == len(VITALS) - 1


VALUE = {
    "blood_pressure": {"systolic": 130, "diastolic": 85},
    "heart_rate": {"value": 80},
    "respiratory_rate": {"value": 18},
    "temperature": {"value": 37.2},
    "oxygen_saturation": {"value": 97},
    "pain": {"value": 4},
}
UNIT = {"blood_pressure": ("unit", "mmHg"), "heart_rate": ("unit", "bpm"),
        "respiratory_rate": ("unit", "breaths/min"), "temperature": ("unit", "C"),
        "oxygen_saturation": ("unit", "%"), "pain": ("scale", "nrs")}


@pytest.mark.parametrize("name", VITALS)
def test_each_vital_needs_unit_and_capture_time(name: str) -> None:
    others = {f"vitals.{n}.unknown": True for n in VITALS if n != name}
    record = patch(new_record(), **others, **{f"vitals.{name}": VALUE[name]})
    blockers = vitals_captured(record)
    unit_field, unit_value = UNIT[name]
    assert codes(blockers) == {f"vitals.{name}.unit.missing", f"vitals.{name}.captured_at.missing"}
    assert where(blockers, f"vitals.{name}.unit.missing") == (f"vitals.{name}.{unit_field}", None)
    assert where(blockers, f"vitals.{name}.captured_at.missing") == (
        f"vitals.{name}.captured_at", None)
    # The message names what the form calls it: the pain score's "unit" is its scale.
    (missing_unit,) = [b for b in blockers if b.code.endswith(".unit.missing")]
    assert ("scale it was scored on" in missing_unit.message) == (unit_field == "scale")
    with_unit = patch(record, **{f"vitals.{name}.{unit_field}": unit_value})
    assert codes(vitals_captured(with_unit)) == {f"vitals.{name}.captured_at.missing"}
    done = patch(with_unit, **{f"vitals.{name}.captured_at": FIXED_NOW.isoformat()})
    assert vitals_captured(done) == []


@pytest.mark.parametrize("part", ["systolic", "diastolic"])
def test_blood_pressure_needs_both_values(part: str) -> None:
    others = {f"vitals.{n}.unknown": True for n in VITALS if n != "blood_pressure"}
    given = {"systolic": 130, "diastolic": 85}
    given.pop(part)
    record = patch(new_record(), **others, **{"vitals.blood_pressure": {
        **given, "unit": "mmHg", "captured_at": FIXED_NOW.isoformat()}})
    blockers = vitals_captured(record)
    assert codes(blockers) == {f"vitals.blood_pressure.{part}.missing"}
    assert where(blockers, f"vitals.blood_pressure.{part}.missing") == (
        f"vitals.blood_pressure.{part}", None)
    full = patch(record, **{f"vitals.blood_pressure.{part}": 130 if part == "systolic" else 85})
    assert vitals_captured(full) == []


# ---------------------------------------------------------------- TIME_CAPTURED


def test_time_exudate_missing_and_cleared_by_level_or_unknown() -> None:
    record = new_record()
    blockers = time_captured(record)
    assert codes(blockers) == {"time.exudate.missing"}
    assert where(blockers, "time.exudate.missing") == (
        "time_assessment.moisture.exudate_level", None)
    for level in ("none", "heavy", "unknown"):
        assert time_captured(patch(record, **{
            "time_assessment.moisture.exudate_level": level})) == []


def test_time_tissue_total_blocker_from_an_unvalidated_record() -> None:
    """The record validator refuses totals > 100; the guard still checks (defence in depth)."""
    record = patch(new_record(), **{"time_assessment.moisture.exudate_level": "scant"})
    over = Tissue.model_construct(granulation_pct=60.0, slough_pct=50.0)
    assessment = record.time_assessment.model_copy(update={"tissue": over})
    bad = record.model_copy(update={"time_assessment": assessment})
    blockers = time_captured(bad)
    assert codes(blockers) == {"time.tissue.total"}
    assert where(blockers, "time.tissue.total") == ("time_assessment.tissue", None)
    fixed = bad.model_copy(update={"time_assessment": assessment.model_copy(
        update={"tissue": Tissue(granulation_pct=60, slough_pct=40)})})
    assert time_captured(fixed) == []


# ---------------------------------------------------------------- FOLLOW_UP_RESOLVED


def _question(n: int) -> FollowUp:
    return FollowUp(follow_up_id=UUID(int=n + 1), question=f"Synthetic question {n}?",
                    field_path=f"patient.field_{n}", reason="missing", created_at=FIXED_NOW)


def test_follow_up_pending_blocks_until_answered_or_dismissed() -> None:
    record = new_record(follow_ups=[_question(0), _question(1), _question(2)])
    blockers = follow_up_resolved(record)
    assert [b.code for b in blockers] == ["follow_up.pending"] * 3
    assert [b.field for b in blockers] == ["follow_ups.0", "follow_ups.1", "follow_ups.2"]
    answered = patch(record, **{"follow_ups.1.status": "resolved",
                                "follow_ups.1.answer": "Synthetic answer."})
    assert [b.field for b in follow_up_resolved(answered)] == ["follow_ups.0", "follow_ups.2"]
    closed = patch(answered, **{"follow_ups.0.status": "dismissed",
                                "follow_ups.0.dismiss_reason": "Not applicable.",
                                "follow_ups.2.status": "resolved",
                                "follow_ups.2.answer": "Synthetic."})
    assert follow_up_resolved(closed) == []


# ---------------------------------------------------------------- REVIEW_COMPLETED


def test_review_attestation() -> None:
    record = complete_record(S.REVIEW)
    blockers = review_completed(record)
    assert codes(blockers) == {"review.attestation.missing"}
    assert where(blockers, "review.attestation.missing") == (None, "attest_review")
    assert review_completed(complete_record(S.ASSEMBLE_JSON)) == []


# ---------------------------------------------------------------- JSON_ASSEMBLED


def test_json_assembled_needs_seal_and_ready_status() -> None:
    record = complete_record(S.ASSEMBLE_JSON)
    blockers = json_assembled(record)
    assert codes(blockers) == {"encryption.missing"}
    assert where(blockers, "encryption.missing") == (None, "assemble")
    sealed_only = record.model_copy(update={"seal": FakeSealer().seal(record)})
    assert codes(json_assembled(sealed_only)) == {"encryption.missing"}
    ready = sealed_only.model_copy(update={"status": CaseStatus.READY_FOR_REVIEW})
    assert json_assembled(ready) == []


def test_json_assembled_detects_sensitive_field_added_after_sealing() -> None:
    ready = complete_record(S.LINK_TO_CLINICIAN)
    assert json_assembled(ready) == []
    changed = patch(ready, **{"patient.notes": "Synthetic note added after sealing."})
    blockers = json_assembled(changed)
    assert codes(blockers) == {"encryption.incomplete"}
    assert where(blockers, "encryption.incomplete") == (None, "assemble")
    resealed = changed.model_copy(update={"seal": FakeSealer().seal(changed)})
    assert json_assembled(resealed) == []


def test_json_assembled_reports_invalid_record_and_earlier_gaps() -> None:
    ready = complete_record(S.LINK_TO_CLINICIAN)
    over = Tissue.model_construct(granulation_pct=80.0, slough_pct=80.0)
    bad = ready.model_copy(update={"time_assessment": ready.time_assessment.model_copy(
        update={"tissue": over})})
    blockers = json_assembled(bad)
    assert "record.invalid" in codes(blockers)
    invalid = [b for b in blockers if b.code == "record.invalid"]
    assert invalid[0].field == "time_assessment.tissue"
    assert "time.tissue.total" in codes(blockers)

    no_review = ready.model_copy(update={"review": None})
    assert "review.attestation.missing" in codes(json_assembled(no_review))


# ---------------------------------------------------------------- CLINICIAN_LINKED and STORED


def test_clinician_linked_needs_a_current_signature_and_consent() -> None:
    record = complete_record(S.LINK_TO_CLINICIAN)
    blockers = clinician_linked(record)
    assert codes(blockers) == {"pin.linkage.missing"}
    assert where(blockers, "pin.linkage.missing") == (None, "sign_with_pin")
    signed = sign(record)
    assert clinician_linked(signed) == []

    edited = patch(signed, **{"wound.description": "Changed after signing (synthetic)."})
    blockers = clinician_linked(edited)
    assert codes(blockers) == {"pin.linkage.stale"}
    assert where(blockers, "pin.linkage.stale") == (None, "sign_with_pin")
    assert clinician_linked(sign(edited)) == []

    revoked = patch(signed, **{"consent.data_storage": "declined"})
    assert "consent.data_storage.declined" in codes(clinician_linked(revoked))


def test_stored_needs_consent_linkage_seal_and_export() -> None:
    record = complete_record(S.STORE_SYNC)
    blockers = stored(record)
    assert codes(blockers) == {"export.missing"}
    assert where(blockers, "export.missing") == (None, "export")
    done = complete_record(S.DONE)
    assert stored(done) == []

    unsealed = done.model_copy(update={"seal": None})
    assert codes(stored(unsealed)) == {"encryption.missing"}
    assert where(stored(unsealed), "encryption.missing") == (None, "assemble")
    unsigned = done.model_copy(update={"pin_linkage": None})
    assert codes(stored(unsigned)) == {"pin.linkage.missing"}
    unlocked = done.model_copy(update={"status": CaseStatus.READY_FOR_REVIEW})
    assert codes(stored(unlocked)) == {"export.missing"}
    no_consent = record.model_copy(update={"consent": record.consent.model_copy(
        update={"data_storage": ConsentStatus.NOT_RECORDED})})
    assert "consent.data_storage.missing" in codes(stored(no_consent))
    # Export checked consent when it locked the record: a later revocation (kept in the
    # consent history) does not strand the exported case in STORE_SYNC.
    revoked_after_export = done.model_copy(update={"consent": done.consent.model_copy(
        update={"data_storage": ConsentStatus.DECLINED})})
    assert stored(revoked_after_export) == []


@pytest.mark.parametrize("event", [e for e in WorkflowEvent
                                   if e not in (WorkflowEvent.ROLLBACK, WorkflowEvent.RESET)])
def test_declined_data_storage_blocks_every_forward_event(event: WorkflowEvent) -> None:
    """Product decision (domain/consent.py): a decline of data storage blocks every forward
    event, whatever else the record holds."""
    from woundcare.domain.machine import FORWARD

    source = next(s for s, (e, _) in FORWARD.items() if e is event)
    record = complete_record(source)
    assert "consent.data_storage.declined" not in codes(blockers_for(event, record))
    declined = record.model_copy(update={"consent": record.consent.model_copy(
        update={"data_storage": ConsentStatus.DECLINED})})
    blockers = blockers_for(event, declined)
    assert "consent.data_storage.declined" in codes(blockers)
    assert len([b for b in blockers if b.code == "consent.data_storage.declined"]) == 1
