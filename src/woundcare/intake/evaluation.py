"""Measuring the intake parser on labelled corpora (used by ``benchmarks/text_trust.py``).

Scoring, per field path:

* a **value** the parser returns is correct when it equals the label exactly (names as
  written, dates as ISO strings, phones as digits); a value that is not labelled, or differs
  from the label, is a false positive (an invented or wrong value);
* an **expected item** is a labelled value, or a labelled ambiguity (the text cannot decide,
  so the right output is a follow-up question and no value); it is found when the parser
  returns that value, or returns a question and no value for an ambiguous label.

Precision = correct values / values returned; recall = expected items found / expected
items. Questions are not values, so an extra question costs recall, never precision.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from woundcare.intake.dates import DateLocale
from woundcare.intake.models import PATIENT_PATHS, ParsedIntake

EVAL_TODAY = date(2025, 6, 15)

Parser = Callable[[str, str | None], ParsedIntake]


@dataclass
class FieldScore:
    returned: int = 0
    correct: int = 0
    expected: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.returned if self.returned else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


@dataclass
class CorpusScore:
    fields: dict[str, FieldScore] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (case id, path, kind)

    def of(self, path: str) -> FieldScore:
        return self.fields.setdefault(path, FieldScore())

    @property
    def total(self) -> FieldScore:
        out = FieldScore()
        for s in self.fields.values():
            out.returned += s.returned
            out.correct += s.correct
            out.expected += s.expected
            out.found += s.found
        return out


def load_corpus(path: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return cases


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def default_parser(text: str, locale: str | None) -> ParsedIntake:
    from woundcare.intake.freetext import parse_free_text

    loc: DateLocale | None = "dmy" if locale == "dmy" else "mdy" if locale == "mdy" else None
    return parse_free_text(text, date_locale=loc, today=EVAL_TODAY)


def score_corpus(cases: Iterable[dict[str, Any]], parser: Parser = default_parser) -> CorpusScore:
    score = CorpusScore()
    for case in cases:
        result = parser(case["text"], case.get("locale"))
        got = {f.path: _plain(f.value) for f in result.fields}
        asked = {a.path for a in result.ambiguities}
        expected: dict[str, object] = case.get("fields", {})
        ambiguous: set[str] = set(case.get("ambiguous", []))
        for path in PATIENT_PATHS:
            s = score.of(path)
            if path in got:
                s.returned += 1
                if path in expected and got[path] == expected[path]:
                    s.correct += 1
                else:
                    score.misses.append((case["id"], path, "wrong value"))
            if path in expected:
                s.expected += 1
                if got.get(path) == expected[path]:
                    s.found += 1
                elif path not in got:
                    score.misses.append((case["id"], path, "missed"))
            elif path in ambiguous:
                s.expected += 1
                if path in asked and path not in got:
                    s.found += 1
                elif path not in got:
                    score.misses.append((case["id"], path, "no question"))
    return score


def format_score(name: str, score: CorpusScore) -> list[str]:
    lines = [f"{name}: {'field':<26} {'returned':>8} {'precision':>9} {'expected':>8} "
             f"{'recall':>7}"]
    for path in PATIENT_PATHS:
        s = score.fields.get(path)
        if s is None or (s.returned == 0 and s.expected == 0):
            continue
        lines.append(f"  {path:<{len(name) + 24}} {s.returned:>8} {s.precision:>9.3f} "
                     f"{s.expected:>8} {s.recall:>7.3f}")
    t = score.total
    lines.append(f"  {'ALL FIELDS':<{len(name) + 24}} {t.returned:>8} {t.precision:>9.3f} "
                 f"{t.expected:>8} {t.recall:>7.3f}")
    return lines


# ------------------------------------------------------------------ the one-command report


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in [0, 100]); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _stats(values: list[float]) -> str:
    return (f"median {percentile(values, 50):.3f}, p10 {percentile(values, 10):.3f}, "
            f"min {min(values):.3f}" if values else "no values")


def _timing(values: list[float]) -> str:
    return (f"median {percentile(values, 50):.2f} s, p90 {percentile(values, 90):.2f} s, "
            f"p99 {percentile(values, 99):.2f} s" if values else "no timings")


def injection_report(cases: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every injection and negation case through the parser (is the proposal as labelled?)
    and through the Bio agent on a fresh record (did the record's consent change?)."""
    from uuid import UUID

    from woundcare.agents.base import Actor, AgentContext, AgentServices
    from woundcare.agents.bio import BioAgent
    from woundcare.domain.inputs import BioInput
    from woundcare.domain.record import CaseRecord
    from woundcare.intake.freetext import parse_free_text

    now = datetime(2025, 6, 15, 9, 0, tzinfo=UTC)
    record = CaseRecord(case_id=UUID(int=1), organisation_id=UUID(int=2), owner_id=UUID(int=3),
                        created_at=now, updated_at=now, version=1)
    ctx = AgentContext(actor=Actor.clinician(UUID(int=3)), now=now, services=AgentServices(
        intake_parser=lambda t: parse_free_text(t, today=EVAL_TODAY)))
    lines: list[str] = []
    for kind in ("injection", "negation"):
        changed = wrong = flagged = 0
        for case in cases[kind]:
            parsed = parse_free_text(case["text"], today=EVAL_TODAY)
            proposed = {k: v.value for k, v in parsed.consent.model_dump().items()
                        if v is not None}
            wrong += proposed != case["consent"]
            flagged += parsed.suspicious_instruction
            after = BioAgent().run(record, BioInput(free_text=case["text"]), ctx).record
            changed += after.consent != record.consent
        lines.append(f"  {kind:<9} cases {len(cases[kind]):>3}: record consent changed by text "
                     f"{changed} (must be 0); proposal differs from label {wrong}; "
                     f"flagged suspicious_instruction {flagged}")
    return lines


