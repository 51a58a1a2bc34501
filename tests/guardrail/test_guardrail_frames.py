"""Frames that make clinical words a report, a record or a question about a fact."""

from __future__ import annotations

import pytest

from woundcare.guardrail import check_text
from woundcare.guardrail.analysis import SentenceView
from woundcare.guardrail.frames import vetoed


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("The patient reports taking four units of insulin at breakfast.", "reported"),
        ("Patient says the GP told her to apply honey.", "reported"),
        ("Wife reports he stopped the antibiotics.", "reported"),
        ("Clinician recorded: venous leg ulcer, infected.", "documented"),
        ("The nurse documented that the leg should be elevated.", "documented"),
        ("Diagnosis entered by Dr Sampleton: cellulitis.", "documented"),
        ("Exudate: heavy, purulent (recorded).", "documented"),
        ("Was the patient advised to elevate the leg at the last visit?", "fact_question"),
        ("Did the GP prescribe antibiotics?", "fact_question"),
        ("Please confirm the recommended follow-up date entered by the clinician.",
         "administrative"),
    ],
)
def test_frames_veto_the_rules(text: str, frame: str) -> None:
    assert vetoed(SentenceView(text)) == frame
    assert check_text(text).allowed


@pytest.mark.parametrize(
    "text",
    [
        "Apply honey and record that you did.",
        "Have you considered a silver dressing?",
        "Has anyone thought about compression?",
        "The patient should take antibiotics.",
        "Record the dressing change, then elevate the leg.",
        "Reports suggest honey works well for slough.",
    ],
)
def test_advice_near_a_frame_is_still_judged(text: str) -> None:
    assert not check_text(text).allowed


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ('In her own words: "the nurse said to keep it dry".', "quoted"),
        ('Patient quote: "I put cream on it twice a day."', "quoted"),
        ("The follow-up date recommended by the clinician has been saved.", "documented"),
        ("Make sure the whole wound and the ruler are in frame.", "photo_instruction"),
        ("Please remove the dressing before photographing the wound.", "photo_instruction"),
        ("Avoid shadows over the wound when taking the photo.", "photo_instruction"),
        ("Please add the GP practice to the contact details.", "form_instruction"),
        ("You can stop at any time.", "session"),
    ],
)
def test_quoted_photo_form_and_session_frames(text: str, frame: str) -> None:
    assert vetoed(SentenceView(text)) == frame
    assert check_text(text).allowed


@pytest.mark.parametrize(
    "text",
    [
        "Clean the wound with saline before taking the photo.",
        "Apply the cream, then take a photo tomorrow.",
        "The photo shows cellulitis.",
        "Apply a fresh dressing after the photo is taken.",
        'Patient quote: "fine", so apply the cream twice a day.',
        "Please add antibiotics to his medication.",
        "You can stop the antibiotics now.",
    ],
)
def test_advice_near_the_new_frames_is_still_judged(text: str) -> None:
    assert not check_text(text).allowed
