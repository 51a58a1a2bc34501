"""The no-clinical-advice guardrail.

Every sentence the system shows a person (follow-up questions, agent messages, anything a
language model wrote) goes through :func:`check_text`. Sentences that recommend, treat,
medicate, dose, diagnose, predict or alarm are replaced by :data:`NEUTRAL_POINTER`; neutral
questions and recorded facts pass byte-identical. The rules live in :mod:`.rules` (one
named, documented pattern each) over the sentence analysis in :mod:`.analysis`, the
structural reading in :mod:`.structure` and the table of generalising shapes in
:mod:`.shapes`; :mod:`.frames` recognises reports, records, history and questions about past
facts (not advice); :mod:`.language` fails closed on text that is not in
the configured language. The system's own sentences come from the message catalogue
(:mod:`woundcare.messages`); this checker is the second net. Figures on the labelled corpus:
:mod:`.evaluation`.
"""

from woundcare.guardrail.checker import assert_neutral, check_sentence, check_text, neutralise
from woundcare.guardrail.models import (
    NEUTRAL_POINTER,
    AdviceCategory,
    ClinicalAdviceError,
    Finding,
    GuardrailVerdict,
)
from woundcare.guardrail.sentences import split_sentences

__all__ = [
    "NEUTRAL_POINTER",
    "AdviceCategory",
    "ClinicalAdviceError",
    "Finding",
    "GuardrailVerdict",
    "assert_neutral",
    "check_sentence",
    "check_text",
    "neutralise",
    "split_sentences",
]
