"""The guardrail's vocabulary: advice categories, findings, verdicts and the error."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

NEUTRAL_POINTER = "This is a clinical question for the care team; the system records facts only."
"""What replaces every sentence that would give clinical advice."""


class AdviceCategory(StrEnum):
    """The kinds of clinical advice the system must never give (stable string values)."""

    RECOMMENDATION = "recommendation"
    TREATMENT = "treatment"
    MEDICATION = "medication"
    DOSING = "dosing"
    DIAGNOSIS = "diagnosis"
    PROGNOSIS = "prognosis"
    ALARM = "alarm"
    TRIAGE = "triage"
    UNJUDGEABLE = "unjudgeable"  # text the rules cannot read (another language): blocked


class Finding(BaseModel):
    """One rule that fired on one sentence.

    ``sentence`` is kept out of ``repr``/``str`` so that logging a finding (or a verdict) by
    accident never writes patient-derived text; log ``category`` and ``rule`` only.
    """

    model_config = ConfigDict(frozen=True)

    category: AdviceCategory
    sentence: str = Field(repr=False)
    rule: str


class GuardrailVerdict(BaseModel):
    """The outcome for one text: ``text`` is the original if allowed, else neutralised."""

    model_config = ConfigDict(frozen=True)

    allowed: bool
    text: str = Field(repr=False)
    findings: tuple[Finding, ...] = ()

    @property
    def categories(self) -> tuple[AdviceCategory, ...]:
        """The distinct categories found, in order of first appearance."""
        return tuple(dict.fromkeys(f.category for f in self.findings))


class ClinicalAdviceError(ValueError):
    """Raised by :func:`assert_neutral`; carries categories and rule ids, never the text."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.categories: tuple[AdviceCategory, ...] = tuple(
            dict.fromkeys(f.category for f in findings)
        )
        self.rules: tuple[str, ...] = tuple(dict.fromkeys(f.rule for f in findings))
        names = ", ".join(c.value for c in self.categories)
        super().__init__(f"text contains clinical advice ({names})")