def ocr_report(cases: list[dict[str, Any]], limit: int | None = None) -> list[str]:
    """Each corpus text rendered as a letter page (fonts, rotation, noise vary), read back by
    Tesseract: character accuracy, and whether the parser still finds the same fields."""
    import time

    from woundcare.intake.ocr import TesseractOcr, character_accuracy
    from woundcare.intake.synthetic import render_letter

    engine = TesseractOcr()
    if not engine.available():
        return ["  OCR: Tesseract is not installed (scripts/install-tools.sh); not measured"]
    fonts = ["DejaVuSans.ttf", "DejaVuSerif.ttf", "LiberationSans-Regular.ttf",
             "LiberationSerif-Regular.ttf", "DejaVuSansMono.ttf"]
    variants = [(0.0, 0.0), (1.5, 0.002), (-2.5, 0.004), (4.0, 0.01), (-1.0, 0.0)]
    accuracy: list[float] = []
    seconds: list[float] = []
    kept = total = 0
    for i, case in enumerate(cases[:limit] if limit else cases):
        rotate, noise = variants[i % len(variants)]
        lines = ["Referral for wound review (synthetic)", "", *case["text"].split("\n")]
        page = render_letter(lines, rotate=rotate, noise=noise, font=fonts[i % len(fonts)],
                             seed=i, fmt="JPEG" if i % 2 else "PNG")
        start = time.perf_counter()
        text = engine.read(page).text
        seconds.append(time.perf_counter() - start)
        accuracy.append(character_accuracy("\n".join(lines), text))
        want = {f.path: f.value for f in default_parser(case["text"], case.get("locale")).fields}
        got = {f.path: f.value for f in default_parser(text, case.get("locale")).fields}
        total += len(want)
        kept += sum(1 for path, value in want.items() if got.get(path) == value)
    return [f"  OCR character accuracy on {len(accuracy)} generated pages: {_stats(accuracy)}",
            f"  fields the parser finds in the source text also found after OCR: {kept}/{total}"
            f" ({kept / total if total else 1:.3f})",
            f"  OCR time per page: {_timing(seconds)}"]


Voice = tuple[str, int]  # espeak-ng voice, words per minute
VOICES: tuple[Voice, ...] = (("en-us", 140), ("en-us", 175), ("en-us+f3", 140), ("en", 140))
Note = tuple[str, str, dict[str, object]]  # part, words spoken, the fields a listener takes


def development_notes(generated: int = 16) -> list[Note]:
    """The notes recognisers are tuned on (never the held-out ones): the hand-written
    ``SPOKEN_NOTES`` and ``generated`` notes of nine words or more from the intake corpus
    generator with a seed of its own (new sentences, but from the generator pocketsphinx's
    language model is trained on, so they favour it). They carry no field labels."""
    from woundcare.intake.speechcorpus import generate_corpus
    from woundcare.intake.synthetic import SPOKEN_NOTES

    made = [s for s in generate_corpus(400, seed=11) if len(s.split()) >= 9][:generated]
    none: dict[str, object] = {}
    return [("written", text, none) for text in SPOKEN_NOTES] + [("generated", t, none)
                                                                   for t in made]


