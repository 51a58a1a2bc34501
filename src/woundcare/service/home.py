"""The clinician's home page: my open cases, my patients with their visits, visits due.

A patient is the set of cases linked by a next visit (``previous_case_id``), by the same MRN
(its keyed hash) or by the same full name and date of birth (the blind index's digest) -
until patient identity across visits is stored, this is how visits are grouped.

A **visit due** is a date the clinician recorded for seeing the patient again
(``PUT /api/cases/{id}/next-visit``), on a case whose next visit has not been started yet;
it is listed from 14 days before the date, overdue ones first.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from woundcare.crypto import blind_index
from woundcare.domain.enums import WorkflowState
from woundcare.domain.errors import CaseNotFound
from woundcare.domain.record import CaseRecord
from woundcare.service.audit import Caller, record_audit
from woundcare.service.cases import CaseService, case_summary
from woundcare.service.errors import not_found
from woundcare.service.results import ApiResult

RECENT_CASES = 200
OPEN_CASES = 50
PATIENTS = 30
DUE_AHEAD = timedelta(days=14)


class _Groups:
    """Union-find over case ids."""

    def __init__(self, ids: list[UUID]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, x: UUID) -> UUID:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: UUID, b: UUID) -> None:
        if a in self.parent and b in self.parent:
            self.parent[self.find(a)] = self.find(b)


class HomeService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases

    def home(self, caller: Caller) -> ApiResult:
        today = self.cases.rt.clock().date()
        with self.cases.workspace(caller) as ws:
            rows, _ = ws.store.list_cases(limit=RECENT_CASES, offset=0)
            records = [ws.store.record_from_row(row) for row in rows]
            by_id = {r.case_id: r for r in records}
            groups = _Groups(list(by_id))
            keys: dict[tuple[str, str], UUID] = {}
            for row, record in zip(rows, records, strict=True):
                if record.previous_case_id in by_id:
                    groups.join(record.case_id, record.previous_case_id)
                patient_id = getattr(record, "patient_id", None)
                links = [("patient", str(patient_id))] if patient_id else []
                if row["mrn_hash"]:
                    links.append(("mrn", row["mrn_hash"]))
                patient = ws.store.patient_keys(record)
                links += [("namedob", t) for t in blind_index.duplicate_terms(patient)]
                for link in links:
                    if link in keys:
                        groups.join(record.case_id, keys[link])
                    else:
                        keys[link] = record.case_id
            plans = ws.store.next_visits(list(by_id))
            record_audit(ws.uow, caller, "case.list",
                         detail={"count": len(records), "home": True})
        return ApiResult(200, {
            "today": today.isoformat(),
            "open_cases": [case_summary(r) for r in records
                           if r.state is not WorkflowState.DONE][:OPEN_CASES],
            "patients": _patients(records, groups),
            "due": _due(records, plans, today),
        })

    def next_visit(self, caller: Caller, case_id: UUID) -> ApiResult:
        with self.cases.workspace(caller) as ws:
            try:
                ws.store.load(case_id)
            except CaseNotFound:
                raise not_found() from None
            due = ws.store.next_visits([case_id]).get(case_id)
        return ApiResult(200, {"case_id": str(case_id),
                               "due_on": due.isoformat() if due else None})

    def set_next_visit(self, caller: Caller, case_id: UUID, due_on: date | None) -> ApiResult:
        with self.cases.workspace(caller) as ws:
            try:
                record = ws.store.load(case_id)
                ws.store.set_next_visit(case_id, due_on, at=self.cases.rt.clock())
            except CaseNotFound:
                raise not_found() from None
            record_audit(ws.uow, caller, "case.next_visit", record=record,
                         detail={"set": due_on is not None})
        return ApiResult(200, {"case_id": str(case_id),
                               "due_on": due_on.isoformat() if due_on else None})


def _patients(records: list[CaseRecord], groups: _Groups) -> list[dict[str, Any]]:
    members: dict[UUID, list[CaseRecord]] = {}
    for record in records:  # newest first
        members.setdefault(groups.find(record.case_id), []).append(record)
    out = []
    for visits in members.values():
        named = [v for v in visits if case_summary(v)["patient_label"]]
        if not named:
            continue  # nothing to call the patient yet: it is in "my open cases"
        out.append({
            "patient_label": case_summary(named[0])["patient_label"],
            "last_update": visits[0].updated_at.isoformat(),
            "visits": [case_summary(v) for v in sorted(
                visits, key=lambda v: (v.visit_number, v.created_at))],
        })
    return out[:PATIENTS]


def _due(records: list[CaseRecord], plans: dict[UUID, date], today: date) -> list[dict[str, Any]]:
    followed = {r.previous_case_id for r in records if r.previous_case_id}
    out = []
    for record in records:
        due = plans.get(record.case_id)
        if due is None or record.case_id in followed or due > today + DUE_AHEAD:
            continue
        out.append({**case_summary(record), "due_on": due.isoformat(),
                    "overdue_days": max(0, (today - due).days)})
    out.sort(key=lambda item: (item["due_on"], item["case_id"]))
    return out
