"""Voice notes transcribed offline: a :class:`SpeechEngine` adapter, and pocketsphinx with
the English model that ships inside its package behind it (nothing downloads).

Audio is read from WAV (PCM 8/16/24/32-bit, any rate, mono or stereo) and converted to 16 kHz
mono for the recogniser. Other containers (Ogg, MP3, WebM, MP4) need a decoder this server
does not have: they are refused with a clear message (:class:`UnsupportedAudio`) rather than
guessed at. No audio or text is logged.
"""

from __future__ import annotations

import io
import re
import wave
from dataclasses import dataclass
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
    text: str
    engine: str
    seconds: float


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


class PocketsphinxSpeech:
    """CMU pocketsphinx 5 with its bundled US-English acoustic model, dictionary and general
    language model (open vocabulary: no grammar or keyword list constrains it)."""

    name = "pocketsphinx"

    @staticmethod
    def available() -> bool:
        try:
            import pocketsphinx  # noqa: F401
        except ImportError:
            return False
        return True

    def transcribe(self, wav: bytes) -> Transcript:
        pcm, seconds = wav_to_pcm16k(wav)
        try:
            from pocketsphinx import Decoder
        except ImportError:
            raise SpeechUnavailable(say("error.document.speech_unavailable")) from None
        decoder = Decoder(samprate=TARGET_RATE, loglevel="FATAL")
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        text = "" if hyp is None else re.sub(r"\(\d+\)|<[^>]*>|\[[^\]]*\]", "", hyp.hypstr)
        return Transcript(text=" ".join(text.split()), engine=self.name, seconds=seconds)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, case and punctuation
    folded."""
    ref = re.findall(r"[a-z0-9']+", reference.lower())
    hyp = re.findall(r"[a-z0-9']+", hypothesis.lower())
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i]
        for j, h in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / len(ref)
