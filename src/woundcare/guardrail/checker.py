"""Checking texts: run every rule on every sentence, replace the sentences that advise."""

from __future__ import annotations

from woundcare.guardrail import classifier
from woundcare.guardrail.analysis import SentenceView
from woundcare.guardrail.frames import vetoed
from woundcare.guardrail.language import is_configured_language
from woundcare.guardrail.models import (
    NEUTRAL_POINTER,
    AdviceCategory,
    ClinicalAdviceError,
    Finding,
    GuardrailVerdict,
)
from woundcare.guardrail.rules import RULES
from woundcare.guardrail.sentences import sentence_spans

CLASSIFIER_RULE = "classifier.second_opinion"
MAX_SENTENCE_CHARS = 1000
"""A longer "sentence" (no full stop for 1000 characters) is not judged: it is blocked."""


def check_sentence(sentence: str, language: str = "en", *,
                   use_classifier: bool = True) -> tuple[Finding, ...]:
    """The findings of every rule that fires on one sentence (empty: the sentence is neutral).

    A sentence not in the configured ``language``, or longer than
    :data:`MAX_SENTENCE_CHARS`, cannot be judged and is blocked (fails closed). A sentence
    that reports, documents or asks about a past fact is not advice
    (:func:`.frames.vetoed`), whatever clinical words it carries. When no rule fires, the
    second-opinion classifier (:mod:`.classifier`) may still block the sentence
    (rule id ``classifier.second_opinion``); it never unblocks one and never overrides a frame.
    """
    if len(sentence) > MAX_SENTENCE_CHARS:
        return (Finding(category=AdviceCategory.UNJUDGEABLE, sentence=sentence,
                        rule="unjudgeable.length"),)
    if not is_configured_language(sentence, language):
        return (Finding(category=AdviceCategory.UNJUDGEABLE, sentence=sentence,
                        rule="unjudgeable.language"),)
    view = SentenceView(sentence)
    if vetoed(view):
        return ()
    findings = tuple(
        Finding(category=rule.category, sentence=sentence, rule=rule.id)
        for rule in RULES
        if rule.matches(view)
    )
    if (not findings and use_classifier and classifier.flags(sentence)
            and not classifier.exempt(view)):
        return (Finding(category=AdviceCategory.RECOMMENDATION, sentence=sentence,
                        rule=CLASSIFIER_RULE),)
    return findings


def check_text(text: str, language: str = "en") -> GuardrailVerdict:
    """Check every sentence of ``text``.

    An allowed text comes back byte-identical. Otherwise each offending sentence is replaced
    by :data:`NEUTRAL_POINTER`; a run of offending sentences (with only whitespace between
    them) becomes a single pointer, so one advice paragraph reads as one referral. The
    whitespace and the neutral sentences around them are kept as they were.
    """
    findings: list[Finding] = []
    pieces: list[str] = []
    cursor = 0
    previous_replaced = False
    for start, end in sentence_spans(text):
        sentence_findings = check_sentence(text[start:end], language)
        if not sentence_findings:
            pieces.append(text[cursor:end])
            previous_replaced = False
        elif previous_replaced:
            pass  # collapse: drop the gap and this sentence; one pointer stands for both
        else:
            pieces.append(text[cursor:start] + NEUTRAL_POINTER)
            previous_replaced = True
        findings.extend(sentence_findings)
        cursor = end
    if not findings:
        return GuardrailVerdict(allowed=True, text=text, findings=())
    pieces.append(text[cursor:])
    return GuardrailVerdict(allowed=False, text="".join(pieces), findings=tuple(findings))


def neutralise(text: str) -> str:
    """``text`` with every advising sentence replaced by the neutral pointer."""
    return check_text(text).text


def assert_neutral(text: str) -> str:
    """Return ``text`` unchanged, or raise :class:`ClinicalAdviceError` if it advises.

    The error names the categories and rule ids only, so it may be logged safely.
    """
    verdict = check_text(text)
    if not verdict.allowed:
        raise ClinicalAdviceError(verdict.findings)
    return text