def speech_engines(baseline: bool = True) -> list[tuple[str, Any]]:
    """The recognisers measured side by side: pocketsphinx with the package's intake language
    model (and, ``baseline``, its bundled general one), Whisper as used (no prompt; unsure words
    masked in a check), without the check (one reading, no word probabilities) and with the
    domain vocabulary prompt; the ones not installed are left out."""
    from woundcare.intake.speech import PocketsphinxSpeech
    from woundcare.intake.whisper import PROMPT, WhisperSpeech

    engines: list[tuple[str, Any]] = []
    if PocketsphinxSpeech.available():
        engines.append(("pocketsphinx intake LM", PocketsphinxSpeech()))
        if baseline:
            engines.append(("pocketsphinx general LM", PocketsphinxSpeech(domain=False)))
    if WhisperSpeech.available():
        engines.append(("whisper (default)", WhisperSpeech()))
        engines.append(("whisper, one reading", WhisperSpeech(unsure=None)))
        engines.append(("whisper, vocab. prompt", WhisperSpeech(prompt=PROMPT)))
    return engines


def _same(got: object, want: object) -> bool:
    """A heard value against its label (names compared without case: Whisper writes
    "Noor", the labels "noor")."""
    if isinstance(got, str) and isinstance(want, str):
        return got.casefold() == want.casefold()
    return got == want


def speech_report(notes: list[Note], voices: tuple[Voice, ...] = VOICES, *,
                  engines: list[tuple[str, Any]] | None = None) -> list[str]:
    """Each note spoken by espeak-ng and transcribed by each recogniser (default:
    :func:`speech_engines`): word error rate per voice and per part (held-out: "known", names
    in pocketsphinx's model vocabulary; "unknown", names it has never seen), the median time
    per note, and, for labelled notes, the fields the parser takes from the transcript
    against the labels (right; wrong: a value that differs from the label or is not
    labelled; missed), as proposed (values pocketsphinx's readings disagree on become
    questions, :func:`~woundcare.intake.documents.keep_agreed`) and from the best reading
    alone. Numbers count as the same words written either way ("79" = "seventy nine",
    :func:`~woundcare.intake.speech.spoken_words`)."""
    import time

    from woundcare.intake.documents import keep_agreed
    from woundcare.intake.speech import word_error_rate
    from woundcare.intake.synthetic import espeak_available, speak

    engines = speech_engines() if engines is None else engines
    if not espeak_available() or not engines:
        return ["  speech: espeak-ng or every recogniser is missing; not measured"]
    labelled = sum(len(f) for _, _, f in notes)
    lines: list[str] = []
    for voice, speed in voices:
        wavs = [speak(text, voice=voice, speed=speed) for _, text, _ in notes]
        for label, engine in engines:
            errors: dict[str, list[float]] = {}
            seconds: list[float] = []
            tallies = {"proposed": [0, 0, 0, 0], "best reading": [0, 0, 0, 0]}
            for (part, text, fields), wav in zip(notes, wavs, strict=True):
                start = time.perf_counter()
                transcript = engine.transcribe(wav)
                heard = transcript.text
                seconds.append(time.perf_counter() - start)
                n = len(text.split())
                for key in (part, "all"):
                    tally = errors.setdefault(key, [0.0, 0])
                    tally[0] += word_error_rate(text, heard) * n
                    tally[1] += n
                if not labelled:
                    continue
                raw = default_parser(heard, "dmy")
                readings = [default_parser(t, "dmy") for t in transcript.alternatives]
                checks = [default_parser(t, "dmy") for t in transcript.checks]
                agreed = keep_agreed(raw, readings, checks=checks)
                for way, parsed in (("best reading", raw), ("proposed", agreed)):
                    got = {f.path: _plain(f.value) for f in parsed.fields}
                    count = tallies[way]
                    for path, value in fields.items():
                        count[0] += path in got and _same(got[path], value)
                        count[1] += path in got and not _same(got[path], value)
                        count[2] += path not in got
                    count[1] += sum(1 for path in got if path not in fields)
                    count[3] += len(parsed.ambiguities)
            parts = ", ".join(f"{key} {e / w:.3f}" for key, (e, w) in errors.items()
                              if key != "all")
            e, w = errors["all"]
            lines.append(f"  {voice:<8} {speed} wpm, {label:<23}: WER {e / w:.3f} ({parts}); "
                         f"{percentile(seconds, 50):.2f} s per note (p90 "
                         f"{percentile(seconds, 90):.2f})")
            for way, (right, wrong, missed, asked) in tallies.items():
                if not labelled or (way == "proposed" and not getattr(engine, "warps", ())[1:]
                                    and getattr(engine, "unsure", None) is None):
                    continue
                lines.append(f"      fields ({way}): {right} right, {wrong} wrong, {missed} "
                             f"missed of {labelled} labelled; {asked} questions")
    return lines


