"""Request bodies that are not domain inputs, and response models (for ``/openapi.json``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from woundcare.domain.blockers import Blocker
from woundcare.domain.record import CaseRecord, FollowUp, Reason


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ---------------------------------------------------------------- auth


class LoginBody(Body):
    email: Annotated[str, StringConstraints(min_length=3, max_length=320)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024,
                                               strip_whitespace=False)]


class PasswordBody(Body):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=1024,
                                                       strip_whitespace=False)]
    new_password: Annotated[str, StringConstraints(min_length=12, max_length=1024,
                                                   strip_whitespace=False)]


class PinBody(Body):
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024,
                                               strip_whitespace=False)]
    pin: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,12}$")] = Field(repr=False)


class ClinicianView(BaseModel):
    clinician_id: UUID
    organisation_id: UUID
    role: Literal["clinician", "org_admin"]
    display_name: str
    email: str
    pin_set: bool
    active: bool


class MeView(ClinicianView):
    csrf_token: str


class LoginResponse(BaseModel):
    clinician: ClinicianView
    csrf_token: str
    idle_expires_at: AwareDatetime
    absolute_expires_at: AwareDatetime


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a scheme name
    absolute_expires_at: AwareDatetime


# ---------------------------------------------------------------- admin


class NewClinicianBody(Body):
    email: Annotated[str, StringConstraints(min_length=3, max_length=320,
                                            pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    role: Literal["clinician", "org_admin"] = "clinician"


class RoleBody(Body):
    role: Literal["clinician", "org_admin"]


class CreatedClinician(BaseModel):
    clinician: ClinicianView
    temporary_password: str


BreakGlassReason = Literal["emergency_care", "patient_safety", "continuity_of_care",
                           "legal_or_regulatory", "data_quality_review"]


class DelegationBody(Body):
    """Delegate a case to a colleague. An organisation administrator delegating a case to
    themselves (one they do not own) is a break-glass access: ``reason`` is required, it is
    audited as ``case.break_glass`` in the case's trail and counted for an alert."""

    clinician_id: UUID
    reason: BreakGlassReason | None = Field(
        default=None, description="Required for break-glass (an administrator delegating a "
                                  "case to themselves); a code, never free text.")


class DelegationView(BaseModel):
    case_id: UUID
    clinician_id: UUID
    granted_by: UUID
    created_at: AwareDatetime


# ---------------------------------------------------------------- cases


class NewCaseBody(Body):
    previous_case_id: UUID | None = None
    patient_id: UUID | None = None  # a visit of a known patient (a new wound unless ...)
    wound_id: UUID | None = None  # ... a known wound of that patient


class CaseSummary(BaseModel):
    case_id: UUID
    state: str
    status: str
    version: int
    updated_at: AwareDatetime
    created_at: AwareDatetime
    visit_number: int
    patient_label: str | None
    blockers: list[str]


class CaseList(BaseModel):
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


class AllowedEvent(BaseModel):
    event: str
    forward: bool
    blockers: list[Blocker]


class TimelineEntry(BaseModel):
    seq: int
    at: AwareDatetime
    actor_kind: str
    agent: str | None
    field_path: str
    event: str | None


class TimelineStep(BaseModel):
    state: str
    status: Literal["done", "current", "blocked", "todo"]
    changes: int  # provenance entries in this state; GET .../timeline pages them


class TimelineRow(TimelineEntry):
    state: str


class TimelinePage(BaseModel):
    case_id: UUID
    entries: list[TimelineRow]  # newest first
    next_cursor: str | None  # pass as ?cursor= for the next (older) page; None: no more


class SessionSnapshot(BaseModel):
    case_id: UUID
    organisation_id: UUID
    owner_id: UUID
    state: str
    status: str
    version: int
    updated_at: AwareDatetime
    allowed_events: list[AllowedEvent]
    record: CaseRecord
    missing: list[str]
    pending_follow_ups: list[FollowUp]
    timeline: list[TimelineStep]
    messages: list[str]
    retake_requests: dict[str, list[str]] = {}  # photo artifact id -> neutral retake requests
    review_fields: list[dict[str, Any]] = []  # every recorded value: {path, value}
    push: dict[str, Any] | None = None  # PUSH 3.0 (NPIAP), computed; null until computable
    push_enabled: bool = True


class OutlineBody(Body):
    outline: list[list[float]] = Field(min_length=3, max_length=5000,
                                       description="The traced outline: [x, y] photo pixels")
    marker_size_cm: Annotated[float, Field(ge=1.0, le=10.0)] | None = None


class ParseBody(Body):
    free_text: Annotated[str, StringConstraints(min_length=1, max_length=20000)]


class FollowUpBody(Body):
    answer: Annotated[str, StringConstraints(min_length=1, max_length=4000)] | None = None
    dismiss_reason: Reason | None = None


class ParseProposal(BaseModel):
    fields: list[dict[str, Any]]
    consent: dict[str, Any]
    ambiguities: list[dict[str, Any]]
    source_artifact_id: UUID | None = None  # set when the text came from an uploaded document
    notes: list[str] = []  # neutral remarks for the clinician (never values from the text)
    # Text that reads like an instruction to the system was found; it was not obeyed.
    suspicious_instruction: bool = False
    read_by: str | None = None  # documents: "text", "pdf", "ocr" (scans, photos) or "speech"
    text: str | None = None  # documents: the text that was read, for the clinician to check


class ProvenanceList(BaseModel):
    case_id: UUID
    entries: list[dict[str, Any]]


class ChainReportView(BaseModel):
    ok: bool
    entries: int
    head: str | None
    problems: list[dict[str, Any]]


# A reference, not ``"model": Problem``: FastAPI builds a validator for every model named in a
# route's responses (some 400 of them, a large share of start-up) only to write the OpenAPI
# document; :func:`woundcare.api.openapi_docs.install_openapi` adds the Problem schema itself.
PROBLEM = {"content": {"application/problem+json": {
    "schema": {"$ref": "#/components/schemas/Problem"}}}}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {**PROBLEM, "description": _DESCRIPTIONS.get(status, "Error")}
            for status in statuses}


_DESCRIPTIONS = {
    400: "Malformed JSON or header", 401: "Not logged in, expired or revoked session",
    403: "CSRF token missing or role insufficient", 404: "No such case (or not yours)",
    409: "Stale version; `current` holds the current snapshot", 413: "Body or file too large",
    415: "Media type not accepted (checked from the bytes)",
    422: "Validation failed, guard blockers, or PIN rejected",
    428: "If-Match missing", 429: "Rate limited or PIN locked (see Retry-After)",
    503: "Busy or unavailable: every password-hashing slot is in use, a write waited too "
         "long for a record another request holds, or the database connection was lost; "
         "nothing changed (see Retry-After)",
}
