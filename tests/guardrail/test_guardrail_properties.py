"""Property tests: the guardrail's output is always neutral, and neutral input is kept."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from woundcare.guardrail import NEUTRAL_POINTER, check_text, neutralise, split_sentences

_CORPUS = [
    json.loads(line)
    for line in Path(__file__).with_name("corpus.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
_ALL = [e["text"] for e in _CORPUS]
_NEUTRAL = [e["text"] for e in _CORPUS if not e["advice"]]
_SEPARATORS = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \r\n"])

corpus_texts = st.lists(st.tuples(st.sampled_from(_ALL), _SEPARATORS), min_size=1, max_size=8).map(
    lambda parts: "".join(t + s for t, s in parts)
)
neutral_texts = st.lists(
    st.tuples(st.sampled_from(_NEUTRAL), _SEPARATORS), min_size=1, max_size=8
).map(lambda parts: "".join(t + s for t, s in parts))
any_text = st.one_of(
    st.text(max_size=300),
    corpus_texts,
    st.tuples(corpus_texts, st.text(max_size=60), corpus_texts).map("".join),
)

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(any_text)
def test_the_output_of_check_text_is_always_allowed(text: str) -> None:
    verdict = check_text(text)
    again = check_text(verdict.text)
    assert again.allowed
    assert again.text == verdict.text
    assert verdict.allowed == (not verdict.findings)
    if verdict.allowed:
        assert verdict.text == text


@_SETTINGS
@given(any_text)
def test_neutralise_is_idempotent(text: str) -> None:
    once = neutralise(text)
    assert neutralise(once) == once


@_SETTINGS
@given(neutral_texts)
def test_neutral_texts_pass_byte_identical(text: str) -> None:
    verdict = check_text(text)
    assert verdict.allowed, [f.rule for f in verdict.findings]
    assert verdict.text == text


@_SETTINGS
@given(st.lists(st.tuples(st.sampled_from(_CORPUS), _SEPARATORS), min_size=1, max_size=8))
def test_a_text_is_allowed_iff_it_has_no_advice_line(parts: list[tuple[dict, str]]) -> None:
    advice = {e["text"] for e in _CORPUS if e["advice"]}
    # The oracle is which corpus lines went in (a line such as "1. Clean …" may itself split
    # into several sentences, so the split text is no oracle).
    has_advice = any(entry["advice"] for entry, _ in parts)
    text = "".join(entry["text"] + sep for entry, sep in parts)
    verdict = check_text(text)
    assert verdict.allowed is not has_advice
    if has_advice:
        assert NEUTRAL_POINTER in verdict.text
        assert not any(sentence in advice for sentence in split_sentences(verdict.text))


@_SETTINGS
@given(st.text(max_size=300))
def test_split_sentences_keeps_every_visible_character(text: str) -> None:
    sentences = split_sentences(text)
    assert all(s and s == s.strip() for s in sentences)
    assert "".join("".join(s.split()) for s in sentences) == "".join(text.split())


@_SETTINGS
@given(st.lists(st.sampled_from([NEUTRAL_POINTER, *_NEUTRAL[:10]]), max_size=6).map(" ".join))
def test_pointer_and_neutral_sentences_combine_into_allowed_text(text: str) -> None:
    assert check_text(text).allowed
