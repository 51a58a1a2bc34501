"""Checks on the patient and wound a new case is to belong to."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from woundcare.service.errors import ApiError
from woundcare.storage.schema import patients, wounds


def check_identity(conn: Connection, organisation_id: UUID, patient_id: UUID | None,
                   wound_id: UUID | None) -> None:
    """A new case's patient and wound must be the organisation's, and the wound the
    patient's (the same answer whether they do not exist or belong elsewhere)."""
    if wound_id is not None and patient_id is None:
        raise ApiError(422, "patient_required", "Also say which patient the wound belongs to.")
    if patient_id is not None and conn.execute(
            sa.select(patients.c.id).where(patients.c.id == patient_id,
                                           patients.c.organisation_id == organisation_id)
    ).first() is None:
        raise ApiError(404, "patient_not_found", "No such patient.")
    if wound_id is not None:
        owner = conn.execute(
            sa.select(wounds.c.patient_id).where(wounds.c.id == wound_id,
                                                 wounds.c.organisation_id == organisation_id)
        ).scalar_one_or_none()
        if owner is None:
            raise ApiError(404, "wound_not_found", "No such wound.")
        if owner != patient_id:
            raise ApiError(422, "wound_of_another_patient",
                           "This wound belongs to another patient.")
