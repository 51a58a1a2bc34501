"""Scanned letters through Tesseract and voice notes through pocketsphinx, offline, on inputs
the tests make (a letter rendered with a system font, a note spoken by espeak-ng)."""

from __future__ import annotations

import io
import os
import struct
import wave
from datetime import date
from typing import Any

import pytest
from tests.api.conftest import Api

from woundcare.intake import parse_free_text
from woundcare.intake.documents import NoTextFound, Readers, read_text
from woundcare.intake.ocr import OcrResult, TesseractOcr, character_accuracy
from woundcare.intake.speech import (
    PocketsphinxSpeech,
    Transcript,
    UnsupportedAudio,
    wav_to_pcm16k,
    word_error_rate,
)
from woundcare.intake.synthetic import (
    LETTER_FIELDS,
    LETTER_LINES,
    SPOKEN_NOTE,
    espeak_available,
    render_letter,
    speak,
)

TODAY = date(2025, 6, 15)


def need(ok: bool, what: str) -> None:
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} is required under CI (scripts/install-tools.sh installs it)")
        pytest.skip(f"{what} is not installed (scripts/install-tools.sh installs it)")


def fields_of(text: str) -> dict[str, object]:
    parsed = parse_free_text(text, date_locale="dmy", today=TODAY)
    return {f.path: f.value.isoformat() if isinstance(f.value, date) else f.value
            for f in parsed.fields}


@pytest.mark.parametrize(("rotate", "noise", "fmt"), [(0.0, 0.0, "PNG"), (2.5, 0.002, "JPEG"),
                                                      (-4.0, 0.01, "PNG")])
def test_a_rendered_letter_is_read_and_parsed(rotate: float, noise: float, fmt: str) -> None:
    need(TesseractOcr.available(), "Tesseract")
    found = read_text(render_letter(rotate=rotate, noise=noise, fmt=fmt),
                      "image/png" if fmt == "PNG" else "image/jpeg")
    assert found.read_by == "ocr"
    assert found.engine == "tesseract"
    assert character_accuracy("\n".join(LETTER_LINES), found.text) >= 0.95
    got = fields_of(found.text)
    assert {k: got.get(k) for k in LETTER_FIELDS} == LETTER_FIELDS


def test_a_scanned_pdf_without_a_text_layer_is_rendered_and_read() -> None:
    from PIL import Image

    need(TesseractOcr.available(), "Tesseract")
    out = io.BytesIO()
    Image.open(io.BytesIO(render_letter())).convert("RGB").save(out, format="PDF", resolution=150)
    found = read_text(out.getvalue(), "application/pdf")
    assert found.read_by == "ocr"
    assert fields_of(found.text)["patient.mrn"] == "448812"


def test_an_image_with_no_text_says_so() -> None:
    from PIL import Image

    need(TesseractOcr.available(), "Tesseract")
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(out, format="PNG")
    with pytest.raises(NoTextFound):
        read_text(out.getvalue(), "image/png")


class FakeOcr:
    name = "fake"

    def read(self, image: bytes) -> OcrResult:
        return OcrResult(text="Patient: Testy Testcase", engine=self.name)


class FakeSpeech:
    name = "fake-speech"

    def transcribe(self, wav: bytes) -> Transcript:
        return Transcript(text="my name is testy testcase", engine=self.name, seconds=1.0)


def test_another_engine_plugs_in_behind_the_adapters() -> None:
    readers = Readers(ocr=FakeOcr(), speech=FakeSpeech())
    assert read_text(b"\x89PNG", "image/png", readers).text == "Patient: Testy Testcase"
    voice = read_text(b"RIFF", "audio/wav", readers)
    assert (voice.read_by, voice.engine, voice.text) == ("speech", "fake-speech",
                                                          "my name is testy testcase")


