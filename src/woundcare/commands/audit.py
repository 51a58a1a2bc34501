"""``woundcare audit``: query the audit trail (operator view; no PHI is ever in it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import UUID

import typer

from woundcare.commands._common import operator_url
from woundcare.config import get_settings
from woundcare.storage.database import Database


def _since(value: str | None) -> datetime | None:
    """ISO-8601 (``2026-01-31T09:00:00Z``) or a relative age (``15m``, ``2h``, ``7d``)."""
    if value is None:
        return None
    units = {"m": "minutes", "h": "hours", "d": "days"}
    if value[:-1].isdigit() and value[-1] in units:
        return datetime.now(UTC) - timedelta(**{units[value[-1]]: int(value[:-1])})
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def audit(
    case: UUID | None = typer.Option(None, "--case", help="Only events on this case."),
    actor: UUID | None = typer.Option(None, "--actor", help="Only events by this clinician."),
    organisation: UUID | None = typer.Option(None, "--org", help="Only this organisation."),
    action: str | None = typer.Option(None, help="Only this action (e.g. case.read)."),
    since: str | None = typer.Option(None, help="ISO time or age such as 15m, 2h, 7d."),
    limit: int = typer.Option(200, min=1, max=100_000),
) -> None:
    """Print audit events, newest first, one JSON object per line."""
    try:
        start = _since(since)
    except ValueError:
        typer.echo("--since must be an ISO time or an age such as 15m, 2h, 7d", err=True)
        raise typer.Exit(2) from None
    db = Database(operator_url(get_settings()))
    try:
        with db.unit_of_work(None, read_only=True) as uow:
            events = uow.audit.query(organisation_id=organisation, case_id=case,
                                     actor_id=actor, action=action, since=start, limit=limit)
    finally:
        db.dispose()
    for event in events:
        typer.echo(json.dumps({
            "at": event.at.isoformat(), "organisation_id": _s(event.organisation_id),
            "actor_id": _s(event.actor_id), "action": event.action,
            "case_id": _s(event.case_id), "agent": event.agent, "state": event.state,
            "consent_flag": event.consent_flag, "outcome": event.outcome,
            "request_id": event.request_id, "client_hash": event.client_hash,
            "detail": event.detail,
        }, sort_keys=True))


def _s(value: UUID | None) -> str | None:
    return None if value is None else str(value)
