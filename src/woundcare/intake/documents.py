"""Text from an uploaded document or voice note, for the intake parser: plain text as is, a
PDF's text layer, scanned pages and photos of letters through OCR (a PDF without a text layer
is rendered to images first), and WAV voice notes through offline speech recognition.

Engines sit behind adapters (:class:`~woundcare.intake.ocr.OcrEngine`,
:class:`~woundcare.intake.speech.SpeechEngine`); :class:`Readers` carries the ones in use, so
a better engine plugs in without touching the callers. Whatever is read is only ever a
proposal for the clinician to confirm.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from woundcare.intake.models import Ambiguity, ParsedConsent, ParsedIntake
from woundcare.intake.ocr import OcrEngine, OcrUnavailable, TesseractOcr, UnreadableImage
from woundcare.intake.speech import (
    PocketsphinxSpeech,
    SpeechEngine,
    SpeechUnavailable,
    UnsupportedAudio,
)
from woundcare.intake.whisper import DEFAULT_THREADS, WhisperSpeech
from woundcare.messages import say

MAX_PAGES = 20
MAX_OCR_PAGES = 5
MAX_CHARS = 50_000
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/tiff"})
AUDIO_TYPES = frozenset({"audio/wav", "audio/ogg", "audio/mpeg", "audio/webm", "audio/mp4"})


class NoTextFound(ValueError):
    """The document has no text the parser could read."""


@dataclass(frozen=True)
class ReadText:
    text: str
    read_by: str  # "text" | "pdf" | "ocr" | "speech"
    engine: str | None = None
    alternatives: tuple[str, ...] = ()  # other readings of a voice note (see keep_agreed)
    checks: tuple[str, ...] = ()  # the voice note with its unsure words masked (keep_agreed)


# A value heard in a voice note is proposed only when at least this many of the recogniser's
# readings (6 for pocketsphinx: one per speaker warp) give the same value; otherwise it becomes
# a follow-up question. On the development notes, 4 of 6 kept 17 of 31 right values and 1 of
# 6 wrong ones (no agreement required: all 31 and all 6).
AGREEMENT = 4


def keep_agreed(parsed: ParsedIntake, readings: list[ParsedIntake],
                need: int = AGREEMENT, checks: list[ParsedIntake] | None = None) -> ParsedIntake:
    """``parsed`` (from the best reading) without the fields and consent decisions that fewer
    than ``need`` of ``readings`` agree with, or that any of ``checks`` (the best reading with
    its unsure words masked) does not give the same (a masked word gives no value, so a value
    resting on one is not agreed): an uncertain field becomes a question whose candidates are
    the values ``parsed`` and the readings gave (never a check's: a masked value is part of
    one); an uncertain consent decision is dropped (not recorded), never flipped."""
    checks = checks or []
    if not readings and not checks:
        return parsed
    from woundcare.intake.freetext import question_for  # the parser's rules: not at start-up

    need = min(need, len(readings))

    def agreed(path: str, value: object) -> bool:
        return (sum(r.value(path) == value for r in readings) >= need
                and all(c.value(path) == value for c in checks))

    fields, asked = [], list(parsed.ambiguities)
    for found in parsed.fields:
        if agreed(found.path, found.value):
            fields.append(found)
        elif parsed.ambiguity(found.path) is None:
            heard = {found.value, *(r.value(found.path) for r in readings)} - {None}
            candidates = tuple(sorted(v.isoformat() if isinstance(v, date) else str(v)
                                      for v in heard))
            asked.append(Ambiguity(path=found.path, candidates=candidates,
                                   question=question_for(found.path)))
    consent = {kind: decision for kind, decision in parsed.consent.model_dump().items()
               if decision is not None and agreed(f"consent.{kind}", decision)}
    return parsed.model_copy(update={"fields": tuple(fields), "ambiguities": tuple(asked),
                                     "consent": ParsedConsent(**consent)})


def _default_ocr() -> OcrEngine:
    return TesseractOcr()


_SPEECH: dict[tuple[str, int], SpeechEngine] = {}


def speech_engine(choice: str = "auto", threads: int = DEFAULT_THREADS) -> SpeechEngine:
    """The process's recogniser for a setting (``WOUNDCARE_SPEECH_ENGINE``): "auto" is Whisper
    when faster-whisper and its model package are installed, else pocketsphinx; "whisper" or
    "pocketsphinx" picks one (a missing one answers "speech recognition is not available").
    One shared adapter per choice (neither keeps state between notes; Whisper's model loads
    on the first note)."""
    if choice == "auto":
        choice = "whisper" if WhisperSpeech.available() else "pocketsphinx"
    if choice not in ("whisper", "pocketsphinx"):
        raise ValueError(f"unknown speech engine {choice!r}")
    key = (choice, threads if choice == "whisper" else 0)
    if key not in _SPEECH:
        _SPEECH[key] = WhisperSpeech(threads=threads) if choice == "whisper" \
            else PocketsphinxSpeech()
    return _SPEECH[key]


def _default_speech() -> SpeechEngine:
    return speech_engine()


@dataclass(frozen=True)
class Readers:
    """The engines used to read images and voice notes (swap in a better one here)."""

    ocr: OcrEngine = field(default_factory=_default_ocr)
    speech: SpeechEngine = field(default_factory=_default_speech)


def read_text(data: bytes, media_type: str, readers: Readers | None = None) -> ReadText:
    """The text of a document, scanned page, photo of a letter or WAV voice note."""
    readers = readers or Readers()
    try:
        if media_type == "text/plain":
            found = ReadText(data.decode("utf-8", errors="replace"), "text")
        elif media_type == "application/pdf":
            found = ReadText(_pdf_text(data), "pdf")
            if not found.text.strip():
                found = ReadText(_scanned_pdf(data, readers.ocr), "ocr", readers.ocr.name)
        elif media_type in IMAGE_TYPES:
            found = ReadText(readers.ocr.read(data).text, "ocr", readers.ocr.name)
        elif media_type in AUDIO_TYPES:
            if media_type != "audio/wav":
                raise NoTextFound(say("error.document.only_wav"))
            transcript = readers.speech.transcribe(data)
            found = ReadText(transcript.text, "speech", readers.speech.name,
                             transcript.alternatives, transcript.checks)
        else:
            raise NoTextFound(say("error.document.unsupported"))
    except (UnsupportedAudio, UnreadableImage) as exc:
        raise NoTextFound(str(exc)) from None
    except (OcrUnavailable, SpeechUnavailable) as exc:
        raise NoTextFound(str(exc)) from None
    text = found.text.strip()[:MAX_CHARS]
    if not text:
        raise NoTextFound(say("error.document.no_text"))
    return ReadText(text, found.read_by, found.engine, found.alternatives, found.checks)


def extract_text(data: bytes, media_type: str) -> str:
    """The text only (kept for callers that do not need to know how it was read)."""
    return read_text(data, media_type).text


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise NoTextFound(say("error.document.pdf_protected"))
        pages = reader.pages[:MAX_PAGES]
        return "\n".join(page.extract_text() or "" for page in pages)
    except PdfReadError:
        raise NoTextFound(say("error.document.pdf_unreadable")) from None


def _scanned_pdf(data: bytes, ocr: OcrEngine) -> str:
    """A PDF of scanned pages: render the first pages (poppler's pdftoppm) and read them."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise NoTextFound(say("error.document.pdf_no_render"))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        try:
            command = [binary, "-r", "200", "-gray", "-png", "-l", str(MAX_OCR_PAGES),
                       str(source), str(Path(folder) / "page")]
            subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise NoTextFound(say("error.document.pdf_render_failed")) from None
        pages = sorted(Path(folder).glob("page*.png"))
        return "\n\n".join(ocr.read(page.read_bytes()).text for page in pages)
