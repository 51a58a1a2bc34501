"""The session snapshot (docs/runtime-bootstrap.md section 7): what the server returns after
every read or write of a case, and what the console renders from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from woundcare.agents.review import review_fields
from woundcare.domain.enums import WorkflowState
from woundcare.domain.guards import VITAL_LABELS
from woundcare.domain.imaging import retake_requests
from woundcare.domain.machine import forward_event, is_forward, position
from woundcare.domain.push import compute_push
from woundcare.domain.record import CaseRecord
from woundcare.workflow.orchestrator import Orchestrator

_LABELS: dict[str, str] = {
    "patient.first_name": "First or preferred name",
    "patient.date_of_birth": "Date of birth or age",
    "patient.sex": "Sex",
    "consent.data_storage": "Consent to data storage",
    "consent.photography": "Consent to photography",
    "consent.team_board_sharing": "Consent to team-board sharing",
    "wound.site": "Wound site",
    "wound.photos": "Wound photos",
    "time_assessment.tissue": "Tissue types",
    "time_assessment.infection.odour": "Odour",
    "time_assessment.infection.erythema": "Erythema",
    "time_assessment.moisture.exudate_level": "Exudate level",
    "time_assessment.edge.condition": "Wound edge",
    "review": "Review attestation",
    "pin_linkage": "PIN signature",
    "seal": "Encryption",
    **{f"vitals.{name}": label for name, label in VITAL_LABELS.items()},
}


def label(path: str) -> str:
    """A human label for a missing-field path (agents may already return labels)."""
    if path in _LABELS:
        return _LABELS[path]
    if path.startswith("follow_ups."):
        return f"Follow-up question {int(path.split('.')[1]) + 1}" if path.count(".") == 1 \
            and path.split(".")[1].isdigit() else "Follow-up question"
    if "." not in path and " " in path:
        return path
    return path.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def build_snapshot(
    record: CaseRecord,
    orchestrator: Orchestrator,
    changes: Mapping[str, int],
    messages: Sequence[str] = (),
    push_enabled: bool = True,
) -> dict[str, Any]:
    """``changes``: how many provenance entries each workflow state holds. The entries
    themselves are not in the snapshot (a long case's snapshot stays small): they are paged by
    ``GET /api/session/{case_id}/timeline``."""
    evaluation = orchestrator.evaluate(record)
    allowed = [
        {"event": event.value, "forward": is_forward(event),
         "blockers": [b.model_dump(mode="json") for b in blockers]}
        for event, blockers in evaluation.items()
    ]
    missing = [label(path) for path in orchestrator.missing(record)]
    forward = forward_event(record.state)
    current_blocked = bool(forward is not None and evaluation.get(forward))
    here = position(record.state)
    timeline = []
    for state in WorkflowState:
        at = position(state)
        if at < here:
            status = "done"
        elif at > here:
            status = "todo"
        else:
            status = "blocked" if current_blocked else "current"
        timeline.append({"state": state.value, "status": status,
                         "changes": int(changes.get(state.value, 0))})
    shown = list(messages)  # what is missing is in "missing"; agents word it in messages
    return {
        "case_id": str(record.case_id),
        "organisation_id": str(record.organisation_id),
        "owner_id": str(record.owner_id),
        "state": record.state.value,
        "status": record.status.value,
        "version": record.version,
        "updated_at": record.updated_at.isoformat(),
        "allowed_events": allowed,
        "record": record.model_dump(mode="json"),
        "missing": missing,
        "pending_follow_ups": [f.model_dump(mode="json") for f in record.pending_follow_ups()],
        "timeline": timeline,
        "messages": shown,
        # Each photo's neutral retake requests, worded by the imaging rules (never the console).
        "retake_requests": {str(p.artifact_id): retake_requests(p.quality)
                            for p in record.wound.photos if p.quality.failed()},
        # Every recorded value, for the review (nothing recorded is left out).
        "review_fields": review_fields(record),
        # PUSH 3.0 (NPIAP; see docs): computed from the record, never stored in it.
        "push": _push(record) if push_enabled else None,
        "push_enabled": push_enabled,
    }


def _push(record: CaseRecord) -> dict[str, Any] | None:
    score = compute_push(record)
    return None if score is None else score.model_dump(mode="json")
