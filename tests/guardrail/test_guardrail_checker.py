"""check_text / neutralise / assert_neutral on whole texts, and the public surface."""

from __future__ import annotations

import pytest

import woundcare.guardrail as guardrail
from woundcare.guardrail import (
    NEUTRAL_POINTER,
    AdviceCategory,
    ClinicalAdviceError,
    Finding,
    GuardrailVerdict,
    assert_neutral,
    check_sentence,
    check_text,
    neutralise,
)
from woundcare.guardrail.rules import RULES, rule_ids

P = NEUTRAL_POINTER


def test_public_api_is_exported() -> None:
    for name in (
        "NEUTRAL_POINTER",
        "AdviceCategory",
        "ClinicalAdviceError",
        "Finding",
        "GuardrailVerdict",
        "assert_neutral",
        "check_text",
        "neutralise",
        "split_sentences",
    ):
        assert name in guardrail.__all__
        assert hasattr(guardrail, name)
    assert issubclass(ClinicalAdviceError, ValueError)
    assert {c.value for c in AdviceCategory} == {
        "recommendation",
        "treatment",
        "medication",
        "dosing",
        "diagnosis",
        "prognosis",
        "alarm",
        "triage",
        "unjudgeable",
    }


def test_the_pointer_passes_its_own_check() -> None:
    verdict = check_text(NEUTRAL_POINTER)
    assert verdict.allowed
    assert verdict.text == NEUTRAL_POINTER
    assert assert_neutral(NEUTRAL_POINTER) == NEUTRAL_POINTER


def test_rules_have_unique_ids_and_descriptions() -> None:
    ids = rule_ids()
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.id.split(".")[0] in {c.value for c in AdviceCategory}
        assert rule.description


def test_mixed_text_keeps_neutral_sentences_and_replaces_advice() -> None:
    text = (
        "Exudate level recorded: moderate. Apply a silver dressing. "
        "Is there any odour from the wound?"
    )
    verdict = check_text(text)
    assert not verdict.allowed
    assert verdict.text == (
        f"Exudate level recorded: moderate. {P} Is there any odour from the wound?"
    )
    assert verdict.categories == (AdviceCategory.TREATMENT,)
    assert verdict.findings[0].sentence == "Apply a silver dressing."


def test_consecutive_advice_collapses_into_one_pointer() -> None:
    text = (
        "Please confirm the patient's date of birth. This looks like cellulitis. "
        "You should start antibiotics.\nSeek emergency care immediately. "
        "Heart rate: enter a value or mark it unknown."
    )
    verdict = check_text(text)
    assert verdict.text == (
        f"Please confirm the patient's date of birth. {P} "
        "Heart rate: enter a value or mark it unknown."
    )
    assert verdict.text.count(P) == 1
    assert {
        AdviceCategory.DIAGNOSIS,
        AdviceCategory.RECOMMENDATION,
        AdviceCategory.MEDICATION,
        AdviceCategory.ALARM,
    } <= set(verdict.categories)


def test_separated_advice_gets_one_pointer_each() -> None:
    text = "Apply honey. Is the wound on the left leg? The wound will heal soon."
    assert neutralise(text) == f"{P} Is the wound on the left leg? {P}"


def test_whitespace_and_line_breaks_around_neutral_sentences_are_kept() -> None:
    text = "  Odour recorded: present.\n\n- Elevate the leg\n\tPain score recorded: 4.  "
    assert neutralise(text) == f"  Odour recorded: present.\n\n{P}\n\tPain score recorded: 4.  "


def test_advice_only_text_becomes_the_pointer() -> None:
    assert neutralise("Apply a foam dressing. Then increase the dose.") == P
    assert neutralise("Apply a foam dressing.") == P


def test_empty_and_blank_text_is_allowed_unchanged() -> None:
    for text in ("", "   ", "\n\t"):
        verdict = check_text(text)
        assert verdict.allowed
        assert verdict.text == text


def test_neutral_text_is_returned_as_is() -> None:
    text = (
        "What dressing is currently on the wound?\n"
        "Which medications is the patient currently taking?  "
        "Please retake the photo with the whole wound in the frame."
    )
    verdict = check_text(text)
    assert verdict == GuardrailVerdict(allowed=True, text=text, findings=())
    assert neutralise(text) == text
    assert assert_neutral(text) == text


def test_neutralise_equals_check_text_text() -> None:
    for text in ("Apply honey. Confirm the date.", "Confirm the date.", "Call 911!"):
        assert neutralise(text) == check_text(text).text


def test_case_and_punctuation_do_not_hide_advice() -> None:
    for text in (
        "APPLY A SILVER DRESSING!!!",
        "apply a silver dressing",
        "**Apply** a _silver_ dressing...",
        "\u201cApply a silver dressing,\u201d",
        "Apply\u200b a silver\u00a0dressing.",
        "- apply a silver dressing",
        "Apply \u2014 a silver dressing.",
    ):
        assert not check_text(text).allowed, text


