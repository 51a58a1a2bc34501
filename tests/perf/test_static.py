"""The console's delivery: gzip, content-hashed immutable URLs, ETag revalidation of the
entry point, the strict CSP on every file, and a module graph that resolves entirely under the
hashed prefix (lazily imported modules included)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from woundcare.api.app import console_dir
from woundcare.api.middleware import CONTENT_SECURITY_POLICY
from woundcare.api.static_assets import IMMUTABLE, ConsoleAssets

_IMPORTS = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}/[^"']+)["']""")


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    from tests.api.conftest import test_settings
    from woundcare.api.app import create_app
    from woundcare.service.runtime import build_runtime

    runtime = build_runtime(test_settings(tmp_path, f"sqlite:///{tmp_path / 'w.db'}"))
    return TestClient(create_app(runtime), base_url="https://testserver")


def _prefix(client: TestClient) -> str:
    index = client.get("/", headers={"Accept-Encoding": "identity"})
    match = re.search(r'src="(/assets/[0-9a-f]{16}/)js/main\.js"', index.text)
    assert match, index.text
    return match.group(1)


def test_index_revalidates_and_points_at_hashed_urls(client: TestClient) -> None:
    index = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert index.status_code == 200
    assert index.headers["cache-control"] == "no-cache"
    assert index.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in index.headers["vary"]
    assert index.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert 'href="/assets/' in index.text
    again = client.get("/", headers={"If-None-Match": index.headers["etag"],
                                     "Accept-Encoding": "gzip"})
    assert again.status_code == 304
    assert again.content == b""


def test_hashed_assets_are_immutable_gzipped_and_exact(client: TestClient) -> None:
    prefix = _prefix(client)
    static = console_dir()
    assert static is not None
    raw = client.get(f"{prefix}js/main.js", headers={"Accept-Encoding": "identity"})
    assert raw.status_code == 200
    assert raw.headers["cache-control"] == IMMUTABLE
    assert raw.headers["content-type"].startswith("text/javascript")
    assert "content-encoding" not in raw.headers
    assert raw.content == (static / "js" / "main.js").read_bytes()
    packed = client.get(f"{prefix}js/main.js", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["etag"] != raw.headers["etag"]
    assert packed.content == raw.content  # the client decompressed it
    assert int(packed.headers["content-length"]) < len(raw.content)
    assert client.get(f"{prefix}js/main.js", headers={
        "If-None-Match": raw.headers["etag"], "Accept-Encoding": "identity"}).status_code == 304
    head = client.head(f"{prefix}app.css")
    assert head.status_code == 200
    assert head.content == b""
    # an older hash (a tab open across a deploy) still works but is not cached for good
    stale = client.get("/assets/0000000000000000/js/main.js")
    assert stale.status_code == 200
    assert stale.headers["cache-control"] == "no-cache"
    plain = client.get("/js/main.js")
    assert plain.status_code == 200
    assert plain.headers["cache-control"] == "no-cache"
    assert client.get(f"{prefix}js/nope.js").status_code == 404
    assert client.post(f"{prefix}js/main.js").status_code == 405


def test_every_module_import_resolves_under_the_prefix(client: TestClient) -> None:
    prefix = _prefix(client)
    seen: set[str] = set()
    todo = ["js/main.js"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == IMMUTABLE
        for spec in _IMPORTS.findall(response.text):
            todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(path), spec)))
    assert "vendor/preact.mjs" in seen
    assert "js/components/timeline.js" in seen


def test_the_hash_follows_the_content(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<script type="module" src="js/a.js"></script>')
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    first = ConsoleAssets(tmp_path)
    assert first.version in first.assets["index.html"].body.decode()
    (tmp_path / "js" / "a.js").write_text("export const a = 2;\n")
    second = ConsoleAssets(tmp_path)
    assert second.version != first.version
    assert ConsoleAssets(tmp_path).version == second.version
