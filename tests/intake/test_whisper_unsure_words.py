"""Whisper's word probabilities (no model load: a fake model object): the transcript's check
is the same text with each unsure word masked, so a value resting on an unsure word (a
misheard name) becomes a follow-up question with the heard value as its candidate, while a
value heard for sure (the age) stays a proposal; a masked word is never read as a value."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from woundcare.intake import parse_free_text
from woundcare.intake.documents import Readers, keep_agreed, read_text
from woundcare.intake.whisper import MARK, WhisperSpeech, masked
from woundcare.service.uploads import _document_proposal

HEARD = [(" Patient", 0.97), (" name", 0.95), (" Reta", 0.21), (" Testcase,", 0.34),
         (" age", 0.96), (" 79.", 0.93)]


@dataclass
class Word:
    word: str
    probability: float


@dataclass
class Segment:
    text: str
    words: list[Word]


class FakeModel:
    def __init__(self) -> None:
        self.options: dict[str, Any] = {}
        self.heard = HEARD

    def transcribe(self, audio: Any, **options: Any) -> tuple[Any, None]:
        self.options = options
        words = [Word(w, p) for w, p in self.heard]
        return iter([Segment("".join(w for w, _ in self.heard), words)]), None


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x01\x00" * 1600)
    return out.getvalue()


def _parse(text: str) -> Any:
    return parse_free_text(text, today=date(2026, 12, 1))


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> tuple[WhisperSpeech, FakeModel]:
    pytest.importorskip("numpy")
    fake = FakeModel()
    speech = WhisperSpeech(unsure=0.5)
    monkeypatch.setattr(speech, "model", lambda: fake)
    return speech, fake


def test_unsure_words_are_masked_in_the_check_only(
        engine: tuple[WhisperSpeech, FakeModel]) -> None:
    speech, fake = engine
    heard = speech.transcribe(_wav())
    assert fake.options["word_timestamps"] is True
    assert heard.text == "Patient name Reta Testcase, age 79."  # the main text is unchanged
    assert heard.checks == (f"Patient name {MARK} {MARK}, age 79.",)
    assert heard.alternatives == ()
    assert masked([Word(" 79.", 0.1)]) == f"{MARK}."
    assert not _parse(f"Patient name {MARK} {MARK}, age {MARK}.").fields  # never a value


def test_an_unsure_name_becomes_a_question_and_a_sure_age_stays_proposed(
        engine: tuple[WhisperSpeech, FakeModel]) -> None:
    speech, _ = engine
    found = read_text(_wav(), "audio/wav", Readers(ocr=None, speech=speech))  # type: ignore[arg-type]
    assert found.checks
    parsed = keep_agreed(_parse(found.text), [], checks=[_parse(t) for t in found.checks])
    assert {f.path: f.value for f in parsed.fields} == {"patient.age": 79}
    asked = {a.path: a.candidates for a in parsed.ambiguities}
    assert asked == {"patient.first_name": ("Reta",), "patient.last_name": ("Testcase",)}
    # the upload service does the same with the note's check
    proposal = _document_proposal(_parse, _wav(), "audio/wav", uuid4(),
                                  Readers(ocr=None, speech=speech))  # type: ignore[arg-type]
    assert proposal["text"] == found.text
    assert [(f["path"], f["value"]) for f in proposal["fields"]] == [("patient.age", 79)]
    assert [(a["path"], a["candidates"]) for a in proposal["ambiguities"]] == [
        ("patient.first_name", ["Reta"]), ("patient.last_name", ["Testcase"])]


def test_all_sure_words_give_no_check_and_no_threshold_turns_it_off(
        engine: tuple[WhisperSpeech, FakeModel], monkeypatch: pytest.MonkeyPatch) -> None:
    speech, fake = engine
    fake.heard = [(w, 0.99) for w, _ in HEARD]
    assert speech.transcribe(_wav()).checks == ()
    monkeypatch.setattr(speech, "unsure", None)
    fake.heard = HEARD
    assert speech.transcribe(_wav()).checks == ()
    assert fake.options["word_timestamps"] is False