_MEMORY_PROBE = """
import resource, sys
from woundcare.intake.synthetic import SPOKEN_NOTE, speak
from woundcare.intake.documents import speech_engine
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
wav = speak(SPOKEN_NOTE)
engine = speech_engine(sys.argv[1])
before = rss()
engine.transcribe(wav)
after = rss()
engine.transcribe(wav)
print(f"{before:.0f} {after:.0f} {rss():.0f} {engine.name}")
"""


def speech_memory(choice: str) -> str:
    """The resident memory a recogniser adds to a fresh process on its first note (the
    model's load), measured in a child process (Linux ``/proc``)."""
    import subprocess
    import sys

    command = [sys.executable, "-c", _MEMORY_PROBE, choice]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600,  # noqa: S603
                          check=False)
    try:
        before, after, again, name = done.stdout.split()
    except ValueError:
        return f"  memory ({choice}): not measured"
    return (f"  memory, {name}: a process at {before} MiB resident grows to {after} MiB on its "
            f"first note (+{float(after) - float(before):.0f} MiB), {again} MiB after a second")


def intake_sections(root: Path, *, quick: bool = False) -> list[str]:
    """The intake half of ``benchmarks/text_trust.py``: parser precision/recall per field on
    the development and held-out corpora, injection cases, OCR accuracy, speech WER."""

    folder = root / "tests" / "intake"
    lines = ["== Intake parser (labelled synthetic corpus; held-out part never tuned on) =="]
    for part, title in (("development", "development (rules written against it)"),
                        ("heldout", "held-out, first batch"),
                        ("heldout_names", "held-out, names batch (issue 9, written and "
                                          "measured before the name rules it checks)")):
        cases = load_corpus(folder / "recall" / f"{part}.json")
        lines.append(f"-- {title}: {len(cases)} texts")
        lines.extend(format_score(part, score_corpus(cases)))
    lines.append("== Consent from text (injection and negation cases) ==")
    consent_cases = json.loads((folder / "consent_cases.json").read_text(encoding="utf-8"))
    lines.extend(injection_report(consent_cases))
    lines.append("== Documents: OCR on generated letter pages (the held-out texts) ==")
    pages = load_corpus(folder / "recall" / "heldout.json")
    lines.extend(ocr_report(pages, limit=10 if quick else None))
    lines.extend(voice_sections(quick=quick))
    return lines


def voice_sections(*, quick: bool = False, parts: tuple[str, ...] = ("development", "heldout"),
                   baseline: bool | None = None) -> list[str]:
    """The speech half of the intake section (also ``--section voice``): development and
    held-out notes through every recogniser side by side, and each one's memory."""
    from woundcare.intake.synthetic import SPOKEN_HELDOUT

    voices = VOICES[:1] if quick else VOICES
    engines = speech_engines(baseline=not quick if baseline is None else baseline)
    lines: list[str] = []
    if "development" in parts:
        development = development_notes()
        lines.append(f"== Voice: speech recognition, development notes ({len(development)}, "
                     "spoken by espeak-ng; the settings were chosen on these) ==")
        lines.extend(speech_report(development, voices, engines=engines))
    if "heldout" in parts:
        lines.append(f"== Voice: speech recognition on {len(SPOKEN_HELDOUT)} held-out notes "
                     "spoken by espeak-ng (never tuned on) ==")
        lines.extend(speech_report(SPOKEN_HELDOUT, voices, engines=engines))
    if not quick:
        lines.extend(speech_memory(choice) for choice in ("whisper", "pocketsphinx"))
    return lines
