"""The second-opinion classifier: shipped weights, stable features, and it only ever adds a
block (frames, catalogue renderings and the form/photo stay out of its reach)."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from woundcare.guardrail import check_sentence, check_text, classifier
from woundcare.guardrail.analysis import SentenceView
from woundcare.guardrail.checker import CLASSIFIER_RULE


def test_weights_ship_inside_the_package_and_are_small() -> None:
    root = files("woundcare.guardrail").joinpath("model")
    weights = root.joinpath("weights.npy")
    assert weights.is_file()
    with weights.open("rb") as handle:
        assert len(handle.read()) < 200_000
    meta = json.loads(root.joinpath("meta.json").read_text("utf-8"))
    assert meta["dimensions"] == classifier.DIMENSIONS
    assert 0.5 <= meta["threshold"] < 1.0
    assert "heldout" not in meta["sources"]


def test_features_are_stable_across_processes() -> None:
    # CRC-32, not Python's salted hash(): the same sentence always gives the same buckets
    assert classifier.bucket("w:dressing") == 2470025825 & (classifier.DIMENSIONS - 1)
    ids, value = classifier.features("Keep the leg up.")
    assert ids == classifier.features("Keep the leg up.")[0]
    assert all(0 <= i < classifier.DIMENSIONS for i in ids)
    assert value == pytest.approx(len(ids) ** -0.5)
    assert classifier.tokens("Take 2 tablets?") == ["take", "<num>", "tablets", "?"]


def test_probabilities_are_probabilities() -> None:
    for text in ("", "Keep the leg up.", "Please enter the date of birth."):
        assert 0.0 <= classifier.advice_probability(text) <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        # development sentences no rule catches; the model does
        "He has peripheral arterial disease.",
        "no shoes tight, foot swell",
    ],
)
def test_classifier_catches_what_the_rules_miss(text: str) -> None:
    assert check_sentence(text, use_classifier=False) == ()
    findings = check_sentence(text)
    assert [f.rule for f in findings] == [CLASSIFIER_RULE]
    assert not check_text(text).allowed


@pytest.mark.parametrize(
    "text",
    [
        "The patient reports the GP said to keep the leg elevated and use a foam dressing.",
        "Was the patient told to start antibiotics at the last visit?",
        "Please confirm the recommended follow-up date entered by the clinician.",
        "Please apply the scale sticker next to the wound.",
        "Thank you, that is all for today.",
        "Allergies: none known.",
        "Ulcer first noticed in August.",
        "This is the left heel.",
    ],
)
def test_classifier_never_blocks_frames_records_or_small_talk(text: str) -> None:
    assert classifier.exempt(SentenceView(text)) or not classifier.flags(text)
    assert check_text(text).allowed


def test_classifier_never_unblocks_a_rule() -> None:
    text = "Apply a silver dressing daily."
    with_model = {f.rule for f in check_sentence(text)}
    without = {f.rule for f in check_sentence(text, use_classifier=False)}
    assert with_model == without
    assert without
