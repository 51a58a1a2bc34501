"""Intake parsers: deterministic by default, model-assisted when a model is configured.

The assisted parser's guarantees: the rules' result is the base and is never overwritten; a
model value fills only a field the rules left empty *and* undecided (no ambiguity), and only
if it is found in the text (it then carries that span and ``source="model"``); consent never
comes from the model; the model writes no shown text (its remarks are ids of catalogued
sentences); every question or note still passes the guardrail's ``check_text`` or is
dropped. On any model failure the deterministic result stands, and only the error's class is
logged (no text, no values).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol

from pydantic import ValidationError

from woundcare.guardrail import check_text
from woundcare.intake.dates import DateLocale
from woundcare.intake.freetext import parse_free_text
from woundcare.intake.grounding import MODEL_KEYS, ModelExtraction, ground
from woundcare.intake.llm import IntakeModel, OpenAICompatibleClient
from woundcare.intake.models import ParsedField, ParsedIntake
from woundcare.logging import get_logger
from woundcare.messages import say

if TYPE_CHECKING:
    from woundcare.config import Settings

log = get_logger(__name__)

FALLBACK_QUESTION = say("question.confirm_detail")
MODEL_FILLED_NOTE = say("notice.intake.model_filled")
MODEL_REJECTED_NOTE = say("notice.intake.model_rejected")


class IntakeParser(Protocol):
    def __call__(self, text: str, *, today: date | None = None) -> ParsedIntake: ...


def _locale(value: str | None) -> DateLocale | None:
    if not value:
        return None
    if value == "dmy":
        return "dmy"
    if value == "mdy":
        return "mdy"
    raise ValueError("date_locale must be 'dmy', 'mdy' or empty")


class DeterministicIntakeParser:
    """Offline rules only (:func:`parse_free_text`)."""

    def __init__(
        self, *, date_locale: DateLocale | None = None, clock: Callable[[], date] = date.today
    ) -> None:
        self._locale = date_locale
        self._clock = clock

    def __call__(self, text: str, *, today: date | None = None) -> ParsedIntake:
        return parse_free_text(text, date_locale=self._locale, today=today or self._clock())


def _allowed(text: str) -> str | None:
    """The text to show if the guardrail allows it, else ``None`` (fails closed)."""
    try:
        verdict = check_text(text)
    except Exception as exc:
        log.warning("intake_guardrail_failed", error=type(exc).__name__)
        return None
    return verdict.text if verdict.allowed else None


def screen(result: ParsedIntake, extra_notes: list[str] | None = None) -> ParsedIntake:
    """Pass every question and note through the guardrail; drop what it does not allow."""
    notes = [n for note in (*result.notes, *(extra_notes or [])) if (n := _allowed(note))]
    ambiguities = [
        a.model_copy(update={"question": _allowed(a.question) or FALLBACK_QUESTION})
        for a in result.ambiguities
    ]
    return result.model_copy(
        update={"notes": tuple(dict.fromkeys(notes)), "ambiguities": tuple(ambiguities)}
    )


class AssistedIntakeParser:
    """Rules first, then a language model for the gaps (see the module docstring)."""

    def __init__(
        self,
        model: IntakeModel,
        *,
        date_locale: DateLocale | None = None,
        clock: Callable[[], date] = date.today,
    ) -> None:
        self._model = model
        self._locale = date_locale
        self._clock = clock

    def __call__(self, text: str, *, today: date | None = None) -> ParsedIntake:
        day = today or self._clock()
        base = parse_free_text(text, date_locale=self._locale, today=day)
        try:
            extraction = ModelExtraction.model_validate(self._model.extract(text))
        except ValidationError as exc:
            log.warning(
                "intake_model_rejected", error=type(exc).__name__, problems=exc.error_count()
            )
            return screen(base)
        except Exception as exc:
            log.warning("intake_model_failed", error=type(exc).__name__)
            return screen(base)
        return screen(*self._merge(base, extraction, text, day))

    def _merge(
        self, base: ParsedIntake, extraction: ModelExtraction, text: str, today: date
    ) -> tuple[ParsedIntake, list[str]]:
        decided = {f.path for f in base.fields} | {a.path for a in base.ambiguities}
        added: list[ParsedField] = []
        rejected = 0
        for key, path in MODEL_KEYS.items():
            value = getattr(extraction, key)
            if value is None or path in decided:
                continue
            grounded = ground(path, value, text, locale=self._locale, today=today)
            if grounded is None:
                rejected += 1
                continue
            found, span = grounded
            added.append(ParsedField(path=path, value=found, span=span, source="model"))
        notes = ([MODEL_FILLED_NOTE] if added else []) + ([MODEL_REJECTED_NOTE] if rejected else [])
        if rejected:
            log.info("intake_model_values_rejected", count=rejected)
        order = {path: i for i, path in enumerate(MODEL_KEYS.values())}
        fields = sorted((*base.fields, *added), key=lambda f: order.get(f.path, 99))
        merged = base.model_copy(update={"fields": tuple(fields)})
        return merged, [*notes, *_model_notes(extraction, merged)]


def _model_notes(extraction: ModelExtraction, result: ParsedIntake) -> list[str]:
    """The model's remarks: catalogued sentences it picked by id (it never writes text that is
    shown, so a remark can carry neither a value nor consent nor advice)."""
    return [say(f"notice.intake.{note_id}") for note_id in dict.fromkeys(extraction.note_ids)]


def build_intake_parser(
    settings: Settings,
    *,
    model: IntakeModel | None = None,
    clock: Callable[[], date] = date.today,
) -> IntakeParser:
    """Deterministic offline parser unless a model is given or configured
    (``llm_base_url`` and ``llm_model`` both set)."""
    locale = _locale(settings.date_locale)
    if model is None and settings.llm_base_url and settings.llm_model:
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        model = OpenAICompatibleClient(
            settings.llm_base_url, key, settings.llm_model, settings.llm_timeout_seconds
        )
    if model is None:
        return DeterministicIntakeParser(date_locale=locale, clock=clock)
    return AssistedIntakeParser(model, date_locale=locale, clock=clock)


__all__ = [
    "AssistedIntakeParser",
    "DeterministicIntakeParser",
    "IntakeParser",
    "build_intake_parser",
    "screen",
]
