"""The console's static files, delivered for a slow clinic network: read once at start-up,
gzip-compressed once (when first asked for), served from memory under a content-hashed URL
prefix with a year-long immutable cache lifetime; ``index.html`` always revalidates.

How the hashing works (so the console's own modules need no build step): every file is
served at ``/assets/<hash>/<path>``, where ``<hash>`` is one digest of *all* the console's
files (paths and contents). ``index.html`` is rewritten at start-up to load
``/assets/<hash>/app.css`` and ``/assets/<hash>/js/main.js``; every relative import inside the
modules (``import "./x.js"``, ``import("../panels/y.js")``, ``../../vendor/preact.mjs``)
then resolves under the same prefix by itself. Any change to any file gives a new hash, so a
browser never mixes old and new modules, and nothing has to list the files. A request under an
older hash still gets the current file (a tab open across a deploy keeps working) but with
``no-cache``. The unprefixed paths (``/js/main.js``) keep working too, revalidated by ETag.

Every response carries a strong ETag (``If-None-Match`` answers ``304``) and
``Vary: Accept-Encoding``; a client that accepts gzip gets the precompressed bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

PREFIX = "/assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_COMPRESSIBLE = (".js", ".mjs", ".css", ".html", ".json", ".svg", ".txt", ".map", ".webmanifest")
_TYPES = {".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8",
          ".json": "application/json", ".svg": "image/svg+xml",
          ".webmanifest": "application/manifest+json", ".txt": "text/plain; charset=utf-8",
          ".ico": "image/vnd.microsoft.icon"}
_INDEX_REFS = re.compile(r'(<(?:script|link)\b[^>]*?\b(?:src|href)=")(?!https?:|/|data:)([^"]+)"')


@dataclass(frozen=True)
class Asset:
    body: bytes
    etag: str
    media_type: str
    compressible: bool = False

    @cached_property
    def gzipped(self) -> bytes | None:
        """The body gzip-compressed, if that is smaller; compressed once, on the first request
        that accepts gzip (not at start-up)."""
        if not self.compressible or len(self.body) <= 256:
            return None
        packed = gzip.compress(self.body, compresslevel=9, mtime=0)
        return packed if len(packed) < len(self.body) else None


class ConsoleAssets:
    """The ASGI app mounted at ``/`` for the console."""

    def __init__(self, directory: Path) -> None:
        files = sorted(p for p in directory.rglob("*") if p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(directory).parts))
        raw = {p.relative_to(directory).as_posix(): p.read_bytes() for p in files}
        digest = hashlib.sha256()
        for name, data in raw.items():
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        self.version = digest.hexdigest()[:16]
        self.prefix = f"{PREFIX}{self.version}/"
        if "index.html" in raw:
            raw["index.html"] = _INDEX_REFS.sub(
                lambda m: f'{m.group(1)}{self.prefix}{m.group(2)}"',
                raw["index.html"].decode("utf-8")).encode("utf-8")
        self.assets = {name: _asset(name, data) for name, data in raw.items()}

    def resolve(self, path: str) -> tuple[Asset | None, bool]:
        """(the asset, whether its URL carries the current hash)."""
        current = False
        if path.startswith(PREFIX):
            version, _, rest = path[len(PREFIX):].partition("/")
            current, path = version == self.version, rest
        name = path.lstrip("/")
        if name in ("", "index.html") or name.endswith("/"):
            name = (name + "index.html") if name.endswith("/") or not name else name
            return self.assets.get(name), False  # the entry point always revalidates
        return self.assets.get(name), current

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        scope["woundcare.static"] = True
        method = scope.get("method", "GET")
        asset, immutable = self.resolve(scope.get("path", "/"))
        if method not in ("GET", "HEAD"):
            await _plain(send, 405, b"Method Not Allowed", [(b"allow", b"GET, HEAD")])
            return
        if asset is None:
            await _plain(send, 404, b"Not Found")
            return
        headers = Headers(scope=scope)
        use_gzip = _accepts_gzip(headers.get("accept-encoding", "")) and asset.gzipped is not None
        etag = f'"{asset.etag}-gz"' if use_gzip else f'"{asset.etag}"'
        common = [(b"etag", etag.encode()), (b"vary", b"Accept-Encoding"),
                  (b"cache-control", (IMMUTABLE if immutable else REVALIDATE).encode())]
        if _matches(headers.get("if-none-match", ""), etag):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        body = asset.gzipped if use_gzip and asset.gzipped is not None else asset.body
        response_headers = [*common, (b"content-type", asset.media_type.encode()),
                            (b"content-length", str(len(body)).encode())]
        if use_gzip:
            response_headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})


def _asset(name: str, data: bytes) -> Asset:
    suffix = Path(name).suffix.lower()
    media_type = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Asset(data, hashlib.sha256(data).hexdigest()[:20], media_type,
                 compressible=suffix in _COMPRESSIBLE)


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            q = params.strip()
            if not q.startswith("q="):
                return True
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
    return False


def _matches(if_none_match: str, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


async def _plain(send: Send, status: int, body: bytes,
                 extra: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})
