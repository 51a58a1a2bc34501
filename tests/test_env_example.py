"""`.env.example` lists every setting (and only placeholders)."""

from __future__ import annotations

from pathlib import Path

from woundcare.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _env_names(field_name: str) -> set[str]:
    info = Settings.model_fields[field_name]
    alias = info.validation_alias
    names = {f"WOUNDCARE_{field_name.upper()}"}
    if isinstance(alias, str):
        names.add(alias)
    return names


def test_every_setting_is_in_env_example() -> None:
    listed = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
              if line and not line.startswith("#")}
    missing = [name for name in Settings.model_fields if not _env_names(name) & listed]
    assert not missing, f"settings missing from .env.example: {missing}"
    unknown = {n for n in listed if n.startswith("WOUNDCARE_")} - {
        f"WOUNDCARE_{name.upper()}" for name in Settings.model_fields}
    assert not unknown, f".env.example names settings that do not exist: {unknown}"
