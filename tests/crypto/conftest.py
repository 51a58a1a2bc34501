from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from woundcare.config import Settings

_KEY_ENV = (
    "FIELD_ENCRYPTION_KEY",
    "FIELD_ENCRYPTION_KEY_VERSION",
    "FIELD_ENCRYPTION_LEGACY_KEYS",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("WOUNDCARE_") or name in _KEY_ENV:
            monkeypatch.delenv(name)


@pytest.fixture
def make_settings(clean_env: None) -> Callable[..., Settings]:
    def make(**values: Any) -> Settings:
        return Settings(_env_file=None, **values)

    return make
