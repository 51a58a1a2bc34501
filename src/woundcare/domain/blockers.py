"""Blockers: why a forward event cannot fire yet, and what clears it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Blocker(BaseModel):
    """A machine-readable reason (stable ``code``), a sentence, and where to clear it.

    ``field`` is the dotted record path whose value clears it (the console shows the blocker
    there); ``action`` names an action instead (e.g. ``upload_photo``, ``sign_with_pin``).
    """

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    field: str | None = None
    action: str | None = None
