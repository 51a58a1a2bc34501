"""Voice notes transcribed offline: a :class:`SpeechEngine` adapter, and pocketsphinx with
the English acoustic model that ships inside its package behind it (nothing downloads), with
a wound-care intake language model this package builds itself (:func:`domain_model`).

Audio is read from WAV (PCM 8/16/24/32-bit, any rate, mono or stereo) and converted to 16 kHz
mono for the recogniser. Other containers (Ogg, MP3, WebM, MP4) need a decoder this server
does not have: they are refused with a clear message (:class:`UnsupportedAudio`) rather than
guessed at. No audio or text is logged.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from woundcare.messages import say

MAX_SECONDS = 300
TARGET_RATE = 16_000


class UnsupportedAudio(ValueError):
    """Audio this server cannot decode (only WAV is read offline)."""


class SpeechUnavailable(RuntimeError):
    """The recogniser is not installed."""


@dataclass(frozen=True)
class Transcript:
    """``alternatives``: the other readings the engine considered (for pocketsphinx, one per
    speaker warp), used to tell heard-for-sure values from guesses; empty if it has none.
    ``checks``: the text with the words the engine was unsure of masked (Whisper): a value
    must come out the same from each, but a check is never offered as a candidate value."""

    text: str
    engine: str
    seconds: float
    alternatives: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()


class SpeechEngine(Protocol):
    """Any recogniser: WAV bytes in, lower-case words out."""

    name: str

    def transcribe(self, wav: bytes) -> Transcript: ...


def wav_to_pcm16k(data: bytes) -> tuple[bytes, float]:
    """16 kHz mono signed 16-bit PCM from a WAV file, and its duration in seconds."""
    import numpy as np

    try:
        with wave.open(io.BytesIO(data)) as w:
            rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
            count = w.getnframes()
            if rate <= 0 or count / rate > MAX_SECONDS:
                raise UnsupportedAudio(say("error.document.audio_too_long",
                                           count=MAX_SECONDS // 60))
            frames = w.readframes(count)
    except (wave.Error, EOFError):
        raise UnsupportedAudio(say("error.document.only_wav")) from None
    if width == 1:
        x = (np.frombuffer(frames, dtype=np.uint8).astype(np.float64) - 128.0) * 256.0
    elif width == 2:
        x = np.frombuffer(frames, dtype="<i2").astype(np.float64)
    elif width == 3:
        raw = np.frombuffer(frames, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        x = ((raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)) << 8 >> 8).astype(np.float64)
        x /= 256.0
    elif width == 4:
        x = np.frombuffer(frames, dtype="<i4").astype(np.float64) / 65536.0
    else:
        raise UnsupportedAudio(say("error.document.audio_format"))
    if channels > 1:
        x = x[: len(x) - len(x) % channels].reshape(-1, channels).mean(axis=1)
    if rate != TARGET_RATE and len(x):
        if rate > TARGET_RATE:  # windowed-sinc low-pass below the new Nyquist frequency
            cutoff, k = 0.95 * (TARGET_RATE / 2) / rate, np.arange(101) - 50
            taps = np.sinc(2 * cutoff * k) * np.hamming(101)
            x = np.convolve(x, taps / taps.sum(), mode="same")
        n = max(1, int(len(x) * TARGET_RATE / rate))
        x = np.interp(np.linspace(0, len(x) - 1, n), np.arange(len(x)), x)
    pcm = np.clip(x, -32768, 32767).astype("<i2").tobytes()
    return pcm, count / rate if rate else 0.0


LM_ORDER = 3
LM_SENTENCES = 30_000
# Language weight with the domain model: 10 (pocketsphinx's default is 6.5), chosen on the
# development notes (SPOKEN_NOTES and generated ones), never on the held-out notes.
DOMAIN_LANGUAGE_WEIGHT = 10.0
# Speaker normalisation: the note is decoded with the frequency axis warped by each factor
# (vocal-tract length normalisation, pocketsphinx's ``inverse_linear`` warp) and the
# hypothesis with the best total score wins. A male voice fits the model best near 0.85-0.9,
# a female one near 1.2-1.3. Chosen on the development notes, like the weight above.
WARPS: tuple[float, ...] = (0.85, 0.9, 1.0, 1.1, 1.2, 1.3)


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "woundcare" / "speech"


def domain_model_key() -> str:
    """A digest of everything the domain model is made from (the generator's and the
    model builder's source, the pocketsphinx dictionary's size, the settings): a change to
    any of them makes a new model, never a stale one."""
    from woundcare.intake import langmodel, speechcorpus

    digest = hashlib.sha256(f"{LM_ORDER}/{LM_SENTENCES}".encode())
    for module in (langmodel, speechcorpus):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(str(_cmudict().stat().st_size).encode())
    return digest.hexdigest()[:16]


def _cmudict() -> Path:
    from pocketsphinx import get_model_path

    return Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"


def build_domain_model(folder: Path) -> tuple[Path, Path]:
    """Write the wound-care intake language model (ARPA) and its pronunciation dictionary
    into ``folder``, from the generated corpus; deterministic (same files every time)."""
    from woundcare.intake.langmodel import NgramModel, build_dictionary, read_dictionary
    from woundcare.intake.speechcorpus import PRONUNCIATIONS, generate_corpus

    lexicon = read_dictionary(_cmudict())
    for word, pron in PRONUNCIATIONS.items():
        lexicon.setdefault(word, [pron])
    model = NgramModel((line.split() for line in generate_corpus(LM_SENTENCES)), LM_ORDER)
    lines, missing = build_dictionary(model.vocab, lexicon)
    keep = set(model.vocab) - set(missing)
    folder.mkdir(parents=True, exist_ok=True)
    arpa, dic = folder / "intake.lm", folder / "intake.dict"
    for path, text in ((arpa, model.to_arpa(keep)), (dic, "\n".join(lines) + "\n")):
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return arpa, dic


def domain_model(cache: Path | None = None) -> tuple[Path, Path]:
    """The domain model's files, built on first use (about five seconds) and kept in the
    user's cache folder under a key of their sources."""
    folder = (cache or _cache_root()) / domain_model_key()
    arpa, dic = folder / "intake.lm", folder / "intake.dict"
    if arpa.exists() and dic.exists():
        return arpa, dic
    try:
        return build_domain_model(folder)
    except OSError:
        if cache is not None:
            raise
        # no writable cache folder (a read-only home): build in a private temporary folder
        return domain_model(Path(tempfile.mkdtemp(prefix="woundcare-speech-")))


