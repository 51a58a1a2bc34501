"""Free-text intake: deterministic rules first, an optional language model second.

Prompt files live in ``woundcare/intake/prompts/*.md`` (package data). The names below are
loaded when first used: importing one submodule (the parser's output models, say) does not
compile the parser's rules, which a server start does not need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from woundcare.intake.freetext import parse_free_text
    from woundcare.intake.models import (
        Ambiguity,
        ConsentDecision,
        ParsedConsent,
        ParsedField,
        ParsedIntake,
    )

_WHERE = {"Ambiguity": "models", "ConsentDecision": "models", "ParsedConsent": "models",
          "ParsedField": "models", "ParsedIntake": "models", "parse_free_text": "freetext"}

__all__ = [
    "Ambiguity",
    "ConsentDecision",
    "ParsedConsent",
    "ParsedField",
    "ParsedIntake",
    "parse_free_text",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"woundcare.intake.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
