"""Choose Whisper's ``UNSURE`` word-probability threshold on the development voice notes only.

The development notes carry no field labels, so a field's label is what the parser reads from
the words that were spoken (the reference text): a value taken from the transcript is right if
it is that, wrong otherwise; a question is a value held back. Each note is transcribed once per
voice; every threshold is then applied to the same words (``--part heldout`` is never read).

    .venv/bin/python benchmarks/whisper_unsure.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from woundcare.intake.documents import keep_agreed
from woundcare.intake.evaluation import (
    VOICES,
    _plain,
    _same,
    default_parser,
    development_notes,
)
from woundcare.intake.speech import wav_to_pcm16k
from woundcare.intake.synthetic import speak
from woundcare.intake.whisper import WhisperSpeech, masked

THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> None:
    import numpy as np

    engine = WhisperSpeech()
    total = {t: [0, 0, 0, 0] for t in THRESHOLDS}
    for voice, speed in VOICES:
        tally = {t: [0, 0, 0, 0] for t in THRESHOLDS}
        for _, text, _ in development_notes():
            labels = {f.path: _plain(f.value) for f in default_parser(text, "dmy").fields}
            pcm, _ = wav_to_pcm16k(speak(text, voice=voice, speed=speed))
            audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
            segments, _ = engine.model().transcribe(
                audio, language="en", beam_size=engine.beam_size, vad_filter=engine.vad,
                condition_on_previous_text=False, word_timestamps=True)
            segments = list(segments)
            heard = " ".join(" ".join(s.text.strip() for s in segments).split())
            words = [w for s in segments for w in s.words or ()]
            raw = default_parser(heard, "dmy")
            for t in THRESHOLDS:
                checks = [default_parser(masked(words, t), "dmy")] \
                    if any(w.probability < t for w in words) else []
                kept = keep_agreed(raw, [], checks=checks)
                got = {f.path: _plain(f.value) for f in kept.fields}
                count = tally[t]
                count[0] += sum(1 for p, v in got.items() if p in labels and _same(v, labels[p]))
                count[1] += sum(1 for p, v in got.items()
                                if p not in labels or not _same(v, labels[p]))
                count[2] += len(kept.ambiguities)
                count[3] += sum(1 for a in kept.ambiguities
                                if a.path in labels and a.path in {f.path for f in raw.fields}
                                and _same(raw.value(a.path), labels[a.path]))
        for t in THRESHOLDS:
            right, wrong, asked, asked_right = tally[t]
            print(f"{voice:<8} {speed} wpm, unsure < {t:.1f}: {right} right, {wrong} wrong "
                  f"proposed; {asked} asked ({asked_right} of them right)", flush=True)
            total[t] = [a + b for a, b in zip(total[t], tally[t], strict=True)]
    for t in THRESHOLDS:
        right, wrong, asked, asked_right = total[t]
        print(f"all voices, unsure < {t:.1f}: {right} right, {wrong} wrong proposed; "
              f"{asked} asked ({asked_right} of them right)")


if __name__ == "__main__":
    main()
