"""The message catalogue: every sentence the system itself shows a person.

No code path builds a sentence for a person from free text: it renders a catalogued template
(:func:`say`) whose slots take typed values (counts, catalogued field labels, codes). A
language model never writes shown text; it may only return structured values and the ids of
catalogued remarks (:func:`say` with a ``notice.intake.*`` id). The no-advice guardrail
(:mod:`woundcare.guardrail`) stays as the second net for anything else.
"""

from woundcare.messages.catalogue import Catalogue, MessageError, SlotKind, Template
from woundcare.messages.templates import (
    FIELD_LABELS,
    PATIENT_LABELS,
    TEMPLATES,
    TIME_LABELS,
    VITAL_LABELS,
    field_label,
)

CATALOGUE = Catalogue(TEMPLATES, FIELD_LABELS)


def say(template_id: str, /, **values: object) -> str:
    """Render a catalogued template; raises :class:`MessageError` on an unknown id or a slot
    value that does not fit its kind."""
    return CATALOGUE.say(template_id, **values)


def identify(text: str) -> str | None:
    """The id of the template that renders ``text``, or ``None`` if none does."""
    return CATALOGUE.identify(text)


__all__ = [
    "CATALOGUE",
    "FIELD_LABELS",
    "PATIENT_LABELS",
    "TEMPLATES",
    "TIME_LABELS",
    "VITAL_LABELS",
    "Catalogue",
    "MessageError",
    "SlotKind",
    "Template",
    "field_label",
    "identify",
    "say",
]
