"""A patient's visits and a wound's history, read across the cases the caller may see (the
patient and wound identities are shared within the organisation; the visits stay private to
their owners and delegates)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa

from woundcare.domain.push import compute_push
from woundcare.domain.record import CaseRecord
from woundcare.domain.trend import wound_history
from woundcare.service.audit import Caller, record_audit
from woundcare.service.cases import CaseService, Workspace, patient_label
from woundcare.service.errors import ApiError
from woundcare.service.results import ApiResult
from woundcare.storage.case_repository import visible_cases
from woundcare.storage.schema import cases


def _records(ws: Workspace, caller: Caller, where: sa.ColumnElement[bool]) -> list[CaseRecord]:
    rows = ws.uow.conn.execute(
        sa.select(cases).where(where, visible_cases(caller.identity))
        .order_by(cases.c.created_at, cases.c.id)
    ).mappings().all()
    return [ws.store.record_from_row(row) for row in rows]


def _visit(record: CaseRecord, push_enabled: bool) -> dict[str, Any]:
    m = record.wound.measurement
    push = compute_push(record) if push_enabled else None
    return {
        "case_id": str(record.case_id),
        "wound_id": None if record.wound_id is None else str(record.wound_id),
        "visit_number": record.visit_number, "state": record.state.value,
        "status": record.status.value, "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "measured_at": None if m is None or m.measured_at is None else m.measured_at.isoformat(),
        "method": None if m is None else m.method.value,
        "area_cm2": None if m is None else m.area_cm2,
        "length_cm": None if m is None else m.length_cm,
        "width_cm": None if m is None else m.width_cm,
        "push_total": None if push is None else push.total,
        "wound_type": None if record.wound.wound_type is None else record.wound.wound_type.value,
        "body_site": None if record.wound.body_site is None
        else record.wound.body_site.model_dump(mode="json"),
    }


class PatientService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases
        self.rt = cases.rt

    def list_patients(self, caller: Caller, *, limit: int, offset: int) -> ApiResult:
        visible = sa.and_(visible_cases(caller.identity), cases.c.patient_id.is_not(None))
        last = sa.func.max(cases.c.created_at)
        with self.cases.workspace(caller) as ws:
            total = ws.uow.conn.execute(
                sa.select(sa.func.count(sa.distinct(cases.c.patient_id))).where(visible)
            ).scalar_one()
            groups = ws.uow.conn.execute(
                sa.select(cases.c.patient_id, sa.func.count().label("visits"),
                          sa.func.count(sa.distinct(cases.c.wound_id)).label("wounds"),
                          sa.func.min(cases.c.created_at).label("first"), last.label("last"))
                .where(visible).group_by(cases.c.patient_id)
                .order_by(last.desc(), cases.c.patient_id).limit(limit).offset(offset)
            ).all()
            items = []
            for patient_id, visits, wound_count, _first, _last in groups:
                row = ws.uow.conn.execute(
                    sa.select(cases).where(visible, cases.c.patient_id == patient_id)
                    .order_by(cases.c.created_at.desc(), cases.c.id).limit(1)
                ).mappings().one()
                first_row = ws.uow.conn.execute(
                    sa.select(cases.c.created_at).where(visible, cases.c.patient_id == patient_id)
                    .order_by(cases.c.created_at).limit(1)).scalar_one()
                latest = ws.store.record_from_row(row)
                items.append({
                    "patient_id": str(patient_id), "label": patient_label(latest),
                    "visits": int(visits), "wounds": int(wound_count),
                    "first_visit_at": _iso(first_row), "last_visit_at": latest.created_at
                    .isoformat(), "latest_case_id": str(latest.case_id)})
            record_audit(ws.uow, caller, "patient.list", detail={"count": len(items)})
        return ApiResult(200, {"items": items, "total": int(total), "limit": limit,
                               "offset": offset})

    def visits(self, caller: Caller, patient_id: UUID) -> ApiResult:
        push_enabled = self.rt.settings.push_enabled
        with self.cases.workspace(caller) as ws:
            records = _records(ws, caller, cases.c.patient_id == patient_id)
            if not records:
                raise ApiError(404, "patient_not_found", "No such patient.")
            by_wound: dict[str, list[CaseRecord]] = {}
            for record in records:
                by_wound.setdefault(str(record.wound_id), []).append(record)
            wound_list = [{
                "wound_id": wound_id, "visits": len(visits),
                "first_visit_at": visits[0].created_at.isoformat(),
                "last_visit_at": visits[-1].created_at.isoformat(),
                "wound_type": None if visits[-1].wound.wound_type is None
                else visits[-1].wound.wound_type.value,
                "body_site": None if visits[-1].wound.body_site is None
                else visits[-1].wound.body_site.model_dump(mode="json"),
            } for wound_id, visits in by_wound.items()]
            record_audit(ws.uow, caller, "patient.visits",
                         detail={"count": len(records)})
        return ApiResult(200, {"patient_id": str(patient_id),
                               "label": patient_label(records[-1]),
                               "visits": [_visit(r, push_enabled) for r in records],
                               "wounds": wound_list})

    def wound_history(self, caller: Caller, wound_id: UUID) -> ApiResult:
        with self.cases.workspace(caller) as ws:
            records = _records(ws, caller, cases.c.wound_id == wound_id)
            if not records:
                raise ApiError(404, "wound_not_found", "No such wound.")
            record_audit(ws.uow, caller, "wound.history", detail={"count": len(records)})
        history = wound_history(records, push_enabled=self.rt.settings.push_enabled)
        return ApiResult(200, {"wound_id": str(wound_id),
                               "patient_id": str(records[0].patient_id), **history})


def _iso(value: Any) -> str:
    from datetime import UTC, datetime

    if isinstance(value, datetime):
        return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).isoformat()
    return str(value)