def test_questions_about_the_current_state_pass_but_smuggled_advice_does_not() -> None:
    for text in (
        "Is the patient currently taking any antibiotics?",
        "Has the patient been diagnosed with diabetes?",
        "What compression, if any, is the patient wearing?",
        "Was the dressing saturated when removed?",
    ):
        assert check_text(text).allowed, text
    for text in (
        "Have you considered applying a silver dressing?",
        "Should the patient start antibiotics?",
        "Could this be osteomyelitis?",
        "Why not try larval therapy?",
        "Would compression help the swelling?",
        "Can you apply a new dressing after the photo?",
    ):
        assert not check_text(text).allowed, text


def test_assert_neutral_raises_with_categories_but_not_the_text() -> None:
    text = "The patient likely has osteomyelitis. Take 500 mg of amoxicillin."
    with pytest.raises(ClinicalAdviceError) as caught:
        assert_neutral(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert AdviceCategory.DIAGNOSIS in error.categories
    assert AdviceCategory.DOSING in error.categories
    assert error.rules
    assert "osteomyelitis" not in str(error)
    assert "amoxicillin" not in str(error)
    assert "diagnosis" in str(error)


def test_findings_and_verdicts_do_not_leak_the_sentence_in_repr() -> None:
    verdict = check_text("The patient likely has osteomyelitis.")
    finding = verdict.findings[0]
    assert "osteomyelitis" not in repr(finding)
    assert "osteomyelitis" not in str(finding)
    assert "osteomyelitis" not in repr(verdict)
    assert finding.sentence == "The patient likely has osteomyelitis."


def test_models_are_frozen() -> None:
    finding = Finding(category=AdviceCategory.ALARM, sentence="x", rule="alarm.words")
    with pytest.raises(ValueError):
        finding.rule = "other"  # type: ignore[misc]
    verdict = GuardrailVerdict(allowed=True, text="x", findings=())
    with pytest.raises(ValueError):
        verdict.allowed = False  # type: ignore[misc]


def test_check_sentence_reports_each_rule_once() -> None:
    findings = check_sentence("You should take 500 mg of amoxicillin twice daily.")
    rules = [f.rule for f in findings]
    assert len(rules) == len(set(rules))
    assert {f.category for f in findings} >= {AdviceCategory.DOSING, AdviceCategory.MEDICATION}
    assert check_sentence("Exudate level recorded: moderate.") == ()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Apply a silver dressing", AdviceCategory.TREATMENT),
        ("You should take 500 mg of amoxicillin twice daily", AdviceCategory.DOSING),
        ("This wound is infected", AdviceCategory.DIAGNOSIS),
        ("This looks like cellulitis", AdviceCategory.DIAGNOSIS),
        ("Seek emergency care immediately", AdviceCategory.ALARM),
        ("The patient likely has osteomyelitis", AdviceCategory.DIAGNOSIS),
        ("Consider debridement", AdviceCategory.RECOMMENDATION),
        ("Increase the dose", AdviceCategory.DOSING),
        ("Blood pressure is dangerously high", AdviceCategory.ALARM),
        ("I recommend compression therapy", AdviceCategory.RECOMMENDATION),
        ("It is advisable to elevate the leg", AdviceCategory.RECOMMENDATION),
        ("Try using honey on the wound", AdviceCategory.TREATMENT),
        ("Start flucloxacillin today", AdviceCategory.MEDICATION),
        ("The wound won't heal", AdviceCategory.PROGNOSIS),
    ],
)
def test_spec_examples(text: str, category: AdviceCategory) -> None:
    verdict = check_text(text)
    assert not verdict.allowed
    assert category in verdict.categories
    assert verdict.text == P


@pytest.mark.parametrize(
    "text",
    [
        "Please retake the photo.",
        "Please confirm the date of birth.",
        "Please enter the heart rate.",
        "Please mark unknown if it was not measured.",
        "Please choose one of the listed options.",
        "The dressing currently in place is a foam.",
        "Medications currently taken: apixaban 5 mg twice daily.",
        "Systolic pressure must be higher than diastolic pressure.",
        "You must enter a value or mark it unknown.",
        "The photo was taken immediately after the dressing was removed.",
        "Did the patient attend the emergency department this week?",
        "Swab result: pending.",
        "Change in wound area since the last visit: not recorded.",
        "Keep the camera steady and retake the photo.",
        "Some fields need attention.",
    ],
)
def test_neutral_words_do_not_trigger(text: str) -> None:
    assert check_text(text).allowed, [f.rule for f in check_text(text).findings]