def _wav(rate: int, channels: int, width: int, frames: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(b"\x00" * frames * channels * width)
    return out.getvalue()


@pytest.mark.parametrize(("rate", "channels", "width"), [(16000, 1, 2), (44100, 2, 2),
                                                         (8000, 1, 1), (48000, 1, 4),
                                                         (22050, 2, 3)])
def test_wav_is_converted_to_16k_mono(rate: int, channels: int, width: int) -> None:
    pcm, seconds = wav_to_pcm16k(_wav(rate, channels, width, rate))
    assert seconds == pytest.approx(1.0)
    assert abs(len(pcm) // 2 - 16000) <= 1


@pytest.mark.parametrize("data", [b"OggS" + b"\x00" * 64, b"ID3" + b"\x00" * 64,
                                  b"RIFF" + struct.pack("<I", 4) + b"WAVE"])
def test_audio_that_is_not_readable_wav_is_refused_clearly(data: bytes) -> None:
    with pytest.raises(UnsupportedAudio, match="WAV"):
        wav_to_pcm16k(data)
    media = "audio/ogg" if data.startswith(b"OggS") else "audio/mpeg"
    with pytest.raises(NoTextFound, match="WAV"):
        read_text(data, media if not data.startswith(b"RIFF") else "audio/wav")


def test_a_spoken_note_is_transcribed_offline() -> None:
    need(espeak_available(), "espeak-ng")
    need(PocketsphinxSpeech.available(), "pocketsphinx")
    transcript = PocketsphinxSpeech().transcribe(speak(SPOKEN_NOTE))
    assert transcript.engine == "pocketsphinx"
    assert transcript.seconds > 2
    words = transcript.text.split()
    assert words, "the recogniser returned nothing"
    assert word_error_rate(SPOKEN_NOTE, transcript.text) < 1.5  # measured, not a quality bar


def test_measures() -> None:
    assert character_accuracy("abc", "abc") == 1.0
    assert character_accuracy("abcd", "abxd") == 0.75
    assert word_error_rate("a b c d", "a x c") == 0.5
    assert word_error_rate("", "") == 0.0


# ----------------------------------------------------------------------------- API

def _upload(api: Api, case: dict[str, Any], name: str, data: bytes, media: str,
            kind: str) -> dict[str, Any]:
    return api.step(case, "artifacts", files={"file": (name, data, media)}, data={"kind": kind})


def _parse(api: Api, case: dict[str, Any]) -> Any:
    artifact = case["record"]["artifacts"][-1]
    return api.post(f"/api/session/{case['case_id']}/artifacts/{artifact['artifact_id']}/parse")


def test_api_a_photographed_letter_becomes_a_proposal(api: Api) -> None:
    from PIL import Image

    need(TesseractOcr.available(), "Tesseract")
    image = Image.open(io.BytesIO(render_letter(rotate=2.0, noise=0.002, fmt="JPEG")))
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make: must not be stored
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    case = api.fire(api.create_case(), "BEGIN")
    case = _upload(api, case, "letter.jpg", out.getvalue(), "image/jpeg", "document")
    artifact = case["record"]["artifacts"][-1]
    assert artifact["kind"] == "document"
    stored = api.get(f"/api/session/{case['case_id']}/artifacts/{artifact['artifact_id']}")
    assert b"SyntheticCam" not in stored.content
    response = _parse(api, case)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["read_by"] == "ocr"
    got = {f["path"]: f["value"] for f in body["fields"]}
    assert got["patient.first_name"] == "Alma"
    assert got["patient.mrn"] == "448812"
    after = api.get(f"/api/session/{case['case_id']}").json()
    assert after["record"]["patient"]["first_name"] is None  # a proposal saves nothing


def test_api_a_voice_note_becomes_a_proposal_and_other_audio_is_refused(api: Api) -> None:
    need(espeak_available(), "espeak-ng")
    case = api.fire(api.create_case(), "BEGIN")
    case = _upload(api, case, "note.wav", speak(SPOKEN_NOTE), "audio/wav", "audio")
    response = _parse(api, case)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["read_by"] == "speech"
    assert body["text"]
    assert set(body) >= {"fields", "consent", "ambiguities", "source_artifact_id"}
    case = api.get(f"/api/session/{case['case_id']}").json()
    case = _upload(api, case, "note.m4a", b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 64,
                   "audio/mp4", "audio")
    refused = _parse(api, case)
    assert refused.status_code == 422
    assert refused.json()["code"] == "no_text_found"
    assert "WAV" in refused.json()["detail"]


def test_an_oversized_page_is_refused_clearly() -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (7000, 7000), 1).save(out, format="PNG")
    with pytest.raises(NoTextFound, match="too large"):
        read_text(out.getvalue(), "image/png")


def test_a_decompression_bomb_uploaded_as_a_letter_is_refused_not_a_5xx(api: Api) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(out, format="PNG")
    case = api.fire(api.create_case(), "BEGIN")
    response = api.post(f"/api/session/{case['case_id']}/artifacts", case["version"],
                        files={"file": ("bomb.png", out.getvalue(), "image/png")},
                        data={"kind": "document"})
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "image_too_large"
