"""Round 17: clinical-note shorthand, handovers and family texts. Note shorthand is read as
words, note-style advice is caught, and note-style findings, passive records, supply
logistics and a retaken photo pass. The sentences here are not corpus lines."""

from __future__ import annotations

import pytest

from woundcare.guardrail import check_sentence
from woundcare.guardrail.analysis import normalise

ADVICE = [
    "Impression: arterial ulcer.",
    "Working dx pyoderma, for derm r/v.",
    "Plan: 4LB weekly.",
    "Plan - silver for 2/52.",
    "R/v in 3/7.",
    "Cont 2LB.",
    "Pressure area care 2hrly.",
    "Leg elevation when seated.",
    "Staff to turn her every 3 hours.",
    "Please can the night staff reposition Mr Testcase every two hours.",
    "Carers not to use talc on the skin folds.",
    "ABPI 0.6 so no full compression.",
    "Reduced compression only.",
    "Sutures out D10.",
    "Dressing to be changed alt days by carers.",
    "if it bleeds again press on it hard",
    "Fill the gap with the foam strip.",
    "Stick a clean hanky over it for now.",
    "shud put sum cream on it every nite",
    "dont put the stockin on till the nurse has seen it",
    "Top up the gel when it dries out.",
    "NWB until reviewed by podiatry.",
    "That's a bedsore that is",
    "Encourage mobilisation.",
    "Antibiotics started, review in 5 days.",
    "Dressing changed twice weekly.",
]

NEUTRAL = [
    "WB granulating, edges advancing.",
    "Skin tear R forearm, flap viable.",
    "Leg oedema pitting to knee.",
    "Skin tear healed.",
    "Swab sent 14/12.",
    "Seen by TVN 21/11, plan documented.",
    "She was advised by the practice nurse to wear the stockings in the day.",
    "Order placed for 20 foam dressings.",
    "Please pick up the dressings from the chemist.",
    "Put the used dressings in the bag by the back door.",
    "That picture is out of focus, take another one so we can see the edges.",
    "Can u send me a pic of the heel pls?",
    "Handover: Mrs Testcase in room 4, dressing done 09:00.",
    "Log in to continue.",
    "Air mattress delivered and set up.",
    "Callus reduced with scalpel, no bleeding.",
    "No new pressure damage on skin inspection.",
    "Do I need to bring anything to the appointment?",
    "Waterlow 18.",
    "Dressing supply chart updated.",
    "Next review 1/52 booked.",
    "r/v booked with TVN.",
    "Plan discussed with GP, no changes.",
    "Podiatry told him not to walk barefoot.",
    "Her son was told by the GP to use the cream twice a day.",
    "Why did they stop the compression?",
]


@pytest.mark.parametrize("sentence", ADVICE)
def test_note_style_advice_is_caught(sentence: str) -> None:
    assert check_sentence(sentence), sentence


@pytest.mark.parametrize("sentence", NEUTRAL)
def test_note_style_neutral_passes(sentence: str) -> None:
    assert not check_sentence(sentence), [f.rule for f in check_sentence(sentence)]


def test_note_shorthand_is_read_as_words() -> None:
    assert normalise("r/v 1/52") == "review 1 weeks"
    assert normalise("Change 3/7.") == "change 3 days."
    assert normalise("Dx: ?cellulitis") == "diagnosis: possible cellulitis"
    assert normalise("Cont. foam, 2hrly turns") == "continue foam, every 2 hours turns"
    assert normalise("shud i change the dresing") == "should i change the dressing"
    assert normalise("Seen 28/11 and 14/12.") == "seen 28/11 and 14/12."


def test_a_finding_sentence_with_advice_after_a_passive_record_is_still_judged() -> None:
    assert check_sentence("Seen by the GP today, the wound should heal in a fortnight.")
    assert check_sentence("Put her in the car and take her to the surgery.")
    assert check_sentence("Seen by the GP, needs antibiotics.")
    assert check_sentence("Reviewed by TVN: continue silver 2/52.")
    assert check_sentence("Put the leg up on the pouffe by the door.")
    assert check_sentence("Keep the boot on in the car.")
