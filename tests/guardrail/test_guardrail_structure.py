"""Each structural rule fires on its own example and stays quiet on a close neutral one."""

from __future__ import annotations

import pytest

from woundcare.guardrail import check_sentence
from woundcare.guardrail.rules import STRUCTURAL_RULES

CASES = [
    ("diagnosis.classification", "This is a venous ulcer.", "This is the left heel."),
    ("diagnosis.means", "Red and hot = infection.", "Red and hot: yes, recorded."),
    ("prognosis.forecast", "Expect complete healing within six to eight weeks.",
     "Expect the upload to take a few seconds."),
    ("prognosis.outcome_verb", "Should settle down in a day or two.",
     "Expect the upload to take a few seconds."),
    ("prognosis.judgement", "That amount of exudate is normal.",
     "That value is normal for this field."),
    ("prognosis.future", "It'll take six weeks at least.",
     "The record will be exported once it is signed."),
    ("prognosis.future_state", "It'll be smaller next time you measure it.",
     "The photo will be clearer in daylight."),
    ("prognosis.reassurance_phrase", "It'll be alright.", "It'll be saved automatically."),
    ("prognosis.normalising", "That's expected after debridement.",
     "That date is expected in the format YYYY-MM-DD."),
    ("prognosis.odds", "There is a high chance it comes back.",
     "What are the patient's odds of attending?"),
    ("triage.timeframe", "This needs to be seen today.", "The wound was seen today."),
    ("recommendation.obligation", "It is important that the dressing stays dry.",
     "It is important that the date is correct."),
    ("recommendation.negated", "There's no need for antibiotics here.",
     "There's no need to re-enter the date."),
    ("recommendation.hedged", "One option is to try negative pressure therapy for a few weeks.",
     "One option is missing from the list."),
    ("recommendation.question", "What about a referral to the vascular team?",
     "What is the patient's date of birth?"),
    ("recommendation.referral_to", "Send him to the diabetic foot clinic.",
     "Send the form to the office."),
    ("recommendation.broken_english", "antibiotic need for this wound",
     "Export needs consent to data storage."),
    ("treatment.addressed_imperative", "Remove the dead tissue carefully with sterile scissors.",
     "Remove the old photo and upload a new one."),
    ("treatment.terse", "Dressing daily.", "Dressing: foam."),
    ("recommendation.negated_bare", "No need to change it so often.",
     "No need to re-enter the date."),
    ("recommendation.broken_routine", "foot keep dry always",
     "Foot pulses present, recorded daily."),
    ("treatment.monitoring", "Measure her temperature twice a day.",
     "Measure the wound length and enter it in cm."),
]


def test_every_structural_rule_has_a_case() -> None:
    covered = {rule_id for rule_id, _, _ in CASES}
    ids = {r.id for r in STRUCTURAL_RULES}
    missing = ids - covered - {"recommendation.broken_negative"}
    assert not missing, missing


@pytest.mark.parametrize(("rule_id", "advice", "neutral"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_on_advice_and_not_on_the_neutral_twin(
    rule_id: str, advice: str, neutral: str
) -> None:
    assert rule_id in {f.rule for f in check_sentence(advice)}
    assert check_sentence(neutral) == ()


GENERAL_CASES = [
    ("diagnosis.fits", "Pyoderma gangrenosum would fit this picture.",
     "The new photo would fit the screen better."),
    ("diagnosis.attribution", "Most likely from lying on that side all night.",
     "Most likely from the photo upload, see the form."),
    ("diagnosis.frame", "What you have there is a fungal infection.",
     "What you have there is the scale sticker."),
    ("recommendation.needn't", "He needn't stay off his feet.",
     "You needn't enter the date again."),
    ("treatment.leave", "Leave the steristrips alone until they fall off.",
     "Leave the form open until the photo uploads."),
    ("recommendation.broken_object_verb", "cream put on skin after wash",
     "Cream applied by the district nurse on Monday."),
    ("recommendation.broken_better", "better she sleep on side not back",
     "Better photo taken in daylight."),
    ("recommendation.question_about", "How about more frequent changes?",
     "How about the date of birth, is it correct?"),
    ("recommendation.hedge_open", "If it were my leg I'd keep it bandaged.",
     "If it were my form I'd enter the date first."),
    ("dosing.course", "A 7-day course should be enough.",
     "The patient finished a 7-day course last month."),
    ("recommendation.no_ing_until", "No bathing for the next week.",
     "No bleeding since Tuesday."),
    ("prognosis.phrase", "I think she's past the worst of it now.",
     "She is past the front desk now."),
    ("recommendation.got_to", "The bandages have got to come off at night.",
     "The photos have got to be uploaded before signing."),
    ("recommendation.hedge_idiom", "A bit of elevation wouldn't go amiss.",
     "The form could do with a second signature field."),
    ("recommendation.nothing_to_do", "Nothing to be done until the swab is back.",
     "The patient reports nothing to be done at home."),
    ("recommendation.we_question", "Could we up the frequency of dressing changes?",
     "Could we confirm the spelling of the surname?"),
    ("recommendation.broken_not", "water not on wound please",
     "Water intake recorded as 1.5 litres."),
    ("treatment.make_sure_person", "Make sure she turns every two hours.",
     "Make sure the patient is comfortable for the photo."),
    ("recommendation.important_that", "It's vital the patient keeps the area clean and dry.",
     "It's vital the date of birth matches the letter."),
]


def test_every_general_rule_has_a_case() -> None:
    from woundcare.guardrail.rules import GENERAL_RULES

    assert {r.id for r in GENERAL_RULES} == {rule_id for rule_id, _, _ in GENERAL_CASES}


@pytest.mark.parametrize(("rule_id", "advice", "neutral"), GENERAL_CASES,
                         ids=[c[0] for c in GENERAL_CASES])
def test_general_rule_fires_on_advice_and_not_on_the_neutral_twin(
    rule_id: str, advice: str, neutral: str
) -> None:
    assert rule_id in {f.rule for f in check_sentence(advice, use_classifier=False)}
    assert check_sentence(neutral) == ()


@pytest.mark.parametrize(("advice", "neutral"), [
    ("Keep it clean and dry.", "Keep a copy of the form."),
    ("Avoid hot baths.", "Leave the room while the photo is taken."),
    ("Rest as much as possible.", "Rest of the visit was uneventful."),
])
def test_body_care_instructions_without_a_clinical_word(advice: str, neutral: str) -> None:
    """An action verb asking for a state of the body or dressing, or for something to stay
    away from, is an instruction even when no clinical word is in the sentence."""
    rules = {f.rule for f in check_sentence(advice, use_classifier=False)}
    assert "treatment.addressed_imperative" in rules
    assert check_sentence(neutral) == ()


@pytest.mark.parametrize(("advice", "neutral"), [
    ("Wash the wound, dry it and apply the dressing.",
     "Periwound skin red and warm to touch, 2 cm margin."),
    ("That amount of discharge is perfectly normal.", "Discharge letter attached to this case."),
    ("The smell should go once the infection clears.", "No odour noted today."),
])
def test_adjectives_after_a_finding_and_what_a_wound_gives_off(advice: str, neutral: str) -> None:
    """A verb-like adjective after the first clause describes a finding unless an object
    follows; discharge, odour and the like are clinical words."""
    assert check_sentence(advice, use_classifier=False)
    assert check_sentence(neutral) == ()
