"""Export reads: the signed FHIR bundle of an exported visit, and checking a bundle's signature.

Reads are authorised and audited like snapshot reads (the caller must see the case); the
bundle is built from the record as stored (decrypted in this unit of work) and signed with
the organisation's export key from the key ring.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import sqlalchemy as sa

from woundcare.crypto.envelope import decrypt_blob
from woundcare.domain.record import CaseRecord
from woundcare.service.audit import Caller, record_audit
from woundcare.service.cases import CaseService, Workspace
from woundcare.service.errors import ApiError
from woundcare.storage.schema import artifacts

if TYPE_CHECKING:  # fhir.resources and jwcrypto load with the first export, not at start-up
    from woundcare.handoff.fhir import ExportContext, PhotoBytes
    from woundcare.handoff.fhir.signing import Verified


def __getattr__(name: str) -> Any:
    """``SignatureInvalid`` and ``Verified`` stay importable from here, loaded on first use."""
    if name in ("SignatureInvalid", "Verified"):
        from woundcare.handoff.fhir import signing

        return getattr(signing, name)
    raise AttributeError(name)


def not_exported() -> ApiError:
    return ApiError(409, "not_exported",
                    "This case has not been signed and exported yet; export it first.")


def compute_push(record: CaseRecord, enabled: bool) -> Any | None:
    """The PUSH score when enabled (else None)."""
    if not enabled:
        return None
    from woundcare.domain import push

    return push.compute_push(record)


class ExportService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases
        self.rt = cases.rt

    # ------------------------------------------------------------------ building

    def photos(self, ws: Workspace, record: CaseRecord) -> dict[UUID, PhotoBytes]:
        """Decrypted photo bytes of the record's photos (missing blobs are left out)."""
        from woundcare.handoff.fhir import PhotoBytes

        ids = [p.artifact_id for p in record.wound.photos]
        if not ids:
            return {}
        rows = ws.uow.conn.execute(
            sa.select(artifacts.c.id, artifacts.c.blob_key, artifacts.c.media_type).where(
                artifacts.c.case_id == record.case_id, artifacts.c.id.in_(ids))).all()
        dek, _ = ws.store.data_key(record.case_id)
        out: dict[UUID, PhotoBytes] = {}
        for artifact_id, key, media_type in rows:
            data = decrypt_blob(dek, record.case_id, artifact_id, self.rt.blobs.get(key))
            out[artifact_id] = PhotoBytes(media_type, data)
        return out

    def context(self, ws: Workspace, record: CaseRecord, *, photos: bool = True,
                now: datetime | None = None) -> ExportContext:
        org = ws.uow.organisations.get(record.organisation_id)
        signer = record.pin_linkage.clinician_id if record.pin_linkage else record.owner_id
        clinician = ws.uow.clinicians.get(signer)
        settings = self.rt.settings
        from woundcare.handoff.fhir import ExportContext

        return ExportContext(
            organisation_name=org.name if org else "Organisation",
            clinician_name=clinician.display_name if clinician else "Clinician",
            mrn_system=settings.fhir_mrn_system,
            generated_at=now or (record.export.exported_at if record.export else self.rt.clock()),
            photos=self.photos(ws, record) if photos else {},
            push=compute_push(record, getattr(settings, "push_enabled", True)),
        )

    def signed_bundle(self, ws: Workspace, record: CaseRecord) -> dict[str, Any]:
        if record.export is None or record.pin_linkage is None:
            raise not_exported()
        from woundcare.handoff.fhir import build_bundle, sign_bundle

        bundle = build_bundle(record, self.context(ws, record))
        keys = self.rt.keys.signing
        kid = keys.active_kid(record.organisation_id)
        return sign_bundle(bundle, keys.private_key(kid), kid)

    # ------------------------------------------------------------------ reads

    def fhir(self, caller: Caller, case_id: UUID) -> dict[str, Any]:
        with self.cases.workspace(caller) as ws:
            record = self.cases._load(ws, case_id)
            try:
                bundle = self.signed_bundle(ws, record)
            except ApiError as exc:
                record_audit(ws.uow, caller, "export.fhir", record=record, outcome="refused",
                             detail={"code": exc.code})
                raise
            record_audit(ws.uow, caller, "export.fhir", record=record,
                         detail={"entries": len(bundle["entry"])})
        return bundle

    def verify(self, bundle: dict[str, Any]) -> Verified:
        """Check a bundle's signature against this installation's organisation keys."""
        from woundcare.handoff.fhir.signing import verify_bundle

        keys = self.rt.keys.signing

        def public(kid: str) -> object:
            return keys.private_key(kid).public_key()  # type: ignore[attr-defined]

        return verify_bundle(bundle, public)


__all__ = ["ExportService", "compute_push", "not_exported"]
