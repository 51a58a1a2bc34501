"""The offline language check: English passes, other languages and scripts fail closed."""

from __future__ import annotations

import pytest

from woundcare.guardrail import AdviceCategory, check_text
from woundcare.guardrail.language import LanguageVerdict, detect, is_configured_language


@pytest.mark.parametrize(
    "text",
    [
        "Is there any odour from the wound?",
        "Swab result: pending.",
        "Heart rate: enter a value or mark it unknown.",
        "Granulation: 70%; slough: 30%.",
        "The patient reports itching around the wound.",
        "Exported to team_board; the record is locked.",
        "Testcase Sampleton is 79 years old.",
        "The black tissue suggests ischaemia.",
        "Allergies: none known.",
        "Id say thats a venus ulcer tbh.",
    ],
)
def test_english_is_the_configured_language(text: str) -> None:
    assert detect(text) is LanguageVerdict.CONFIGURED
    assert is_configured_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "Veuillez confirmer la date de naissance.",
        "Le pansement doit être changé.",
        "Bitte wechseln Sie den Verband täglich.",
        "Die Wunde ist entzündet.",
        "La herida está infectada.",
        "Por favor confirme la fecha.",
        "La ferita è infetta.",
        "A ferida está infetada.",
        "A foto foi tirada ontem.",
        "Il paziente vive da solo.",
        "Het verband moet elke dag worden verwisseld.",
        "Пожалуйста, подтвердите дату рождения.",
        "傷口が感染しています。",
        "Η πληγή έχει μολυνθεί.",
    ],
)
def test_other_languages_fail_closed(text: str) -> None:
    assert detect(text) in (LanguageVerdict.OTHER, LanguageVerdict.UNKNOWN)
    verdict = check_text(text)
    assert not verdict.allowed
    assert verdict.categories == (AdviceCategory.UNJUDGEABLE,)


def test_text_without_words_has_nothing_to_judge() -> None:
    assert detect("12/04/2026 10:30") is LanguageVerdict.EMPTY
    assert check_text("— 42 —").allowed


def test_only_english_is_supported() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        detect("Hello there.", language="fr")


def test_a_mixed_text_keeps_english_and_blocks_the_rest() -> None:
    text = "Which foot is affected? Die Wunde ist entzündet."
    verdict = check_text(text)
    assert verdict.text.startswith("Which foot is affected? ")
    assert "Wunde" not in verdict.text


def test_an_overlong_sentence_is_not_judged_and_checking_stays_fast() -> None:
    import time

    text = " ".join(["it will be"] * 500)  # one "sentence" of 5,499 characters
    start = time.perf_counter()
    verdict = check_text(text)
    assert time.perf_counter() - start < 2.0
    assert [f.rule for f in verdict.findings] == ["unjudgeable.length"]
    start = time.perf_counter()
    assert check_text(" ".join(["the wound will"] * 70)).findings is not None
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("line", [
    "Exudate level: low; colour: clear.", "Temp 37.2, HR 88, BP 132/78.",
    "Odour: none.", "Mobility: walks with frame.", "Smoker, 10/day."])
def test_terse_english_record_lines_are_english(line: str) -> None:
    """No function word at all: the English pronouncing dictionary shipped with the speech
    recogniser's package tells English words from foreign ones."""
    assert detect(line) is LanguageVerdict.CONFIGURED
    assert check_text(line).allowed


@pytest.mark.parametrize("line", [
    "Herida limpia, apósito seco.", "Plaie propre.", "Wunde sauber, Verband trocken.",
    "Ferita pulita.", "Curativo trocado ontem.", "Wond schoon."])
def test_terse_foreign_lines_stay_blocked(line: str) -> None:
    assert detect(line) is not LanguageVerdict.CONFIGURED
    assert not check_text(line).allowed
