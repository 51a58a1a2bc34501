"""Who a unit of work acts for: the request identity that scopes every query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

Role = Literal["clinician", "org_admin"]


@dataclass(frozen=True, slots=True)
class Identity:
    """An authenticated clinician acting inside their organisation."""

    organisation_id: UUID
    clinician_id: UUID
    role: Role = "clinician"

    def __post_init__(self) -> None:
        if self.role not in ("clinician", "org_admin"):
            raise ValueError(f"unknown role {self.role!r}")

    @property
    def is_org_admin(self) -> bool:
        return self.role == "org_admin"
