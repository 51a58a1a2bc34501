"""``woundcare admin``: organisations (operators only) and people.

``create-org`` runs as the operator (owner role on PostgreSQL). The other commands act as a
named organisation administrator (``--as``), so the audit trail says who did it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

import typer

from woundcare.commands._common import operator_url, refusals
from woundcare.config import get_settings
from woundcare.service.admin import AdminService, temporary_password
from woundcare.service.audit import Caller
from woundcare.service.runtime import Runtime, build_runtime
from woundcare.storage.database import Database
from woundcare.storage.identity import Identity

app = typer.Typer(help="Administration: organisations, clinicians, roles, PINs, delegations.",
                  no_args_is_help=True)

RoleName = Literal["clinician", "org_admin"]


def _runtime() -> Runtime:
    return build_runtime(get_settings())


@dataclass(frozen=True)
class _Acting:
    """An organisation administrator acting through the service (the audit trail names them)."""

    runtime: Runtime
    caller: Caller

    @property
    def service(self) -> AdminService:
        return AdminService(self.runtime)

    def clinician_id(self, email: str) -> UUID:
        with self.runtime.db.unit_of_work(self.caller.identity, read_only=True) as uow:
            for clinician in uow.clinicians.list():
                if clinician.email == email.strip().lower():
                    return clinician.id
        typer.echo(f"no clinician {email} in this organisation", err=True)
        raise typer.Exit(2)


def _acting(email: str) -> _Acting:
    runtime = _runtime()
    with runtime.db.unit_of_work(None, read_only=True) as uow:
        found = uow.clinicians.by_email(email)
    if found is None or found.role != "org_admin" or not found.active:
        typer.echo(f"{email} is not an active organisation administrator", err=True)
        raise typer.Exit(2)
    identity = Identity(found.organisation_id, found.id, found.role)
    return _Acting(runtime, Caller(identity, uuid.UUID(int=0), runtime.client_hash("cli"),
                                   f"cli-{uuid.uuid4().hex[:12]}"))


@app.command("create-org")
def create_org(
    name: str,
    admin_email: str = typer.Option(..., help="E-mail of the organisation's first admin."),
    admin_name: str = typer.Option(..., help="Display name of the first admin."),
) -> None:
    """Create an organisation and its first administrator (prints a one-time password)."""
    settings = get_settings()
    runtime = _runtime()
    db = Database(operator_url(settings))
    password = temporary_password()
    try:
        with refusals(), db.unit_of_work(None) as uow:
            org = uow.organisations.create(name)
            admin = uow.clinicians.create(email=admin_email, display_name=admin_name,
                                          password_hash=runtime.passwords.hash(password),
                                          role="org_admin", organisation_id=org.id)
            uow.audit.append(action="admin.org.create", outcome="success",
                             detail={"organisation_id": str(org.id),
                                     "clinician_id": str(admin.id)})
    finally:
        db.dispose()
    typer.echo(f"organisation {org.id}")
    typer.echo(f"admin        {admin.email} ({admin.id})")
    typer.echo(f"password     {password}   (shown once; change it after logging in)")


@app.command()
def invite(
    email: str,
    display_name: str,
    role: str = typer.Option("clinician", help="clinician or org_admin"),
    as_admin: str = typer.Option(..., "--as", help="E-mail of the admin doing this."),
) -> None:
    """Add a clinician to the admin's organisation (prints a one-time password)."""
    acting = _acting(as_admin)
    with refusals():
        created = acting.service.create_clinician(acting.caller, email, display_name,
                                                  _role(role))
    typer.echo(f"clinician {created['clinician']['clinician_id']}")
    typer.echo(f"password  {created['temporary_password']}   (shown once)")


@app.command("set-role")
def set_role(
    email: str,
    role: str,
    as_admin: str = typer.Option(..., "--as", help="E-mail of the admin doing this."),
) -> None:
    """Change a clinician's role (clinician or org_admin)."""
    acting = _acting(as_admin)
    with refusals():
        acting.service.set_role(acting.caller, acting.clinician_id(email), _role(role))
    typer.echo(f"{email}: {role}")


@app.command("reset-pin")
def reset_pin(
    email: str,
    as_admin: str = typer.Option(..., "--as", help="E-mail of the admin doing this."),
) -> None:
    """Clear a clinician's signing PIN and lockouts; they set a new one with their password."""
    acting = _acting(as_admin)
    with refusals():
        acting.service.reset_pin(acting.caller, acting.clinician_id(email))
    typer.echo(f"{email}: PIN cleared")


@app.command("revoke-sessions")
def revoke_sessions(
    email: str,
    as_admin: str = typer.Option(..., "--as", help="E-mail of the admin doing this."),
) -> None:
    """Log a clinician out on every device at once (lost tablet, suspected compromise)."""
    acting = _acting(as_admin)
    with refusals():
        revoked = acting.service.revoke_sessions(acting.caller, acting.clinician_id(email))
    typer.echo(f"{email}: {revoked} session(s) revoked")


@app.command()
def delegate(
    case_id: UUID,
    email: str,
    as_admin: str = typer.Option(..., "--as", help="E-mail of the admin doing this."),
) -> None:
    """Let a clinician of the same organisation work on a case."""
    acting = _acting(as_admin)
    with refusals():
        acting.service.delegate(acting.caller, case_id, acting.clinician_id(email))
    typer.echo(f"{case_id}: delegated to {email}")


def _role(value: str) -> RoleName:
    if value not in ("clinician", "org_admin"):
        typer.echo("role must be clinician or org_admin", err=True)
        raise typer.Exit(2)
    return value  # type: ignore[return-value]
