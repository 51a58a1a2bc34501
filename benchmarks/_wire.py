"""A lean HTTP/1.1 keep-alive client for the load benchmark: one connection per simulated
clinician, requests written as bytes and responses read by ``Content-Length``.

pgbench drives PostgreSQL from C and costs the machine little; an HTTP client library in
Python costs a third of a core at these rates on a 2-core machine, CPU the server under test
then does not get. This client does the least a keep-alive client must (status line, headers,
a body of known length), so the ratio compares the server with the database, not two
clients. It is for the benchmark only: no TLS, no redirects, no chunked bodies (the server
always sends ``Content-Length`` for JSON).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any


class HTTPError(Exception):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"HTTP {status}: {body[:200]!r}")
        self.status = status


class Response:
    __slots__ = ("content", "headers", "status")

    def __init__(self, status: int, headers: dict[str, str], content: bytes) -> None:
        self.status = status
        self.headers = headers
        self.content = content

    def json(self) -> Any:
        return json.loads(self.content)

    def raise_for_status(self) -> None:
        if self.status >= 400:
            raise HTTPError(self.status, self.content)


class WireClient:
    """One keep-alive connection to ``host:port``; requests are sent one at a time."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.headers: dict[str, str] = {}
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def request(self, method: str, path: str, *, json_body: Any = None,
                      headers: dict[str, str] | None = None) -> Response:
        body = b"" if json_body is None else json.dumps(json_body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(body)}"]
        if json_body is not None:
            lines.append("Content-Type: application/json")
        for name, value in {**self.headers, **(headers or {})}.items():
            lines.append(f"{name}: {value}")
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        reused = self._writer is not None and not self._writer.is_closing()
        reader, writer = await self._connect()
        try:
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            # The server closes a keep-alive connection idle past its timeout; a request
            # written into such a connection gets no answer at all: send it again, once.
            partial = getattr(exc, "partial", b"")
            if not reused or partial:
                raise
            await self.aclose()
            reader, writer = await self._connect()
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        found: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            found[name.strip().lower()] = value.strip()
        if "content-length" not in found:
            raise HTTPError(status, b"response without Content-Length")
        content = await reader.readexactly(int(found["content-length"]))
        if found.get("connection", "").lower() == "close":
            await self.aclose()
        return Response(status, found, content)

    async def get(self, path: str, **kwargs: Any) -> Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, *, json: Any = None, **kwargs: Any) -> Response:
        return await self.request("POST", path, json_body=json, **kwargs)

    async def aclose(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None
