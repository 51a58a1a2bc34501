"""The layers stay visible: inner layers never import outer ones (checked from the source)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "woundcare"

# package -> what it must never import (third-party web/database libraries or outer layers)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": ("fastapi", "starlette", "sqlalchemy", "psycopg", "cryptography", "httpx",
               "woundcare.workflow", "woundcare.agents", "woundcare.storage", "woundcare.api",
               "woundcare.service", "woundcare.crypto"),
    "messages": ("fastapi", "starlette", "sqlalchemy", "psycopg", "httpx", "woundcare.domain",
                 "woundcare.workflow", "woundcare.agents", "woundcare.storage", "woundcare.api",
                 "woundcare.service", "woundcare.crypto", "woundcare.intake"),
    "guardrail": ("fastapi", "sqlalchemy", "woundcare.storage", "woundcare.api",
                  "woundcare.service"),
    "workflow": ("fastapi", "starlette", "sqlalchemy", "psycopg", "woundcare.storage",
                 "woundcare.api", "woundcare.service", "woundcare.crypto"),
    "agents": ("fastapi", "starlette", "sqlalchemy", "psycopg", "woundcare.storage",
               "woundcare.api", "woundcare.service", "woundcare.crypto"),
    "storage": ("fastapi", "starlette", "woundcare.api", "woundcare.service"),
    "crypto": ("fastapi", "sqlalchemy", "woundcare.api", "woundcare.service"),
    "service": ("fastapi", "starlette", "woundcare.api"),
    "telemetry": ("fastapi", "starlette", "sqlalchemy", "woundcare.api", "woundcare.service",
                  "woundcare.storage"),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_from_outer_layers(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no sources in {layer}"
    offences = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files
        for name in sorted(imports_of(path))
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer])
    ]
    assert not offences, offences
