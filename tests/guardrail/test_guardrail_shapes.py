"""Round 16 shapes (:mod:`woundcare.guardrail.shapes`): each catches wording no list names,
and each leaves its administrative, logistic or reported neighbours alone. The sentences
here are not corpus lines."""

from __future__ import annotations

import re

import pytest

from woundcare.guardrail import check_sentence
from woundcare.guardrail.analysis import SentenceView, normalise
from woundcare.guardrail.lexicon import MORPHOLOGICAL_CONDITIONS, words
from woundcare.guardrail.rules import RULES
from woundcare.guardrail.shapes import SHAPES

ADVICE = [
    # rare diagnostic terms known by their form, causes, depth
    "The dark thick skin on the sole is hyperkeratosis.",
    "This appearance is due to lymphorrhoea.",
    "The swelling is caused by fluid building up in the tissues.",
    "The wound breakdown was caused by the tight cast.",
    "The maceration stems from the pad being left on too long.",
    "My feeling is that the ulcer is mostly venous.",
    "The wound has tunnelled down to the bone.",
    # passive plans with any verb
    "The drain must stay in for another day.",
    "The sutures are due to be removed on Friday.",
    "The catheter needs to remain in place overnight.",
    "The staples will have to come out next week.",
    "The film is meant to be changed weekly.",
    # prognosis
    "She is weeks away from being healed.",
    "The wound should start closing once the swelling is down.",
    "Recurrence is rare once the vein is treated.",
    # triage
    "Bring her back on Thursday instead of next week.",
    "It's fine to leave him at home over the weekend.",
    "This needs a doctor's review today.",
    # hedged, permission, questions
    "Perhaps photograph it again tomorrow to check whether the swelling has gone down.",
    "It's ok to shower with the dressing on.",
    "Why is she still on the iodine?",
    # broken English and open verbs
    "stitches out day 12",
    "pls put cream 2x day",
    "Smooth a thin film of the gel over the red skin.",
    # labels, explanations, preferences, informing by a time
    "Advice: keep the foot up on a stool in the evenings.",
    "That's just what you get when the bandage slips down.",
    "The grey colour tells me there is dead tissue underneath.",
    "We're looking at six weeks at the very least.",
    "The GP should be told before the weekend.",
    "Foam is not the right dressing for a wound this wet.",
    "Try not to bump the shin.",
    # habits, sizes, where it is managed, contracted plans
    "Ulcers like this normally take a couple of months.",
    "By the next visit it should be half the size.",
    "This could be treated by the district nurse at home.",
    "She's not to bathe until the graft has taken.",
    "A raised ridge like that often means the edges are stalling.",
    "There's a real risk it will break down again.",
    "no tight sock, no tight shoe",
]

NEUTRAL = [
    "Hyperkeratosis was recorded by the podiatrist.",
    "Was the swelling caused by a fall?",
    "The sutures were removed on Friday.",
    "The new stockings are due to be delivered on Monday.",
    "The district nurse is due to visit on Tuesday.",
    "The patient is due to come in on Monday.",
    "Collect the dressings from the pharmacy on Tuesday.",
    "Charge the tablet before the visit.",
    "Escalate the login problem to IT support.",
    "It is safe to close the app now.",
    "I believe the GP letter is attached.",
    "The next step is the wound photo.",
    "Her notes indicate a penicillin allergy.",
    "The resident's son says she was seen in clinic last week.",
    "Her neighbour had recommended a honey dressing, which she used for a week.",
    "Drain output 25 ml since this morning.",
    "Blood glucose 9.4 mmol/L at noon.",
    "Please take another photo if the first one is blurry.",
    "Note: the visit has moved to 3 pm.",
    "Reminder: charge the camera before the visit.",
    "She asked whether the cream could go on the broken skin.",
    "The discharge letter recommends a follow-up in clinic.",
    "No slough was seen by the district nurse today.",
    "Mrs Testcase tells us she keeps the leg up at night.",
    # history, software, logistics, findings that start with an adjective-verb
    "Her first ulcer closed in about three months, back in 2019.",
    "The patient was treated for cellulitis in hospital last year.",
    "The app will restart after the update.",
    "The dressing order will be delivered on Thursday.",
    "The patient is booked to come to the clinic on the 9th.",
    "The referral letter needs the consultant's name.",
    "Dry flaky skin over both shins.",
    "Clean pink granulation across the base.",
    # coordinated verbs in a question, requests, findings-only notes
    "Does she walk or cycle?",
    "The patient's husband would like a copy of the care plan.",
    "Periwound intact, no maceration at the edges.",
]


@pytest.mark.parametrize("sentence", ADVICE)
def test_shape_catches_advice(sentence: str) -> None:
    assert check_sentence(sentence), sentence


@pytest.mark.parametrize("sentence", NEUTRAL)
def test_shape_leaves_neutral_alone(sentence: str) -> None:
    assert check_sentence(sentence) == (), [f.rule for f in check_sentence(sentence)]


def test_every_shape_is_a_rule_with_a_unique_id() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert {shape.id for shape in SHAPES} <= set(ids)
    assert "recommendation.passive_plan" in ids
    assert "treatment.open_imperative" in ids


def test_text_message_spellings_are_read_as_words() -> None:
    assert normalise("pls change dressing 2moro b4 lunch") == (
        "please change dressing tomorrow before lunch")
    assert normalise("keep clean n dry k") == "keep clean and dry ok"
    # not inside other tokens, and not for words that are English already
    assert normalise("Take 4 tablets; n/a; Dr. K Testcase") == "take 4 tablets; n/a; dr. k testcase"


@pytest.mark.parametrize("term", ["hyperkeratosis", "lymphorrhoea", "calciphylaxis",
                                  "vasculopathy", "granuloma", "dermatitis"])
def test_diagnostic_words_are_known_by_their_form(term: str) -> None:
    assert re.search(words(MORPHOLOGICAL_CONDITIONS), term)


@pytest.mark.parametrize("word", ["diagnosis", "prognosis", "stoma", "aroma", "hyperlink",
                                  "hypothesis", "academia", "diploma"])
def test_words_of_the_same_form_that_are_not_findings(word: str) -> None:
    assert not re.search(words(MORPHOLOGICAL_CONDITIONS), word)


def test_a_view_remembers_each_patterns_answer() -> None:
    view = SentenceView("Keep the leg up.")
    pattern = re.compile(r"\bleg\b")
    assert view.has(pattern)
    assert view.has(pattern)
    assert view._found == {id(pattern): True}