class PocketsphinxSpeech:
    """CMU pocketsphinx 5 with its bundled US-English acoustic model, and by default a
    wound-care intake language model and dictionary built by this package from a generated
    corpus of intake notes (:func:`domain_model`); ``domain=False`` uses pocketsphinx's
    bundled general English language model instead (open vocabulary, much less accurate on
    intake notes: see ``benchmarks/text_trust.py --section intake``)."""

    name = "pocketsphinx"

    def __init__(self, *, domain: bool = True, cache: Path | None = None,
                 language_weight: float | None = None,
                 decoder_options: dict[str, object] | None = None,
                 warps: tuple[float, ...] | None = None) -> None:
        self.domain = domain
        self.warps = warps if warps is not None else (WARPS if domain else (1.0,))
        self.decoder_options = dict(decoder_options or {})
        self.cache = cache
        self.language_weight = language_weight

    @staticmethod
    def available() -> bool:
        try:
            import pocketsphinx  # noqa: F401
        except ImportError:
            return False
        return True

    def _decoders(self) -> list[object]:
        """Fresh decoders for each note (about 0.05 s each with the domain model), so a note's
        transcript never depends on the notes decoded before it."""
        try:
            from pocketsphinx import Decoder
        except ImportError:
            raise SpeechUnavailable(say("error.document.speech_unavailable")) from None
        options: dict[str, object] = {"samprate": TARGET_RATE, "loglevel": "FATAL"}
        if self.domain:
            arpa, dic = domain_model(self.cache)
            options.update(lm=str(arpa), dict=str(dic))
        weight = self.language_weight
        if weight is None and self.domain:
            weight = DOMAIN_LANGUAGE_WEIGHT
        if weight is not None:
            options["lw"] = weight
        options.update(self.decoder_options)
        made: list[object] = []
        for warp in self.warps:
            warped = {} if warp == 1.0 else {"warp_type": "inverse_linear",
                                             "warp_params": str(warp)}
            made.append(Decoder(**options, **warped))
        return made

    def transcribe(self, wav: bytes) -> Transcript:
        pcm, seconds = wav_to_pcm16k(wav)
        best: tuple[float, str] | None = None
        heard: list[str] = []
        for decoder in self._decoders():
            decoder.start_utt()  # type: ignore[attr-defined]
            decoder.process_raw(pcm, full_utt=True)  # type: ignore[attr-defined]
            decoder.end_utt()  # type: ignore[attr-defined]
            hyp = decoder.hyp()  # type: ignore[attr-defined]
            if hyp is None:
                continue
            heard.append(_clean(hyp.hypstr))
            if best is None or hyp.best_score > best[0]:
                best = (hyp.best_score, heard[-1])
        return Transcript(text="" if best is None else best[1], engine=self.name,
                          seconds=seconds, alternatives=tuple(heard) if len(heard) > 1 else ())


