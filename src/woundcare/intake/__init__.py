"""Free-text intake: deterministic rules first, an optional language model second.

Prompt files live in ``woundcare/intake/prompts/*.md`` (package data).
"""

from woundcare.intake.freetext import parse_free_text
from woundcare.intake.models import (
    Ambiguity,
    ConsentDecision,
    ParsedConsent,
    ParsedField,
    ParsedIntake,
)

__all__ = [
    "Ambiguity",
    "ConsentDecision",
    "ParsedConsent",
    "ParsedField",
    "ParsedIntake",
    "parse_free_text",
]
