"""Reading scanned pages and photos of letters offline: an :class:`OcrEngine` adapter, and
Tesseract behind it (Debian's ``tesseract-ocr`` with English data, driven by pytesseract).

The page is prepared before recognition: EXIF orientation applied, greyscale, small images
scaled up, a slight rotation (a page photographed or scanned askew) measured from the text
pixels and undone. Nothing leaves the machine; no text is logged.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from typing import Protocol

from woundcare.messages import say

MAX_PIXELS = 40_000_000
MAX_DESKEW_DEGREES = 15.0


class OcrUnavailable(RuntimeError):
    """The OCR engine is not installed on this machine."""


class UnreadableImage(ValueError):
    """The bytes are not an image the engine can read."""


@dataclass(frozen=True)
class OcrResult:
    text: str
    engine: str
    mean_confidence: float | None = None  # 0-100 over recognised words, when the engine says


class OcrEngine(Protocol):
    """Any OCR engine: image bytes (PNG, JPEG, WebP, TIFF) in, text out."""

    name: str

    def read(self, image: bytes) -> OcrResult: ...


def _prepare(image: bytes) -> object:
    """A greyscale, upright, deskewed PIL image ready for recognition."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise UnreadableImage(say("error.document.image_too_large"))
            opened.load()
            page = ImageOps.exif_transpose(opened).convert("L")
    except UnreadableImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):
        raise UnreadableImage(say("error.api.image_unreadable")) from None
    if page.width < 1200:  # small photos: scale up so glyphs are ~20-30 px high
        factor = 1200 / page.width
        page = page.resize((1200, max(1, round(page.height * factor))), Image.Resampling.LANCZOS)
    return _deskew(page)


def _deskew(page: object) -> object:
    """Undo a slight rotation: the angle at which the rows of dark (text) pixels are sharpest
    (the variance of the horizontal projection is largest), searched coarse then fine on a
    reduced copy of the page."""
    import numpy as np
    from PIL import Image, ImageOps

    assert isinstance(page, Image.Image)
    small = page.copy()
    small.thumbnail((700, 700))
    ink = ImageOps.invert(small)  # text bright on black: rotation fills with black (no ink)
    if not np.asarray(ink).any():
        return page

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.BILINEAR),
                          dtype=np.float64).sum(axis=1)
        return float(np.var(rows))

    best = max(np.arange(-MAX_DESKEW_DEGREES, MAX_DESKEW_DEGREES + 0.01, 1.5), key=sharpness)
    fine = max(np.arange(best - 1.0, best + 1.01, 0.25), key=sharpness)
    if abs(fine) < 0.2:
        return page
    return page.rotate(float(fine), resample=Image.Resampling.BICUBIC, expand=True,
                       fillcolor=255)


class TesseractOcr:
    """Tesseract 4/5 (LSTM) through pytesseract; English by default."""

    name = "tesseract"

    def __init__(self, language: str = "eng", timeout_seconds: float = 60.0) -> None:
        self.language = language
        self.timeout = timeout_seconds

    @staticmethod
    def available() -> bool:
        return shutil.which("tesseract") is not None

    def read(self, image: bytes) -> OcrResult:
        import pytesseract

        if not self.available():
            raise OcrUnavailable(say("error.document.ocr_unavailable"))
        page = _prepare(image)
        try:
            data = pytesseract.image_to_data(page, lang=self.language, config="--psm 3",
                                             timeout=self.timeout,
                                             output_type=pytesseract.Output.DICT)
        except RuntimeError as exc:  # pytesseract raises RuntimeError on its timeout
            raise OcrUnavailable(say("error.document.ocr_timeout")) from exc
        return OcrResult(text=_lines(data), engine=self.name,
                         mean_confidence=_confidence(data))


def _lines(data: dict[str, list[object]]) -> str:
    """Tesseract's words joined back into their lines and blocks."""
    out: list[str] = []
    key: tuple[object, ...] | None = None
    block: object = None
    for i, word in enumerate(data["text"]):
        text = str(word).strip()
        if not text:
            continue
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if key is None:
            out.append(text)
        elif line != key:
            out.append(("\n\n" if data["block_num"][i] != block else "\n") + text)
        else:
            out.append(" " + text)
        key, block = line, data["block_num"][i]
    return "".join(out)


def _confidence(data: dict[str, list[object]]) -> float | None:
    values = [float(str(c)) for c, t in zip(data["conf"], data["text"], strict=False)
              if str(t).strip() and float(str(c)) >= 0]
    return sum(values) / len(values) if values else None


def character_accuracy(expected: str, found: str) -> float:
    """1 - (Levenshtein distance / expected length), on whitespace-normalised text."""
    a = " ".join(expected.split())
    b = " ".join(found.split())
    if not a:
        return 1.0 if not b else 0.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return max(0.0, 1.0 - previous[-1] / len(a))