def _clean(hypothesis: str) -> str:
    """Words only: no alternate-pronunciation marks ("the(2)"), fillers or silences."""
    return " ".join(re.sub(r"\(\d+\)|<[^>]*>|\[[^\]]*\]", "", hypothesis).split())


# British and American spellings of the same word count as the same word in the WER.
_SPELLINGS = {"centimeters": "centimetres", "centimeter": "centimetre",
              "millimeters": "millimetres", "millimeter": "millimetre", "meters": "metres",
              "color": "colour", "odor": "odour", "odorous": "odourous", "ok": "okay"}


def _spoken(token: str) -> str:
    """A number written in digits as it would be said: "79" -> "seventy nine", "11th" ->
    "eleventh", "1945" -> "nineteen forty five", "4.5" -> "four point five", "392051" (a
    long or zero-led number) digit by digit."""
    from woundcare.intake.speechcorpus import ONES, number_words, ordinal_words, year_words

    if "." in token:
        whole, _, part = token.partition(".")
        return " ".join([_spoken(whole), "point", *(ONES[int(d)] for d in part)])
    ordinal = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", token)
    if ordinal and 0 < int(ordinal.group(1)) < 100:
        return ordinal_words(int(ordinal.group(1)))
    if not token.isdigit():
        return token
    if len(token) >= 5 or (len(token) > 1 and token.startswith("0")):
        return " ".join(ONES[int(d)] for d in token)
    if len(token) == 4 and 1100 <= int(token) < 2100:
        return year_words(int(token))
    return number_words(int(token))


def spoken_words(text: str) -> list[str]:
    """The words of a transcript as they were spoken: lower case, no punctuation, numbers in
    words, one spelling per word (a Whisper transcript writes "79", a pocketsphinx one
    "seventy nine": both are the same words)."""
    tokens = re.findall(r"\d+(?:\.\d+)?(?:st|nd|rd|th)?|[a-z']+", text.lower())
    return [_SPELLINGS.get(w, w) for t in tokens for w in _spoken(t).split()]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, case and punctuation
    folded, numbers compared as spoken (:func:`spoken_words`)."""
    ref = spoken_words(reference)
    hyp = spoken_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i]
        for j, h in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / len(ref)
