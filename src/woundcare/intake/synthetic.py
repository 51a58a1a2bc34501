"""Synthetic inputs for the tests and the measurements (never for patients): a referral letter
rendered to an image with a system TTF font (optionally rotated and noisy), and a note spoken
by espeak-ng. Every name in them is obviously fake."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]
LETTER_LINES = [
    "Community Nursing Service (synthetic)",
    "Referral for wound review",
    "",
    "Patient: Alma Testcase",
    "DOB: 12/03/1944",
    "UR No. 448812",
    "Sex: female",
    "",
    "Dear wound clinic team,",
    "Thank you for seeing this lady with a leg ulcer on the left shin.",
    "Dr. Amelia Clarke-Whitfield",
]
LETTER_FIELDS = {"patient.first_name": "Alma", "patient.last_name": "Testcase",
                 "patient.date_of_birth": "1944-03-12", "patient.mrn": "448812",
                 "patient.sex": "female"}
SPOKEN_NOTES = [
    "patient name alma testcase she is seventy nine years old",
    "my name is oliver sampleton and i was born on the fifth of march nineteen forty five",
    "the patient is a seventy two year old man with a wound on the left heel",
    "she consents to photographs of the wound and to data storage",
    "date of birth the twenty third of june nineteen forty three",
    "he does not want photos on the team board",
    "the wound is on the right shin and it has been there for three weeks",
    "record number four four eight eight one two",
]
SPOKEN_NOTE = ("patient name alma testcase she is seventy nine years old "
               "born on the twelfth of march nineteen forty four")


def font_path(bold: bool = False, name: str | None = None) -> Path | None:
    names = ([name] if name else []) + ["DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf",
                                        "LiberationSans-Regular.ttf", "DejaVuSerif.ttf"]
    for folder in FONT_DIRS:
        for name in names:
            if (folder / name).exists():
                return folder / name
    return None


def render_letter(lines: list[str] | None = None, *, rotate: float = 0.0, noise: float = 0.0,
                  size: int = 30, seed: int = 7, fmt: str = "PNG", font: str | None = None
                  ) -> bytes:
    """A white page with the letter's lines in a TTF font."""
    from PIL import Image, ImageDraw, ImageFont

    path = font_path(name=font)
    face = ImageFont.truetype(str(path), size) if path else ImageFont.load_default()
    lines = [part for line in (LETTER_LINES if lines is None else lines)
             for part in (textwrap.wrap(line, 64) or [""])]
    page = Image.new("L", (1400, 120 + 52 * len(lines) + 120), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((110, 120 + 52 * i), line, fill=20, font=face)
    if rotate:
        page = page.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if noise:
        rng = random.Random(seed)
        pixels = page.load()
        assert pixels is not None
        for _ in range(int(page.width * page.height * noise)):
            x, y = rng.randrange(page.width), rng.randrange(page.height)
            pixels[x, y] = rng.choice((0, 90, 170, 255))
    out = io.BytesIO()
    page.convert("RGB").save(out, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return out.getvalue()


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, *, voice: str = "en-us", speed: int = 140) -> bytes:
    """WAV bytes of ``text`` spoken by espeak-ng (22 050 Hz mono)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "note.wav"
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise RuntimeError("espeak-ng is not installed (scripts/install-tools.sh)")
        command = [binary, "-v", voice, "-s", str(speed), "-w", str(out), text]
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603
        return out.read_bytes()

# Held-out spoken notes for the word error rate: written by hand before the language-model
# corpus generator (``woundcare.intake.speechcorpus``) and never used to tune it. Part "known"
# uses names that are in the model's vocabulary (in new combinations, with new numbers and
# new wording); part "unknown" uses surnames and first names that the model has never seen,
# as a real patient's will be. Each note carries the fields a listener would take from it.
SPOKEN_HELDOUT: list[tuple[str, str, dict[str, object]]] = [
    ("known", "patient name greta testcase she is eighty four years old",
     {"patient.first_name": "greta", "patient.last_name": "testcase", "patient.age": 84}),
    ("known", "my name is ivan placeholder and i was born on the ninth of october nineteen "
     "thirty eight", {"patient.first_name": "ivan", "patient.last_name": "placeholder",
                      "patient.date_of_birth": "1938-10-09"}),
    ("known", "this is a sixty one year old woman with a pressure injury over the sacrum",
     {"patient.age": 61, "patient.sex": "female"}),
    ("known", "date of birth the second of february nineteen fifty two",
     {"patient.date_of_birth": "1952-02-02"}),
    ("known", "she agreed to photographs today but not to storing them", {}),
    ("known", "the ulcer on his left ankle measures four by three centimetres", {}),
    ("known", "first name noor last name sampleton", {"patient.first_name": "noor",
                                                      "patient.last_name": "sampleton"}),
    ("known", "hospital number three nine two zero five one", {"patient.mrn": "392051"}),
    ("known", "he is ninety years old and lives with his daughter",
     {"patient.age": 90}),
    ("known", "the dressing was changed yesterday and there is a small amount of exudate", {}),
    ("known", "my name is tomasz fakename i am sixty six",
     {"patient.first_name": "tomasz", "patient.last_name": "fakename", "patient.age": 66}),
    ("known", "the wound has been there for about two months and it is painful at night", {}),
    ("unknown", "patient name wilhelmina quorby she is seventy seven years old",
     {"patient.first_name": "wilhelmina", "patient.last_name": "quorby", "patient.age": 77}),
    ("unknown", "my name is anselm drubnik and i was born on the thirtieth of may nineteen "
     "forty nine", {"patient.first_name": "anselm", "patient.last_name": "drubnik",
                    "patient.date_of_birth": "1949-05-30"}),
    ("unknown", "the patient is a fifty eight year old man named oswin pellicot",
     {"patient.age": 58, "patient.sex": "male"}),
    ("unknown", "first name zephyrine surname mockworth",
     {"patient.first_name": "zephyrine", "patient.last_name": "mockworth"}),
]
