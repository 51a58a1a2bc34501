"""Patients and wounds across visits: ``patients`` and ``wounds`` (identities only, no PHI),
``cases.patient_id`` and ``cases.wound_id``; existing cases are given identities (a chain of
visits linked by ``previous_case_id`` shares one patient and one wound).

Revision ID: 0005
Revises: 0006
Create Date: 2026-12-01

Frozen: does not import the live schema module.

PostgreSQL: both tables get ENABLE + FORCE row-level security, the owner's ``owner_all``
policy, and tenant policies: anyone in the organisation may read an identity (it says nothing
but that a patient or wound exists; the visits stay visible only to their owner and
delegates), a clinician inserts identities of their own organisation in their own name, and
nobody updates or deletes them. The application role gets SELECT and INSERT only.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TABLES = ("patients", "wounds")
ORG = "{s}.wc_org_id()"
ME = "{s}.wc_clinician_id()"
POLICIES: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("patients", "patient_select", "SELECT", f"organisation_id = {ORG}", None),
    ("patients", "patient_insert", "INSERT", None,
     f"organisation_id = {ORG} AND created_by = {ME}"),
    ("wounds", "wound_select", "SELECT", f"organisation_id = {ORG}", None),
    ("wounds", "wound_insert", "INSERT", None,
     f"organisation_id = {ORG} AND created_by = {ME}"),
)


def _quote(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"unsafe SQL identifier {name!r}")
    return f'"{name}"'


def _pg_schema() -> str:
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    return _quote(str(schema))


def _app_role() -> str | None:
    role = str(context.config.attributes.get("woundcare_app_role") or "woundcare_app")
    exists = (
        op.get_bind()
        .execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        .scalar()
    )
    return _quote(role) if exists else None


def _create_tables() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_patients_organisation_id_organisations")),
        sa.ForeignKeyConstraint(
            ["created_by", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"],
            name=op.f("fk_patients_created_by_organisation_id_clinicians")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("id", "organisation_id", name=op.f("uq_patients_id_organisation_id")),
    )
    op.create_table(
        "wounds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id", "organisation_id"], ["patients.id", "patients.organisation_id"],
            name=op.f("fk_wounds_patient_id_organisation_id_patients")),
        sa.ForeignKeyConstraint(
            ["created_by", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"],
            name=op.f("fk_wounds_created_by_organisation_id_clinicians")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wounds")),
        sa.UniqueConstraint("id", "patient_id", "organisation_id",
                            name=op.f("uq_wounds_id_patient_id_organisation_id")),
    )
    op.create_index("ix_wounds_patient_id", "wounds", ["patient_id"])
    op.add_column("cases", sa.Column("patient_id", sa.Uuid(), nullable=True))
    op.add_column("cases", sa.Column("wound_id", sa.Uuid(), nullable=True))
    # SQLite cannot add a constraint to an existing table without copying it (and the copy
    # would trip the foreign keys of artifacts and provenance on a database with cases): the
    # identities' consistency is the application's job there, PostgreSQL enforces it too.
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key("fk_cases_patient_id_patients", "cases", "patients",
                              ["patient_id", "organisation_id"], ["id", "organisation_id"])
        op.create_foreign_key("fk_cases_wound_id_wounds", "cases", "wounds",
                              ["wound_id", "patient_id", "organisation_id"],
                              ["id", "patient_id", "organisation_id"])
    op.create_index("ix_cases_patient_id", "cases", ["patient_id"])
    op.create_index("ix_cases_wound_id", "cases", ["wound_id"])


_CASES = sa.table("cases", sa.column("id", sa.Uuid()), sa.column("organisation_id", sa.Uuid()),
                  sa.column("owner_id", sa.Uuid()), sa.column("previous_case_id", sa.Uuid()),
                  sa.column("created_at", sa.DateTime(timezone=True)),
                  sa.column("patient_id", sa.Uuid()), sa.column("wound_id", sa.Uuid()))
_PATIENTS = sa.table("patients", sa.column("id", sa.Uuid()),
                     sa.column("organisation_id", sa.Uuid()), sa.column("created_by", sa.Uuid()),
                     sa.column("created_at", sa.DateTime(timezone=True)))
_WOUNDS = sa.table("wounds", sa.column("id", sa.Uuid()), sa.column("organisation_id", sa.Uuid()),
                   sa.column("patient_id", sa.Uuid()), sa.column("created_by", sa.Uuid()),
                   sa.column("created_at", sa.DateTime(timezone=True)))


def _backfill() -> None:
    """Give existing cases identities, oldest first: a visit inherits its previous visit's;
    any other case gets a new patient and wound (recorded as created by its owner)."""
    bind = op.get_bind()
    c = _CASES.c
    rows = bind.execute(sa.select(c.id, c.organisation_id, c.owner_id, c.previous_case_id,
                                  c.created_at).order_by(c.created_at, c.id)).all()
    assigned: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = {}
    for case_id, org, owner, previous, created in rows:
        if previous is not None and previous in assigned:
            patient, wound = assigned[previous]
        else:
            patient, wound = uuid.uuid4(), uuid.uuid4()
            at = created or datetime.now(UTC)
            bind.execute(sa.insert(_PATIENTS).values(id=patient, organisation_id=org,
                                                     created_by=owner, created_at=at))
            bind.execute(sa.insert(_WOUNDS).values(id=wound, organisation_id=org,
                                                   patient_id=patient, created_by=owner,
                                                   created_at=at))
        bind.execute(sa.update(_CASES).where(c.id == case_id)
                     .values(patient_id=patient, wound_id=wound))
        assigned[case_id] = (patient, wound)


def _pg_upgrade() -> None:
    s = _pg_schema()
    for table in TABLES:
        op.execute(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {s}.{table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY owner_all ON {s}.{table} AS PERMISSIVE FOR ALL TO "
                   "CURRENT_USER USING (true) WITH CHECK (true)")
    for table, name, command, using, check in POLICIES:
        ddl = f"CREATE POLICY {name} ON {s}.{table} AS PERMISSIVE FOR {command} TO PUBLIC"
        if using is not None:
            ddl += f" USING ({using.format(s=s)})"
        if check is not None:
            ddl += f" WITH CHECK ({check.format(s=s)})"
        op.execute(ddl)
    for table in TABLES:
        op.execute(f"REVOKE ALL ON {s}.{table} FROM PUBLIC")
    app = _app_role()
    if app is None:
        return
    for table in TABLES:
        op.execute(f"GRANT SELECT, INSERT ON {s}.{table} TO {app}")


def upgrade() -> None:
    _create_tables()
    _backfill()
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        s = _pg_schema()
        for table, name, _command, _using, _check in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {name} ON {s}.{table}")
        for table in TABLES:
            op.execute(f"DROP POLICY IF EXISTS owner_all ON {s}.{table}")
    op.drop_index("ix_cases_wound_id", table_name="cases")
    op.drop_index("ix_cases_patient_id", table_name="cases")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_cases_wound_id_wounds", "cases", type_="foreignkey")
        op.drop_constraint("fk_cases_patient_id_patients", "cases", type_="foreignkey")
        op.drop_column("cases", "wound_id")
        op.drop_column("cases", "patient_id")
    else:  # SQLite 3.35+ drops a plain column in place
        op.execute("ALTER TABLE cases DROP COLUMN wound_id")
        op.execute("ALTER TABLE cases DROP COLUMN patient_id")
    op.drop_index("ix_wounds_patient_id", table_name="wounds")
    op.drop_table("wounds")
    op.drop_table("patients")
