"""Artifact upload and download.

Upload: the media type comes from the bytes (never the file name or the part's header, which
must agree when given); images are re-encoded without metadata and measured; the bytes are
encrypted with the case's data key, stored in the blob store, and registered on the record
(images in WOUND_IMAGING are added as photos with their quality). Download: authorised,
decrypted, audited.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa

from woundcare.crypto.envelope import decrypt_blob, encrypt_blob
from woundcare.domain.enums import ArtifactKind, Orientation, WorkflowState
from woundcare.domain.imaging import ImageAnalysis
from woundcare.domain.inputs import ArtifactInput, ImagingInput, PhotoInput
from woundcare.domain.problems import FieldProblem
from woundcare.domain.record import Artifact, CaseRecord
from woundcare.imaging.sanitise import (
    IMAGE_TYPES,
    ImageTooLarge,
    UnreadableImage,
    check_pixels,
    sniff_media_type,
    stored_media_type,
    strip_image_metadata,
)
from woundcare.intake.documents import (
    NoTextFound,
    Readers,
    keep_agreed,
    read_text,
    speech_engine,
)
from woundcare.messages import say
from woundcare.service.audit import Caller, record_audit
from woundcare.service.cases import CaseService, Workspace, proposal
from woundcare.service.errors import ApiError, not_found
from woundcare.service.results import ApiResult, IdempotencyRequest
from woundcare.storage.schema import artifacts
from woundcare.workflow.orchestrator import StepOutcome

ACCEPTED: dict[str, frozenset[str]] = {
    "image": frozenset(IMAGE_TYPES),
    # Scanned pages and photos of letters are documents too: they are read by OCR.
    "document": frozenset({"application/pdf", "text/plain", *IMAGE_TYPES}),
    "audio": frozenset({"audio/ogg", "audio/mpeg", "audio/webm", "audio/wav", "audio/mp4"}),
}
_GENERIC = {"", "application/octet-stream"}


@dataclass(frozen=True)
class Upload:
    kind: str
    data: bytes
    claimed_type: str
    site: str | None = None
    orientation: Orientation = Orientation.UNSPECIFIED


@dataclass(frozen=True)
class Prepared:
    data: bytes
    media_type: str
    analysis: ImageAnalysis | None


# At most this many images are decoded at once in a process (each may hold up to
# ``max_image_pixels`` x 4 bytes twice while it is re-encoded).
_DECODE_SLOTS = threading.BoundedSemaphore(2)


def prepare(upload: Upload, max_bytes: int, max_pixels: int = 40_000_000,
            marker_size_cm: float = 2.0) -> Prepared:
    """Check size and media type from the bytes; refuse images above ``max_pixels`` from
    their header (before decoding); strip image metadata; measure images (the calibration
    marker too). A decoder failure is a 422, never a 500."""
    if len(upload.data) > max_bytes:
        raise ApiError(413, "file_too_large",
                       say("error.api.file_too_large", count=max_bytes // (1024 * 1024)))
    if not upload.data:
        raise ApiError(422, "file_empty", "The file is empty.")
    sniffed = sniff_media_type(upload.data)
    accepted = ACCEPTED[upload.kind]
    if sniffed is None or sniffed not in accepted:
        raise ApiError(415, "unsupported_media_type",
                       say("error.api.file_type", kind=upload.kind, types=sorted(accepted)))
    claimed = upload.claimed_type.split(";")[0].strip().lower()
    if claimed not in _GENERIC and claimed != sniffed:
        raise ApiError(415, "media_type_mismatch",
                       "The file's content does not match the type it was sent as.")
    # A scan or photo of a letter is a document: checked and stripped like a photo, not measured.
    letter = upload.kind == "document" and sniffed in IMAGE_TYPES
    if upload.kind != "image" and not letter:
        return Prepared(upload.data, sniffed, None)
    try:
        check_pixels(upload.data, max_pixels)
        with _DECODE_SLOTS:
            clean = strip_image_metadata(upload.data, sniffed, max_pixels)
            from woundcare.imaging.analyser import analyse_image  # numpy on first image

            analysis = None if letter else analyse_image(clean, marker_size_cm)
    except ImageTooLarge as exc:
        raise ApiError(413, "image_too_large",
                       say("error.api.image_too_large", width=exc.width, height=exc.height,
                           limit=max_pixels // 1_000_000),
                       errors=[FieldProblem(path="file", code="image_too_large",
                                            message="The image has too many pixels.")]
                       ) from None
    except (UnreadableImage, OSError, ValueError, SyntaxError, MemoryError):
        raise ApiError(422, "unreadable_image", "The image could not be read; it may be "
                       "damaged or incomplete.",
                       errors=[FieldProblem(path="file", code="unreadable_image",
                                            message="The image could not be read.")]
                       ) from None
    return Prepared(clean, stored_media_type(sniffed), analysis)


class UploadService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases
        self.rt = cases.rt

    def upload(self, caller: Caller, case_id: UUID, expected_version: int,
               idem: IdempotencyRequest | None, upload: Upload) -> ApiResult:
        self._authorise(caller, case_id)  # before any decoding: 404 costs nothing
        prepared = prepare(upload, self.rt.settings.max_upload_bytes,
                           self.rt.settings.max_image_pixels, self.rt.settings.marker_size_cm)
        artifact_id = uuid4()
        stored: list[str] = []

        def step(ws: Workspace) -> StepOutcome:
            record = ws.store.load(case_id)
            dek, _ = ws.store.data_key(case_id)
            ref = self.rt.blobs.put(encrypt_blob(dek, case_id, artifact_id, prepared.data))
            stored.append(ref.key)
            spec = ArtifactInput(
                artifact_id=artifact_id, artifact_kind=upload.kind,
                media_type=prepared.media_type, size_bytes=len(prepared.data),
                sha256=hashlib.sha256(prepared.data).hexdigest(),
                quality=None if prepared.analysis is None else prepared.analysis.model_dump())
            outcome = ws.orchestrator.register_artifact(case_id, spec, ws.actor,
                                                        expected_version=expected_version)
            _insert_artifact(ws, caller, record, spec, ref.key)
            if _as_photo(outcome.record, upload):
                photo = PhotoInput(artifact_id=artifact_id, site=upload.site,
                                   orientation=upload.orientation, analysis=prepared.analysis)
                second = ws.orchestrator.submit(case_id, ImagingInput(add_photo=photo),
                                                ws.actor,
                                                expected_version=outcome.record.version)
                return StepOutcome(record=second.record, entries=outcome.entries +
                                   second.entries, messages=outcome.messages + second.messages)
            return outcome

        try:
            return self.cases.write(
                caller, case_id, expected_version, idem, action="artifact.upload",
                agent="wound_imaging" if upload.kind == "image" else "intake_router",
                detail={"kind": upload.kind, "media_type": prepared.media_type,
                        "size_bytes": len(prepared.data), "artifact_id": str(artifact_id)},
                step=step)
        except BaseException:
            for key in stored:  # the transaction rolled back: drop the orphaned ciphertext
                self.rt.blobs.delete(key)
            raise

    def _authorise(self, caller: Caller, case_id: UUID) -> None:
        try:
            with self.cases.workspace(caller, read_only=True) as ws:
                self.cases._load(ws, case_id)
        except ApiError as exc:
            self.cases._audit_refusal(caller, case_id, "artifact.upload", None, exc)
            raise

    def download(self, caller: Caller, case_id: UUID, artifact_id: UUID) -> tuple[bytes, str]:
        with self.cases.workspace(caller) as ws:
            record, artifact, data = self._read(ws, caller, case_id, artifact_id)
            record_audit(ws.uow, caller, "artifact.download", record=record,
                         detail={"artifact_id": str(artifact_id), "kind": artifact.kind.value})
        return data, artifact.media_type

    def parse_document(self, caller: Caller, case_id: UUID, artifact_id: UUID) -> ApiResult:
        """Read an uploaded document or voice note through the intake parser: a proposal for
        the clinician to confirm, like free text; nothing is saved (the read is audited).
        Text, PDFs, scanned pages and photos of letters (OCR) and WAV voice notes (offline
        speech recognition) are read; the slow reading happens outside the transaction."""
        if self.rt.intake_parser is None:
            raise ApiError(422, "intake_unavailable",
                           "Free-text intake is not available on this server.")
        with self.cases.workspace(caller) as ws:
            record, artifact, data = self._read(ws, caller, case_id, artifact_id)
            if artifact.kind not in (ArtifactKind.DOCUMENT, ArtifactKind.AUDIO):
                raise ApiError(422, "not_a_document", say("error.api.not_a_document"))
            record_audit(ws.uow, caller, "artifact.parse", record=record, agent="bio",
                         detail={"artifact_id": str(artifact_id), "kind": artifact.kind.value})
        settings = self.rt.settings
        readers = Readers(speech=speech_engine(settings.speech_engine, settings.speech_threads))
        return ApiResult(200, _document_proposal(self.rt.intake_parser, data,
                                                 artifact.media_type, artifact_id, readers))

    def _read(self, ws: Workspace, caller: Caller, case_id: UUID,
              artifact_id: UUID) -> tuple[CaseRecord, Artifact, bytes]:
        """The case, the artifact's metadata and its decrypted bytes (404 if not this case's)."""
        record = self.cases._load(ws, case_id)
        artifact = record.artifact(artifact_id)
        key = ws.uow.conn.execute(
            sa.select(artifacts.c.blob_key).where(
                artifacts.c.id == artifact_id, artifacts.c.case_id == case_id,
                artifacts.c.organisation_id == caller.identity.organisation_id)
        ).scalar_one_or_none()
        if artifact is None or key is None:
            raise not_found("artifact")
        dek, _ = ws.store.data_key(case_id)
        return record, artifact, decrypt_blob(dek, case_id, artifact_id, self.rt.blobs.get(key))


def _as_photo(record: CaseRecord, upload: Upload) -> bool:
    """Images uploaded in WOUND_IMAGING become photos (the imaging agent refuses them, and the
    whole upload with them, without photography consent)."""
    return upload.kind == "image" and record.state is WorkflowState.WOUND_IMAGING


def _insert_artifact(ws: Workspace, caller: Caller, record: CaseRecord, spec: ArtifactInput,
                     blob_key: str) -> None:
    values: dict[str, Any] = {
        "id": spec.artifact_id, "case_id": record.case_id,
        "organisation_id": caller.identity.organisation_id, "kind": spec.artifact_kind,
        "media_type": spec.media_type, "size_bytes": spec.size_bytes, "sha256": spec.sha256,
        "blob_key": blob_key, "created_by": caller.clinician_id,
        "created_at": ws.orchestrator.clock.now(), "quality": spec.quality,
    }
    ws.uow.conn.execute(artifacts.insert().values(**values))


def _document_proposal(parser: Any, data: bytes, media_type: str, artifact_id: UUID,
                       readers: Readers | None = None) -> dict[str, Any]:
    """Read the artifact's text (OCR for images, speech recognition for WAV) and parse it."""
    try:
        found = read_text(data, media_type, readers)
    except NoTextFound as exc:
        raise ApiError(422, "no_text_found", str(exc)) from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, MemoryError, ArithmeticError, AssertionError):
        # a malformed PDF (or image, or WAV) can fail anywhere in its reader: never a 500
        raise ApiError(422, "no_text_found", say("error.document.damaged")) from None
    parsed = parser(found.text)
    if found.alternatives or found.checks:  # a voice note: unsure values become questions
        parsed = keep_agreed(parsed, [parser(text) for text in found.alternatives],
                             checks=[parser(text) for text in found.checks])
    return {**proposal(parsed), "source_artifact_id": str(artifact_id),
            "read_by": found.read_by, "text": found.text}
