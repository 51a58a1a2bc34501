"""A fake FHIR server on loopback for the delivery tests: it processes transaction bundles
with conditional creates (``ifNoneExist``), and can be told to fail the first requests with
5xx, to answer slower than the client's timeout, or to hang until released."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse


@dataclass
class Script:
    fail_first: list[int] = field(default_factory=list)  # statuses for the first requests
    slow_first: int = 0  # then this many requests sleep past the timeout
    slow_seconds: float = 3.0
    hang: threading.Event | None = None  # if set: the first request waits for it


@dataclass
class FakeFhir:
    script: Script
    requests: int = 0
    received: threading.Event = field(default_factory=threading.Event)
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)  # ifNoneExist -> resource
    bundles: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def counts(self) -> Counter[str]:
        return Counter(r["resourceType"] for r in self.stored.values())


def _app(fake: FakeFhir) -> FastAPI:
    app = FastAPI()

    @app.post("/fhir")
    def transaction(bundle: dict[str, Any] = Body(...)) -> JSONResponse:
        with fake.lock:
            fake.requests += 1
            n = fake.requests
        fake.received.set()
        script = fake.script
        if script.hang is not None and n == 1:
            while not script.hang.is_set():
                time.sleep(0.05)
        if n <= len(script.fail_first):
            return JSONResponse({"resourceType": "OperationOutcome"},
                                status_code=script.fail_first[n - 1])
        if n <= len(script.fail_first) + script.slow_first:
            time.sleep(script.slow_seconds)
        responses = []
        with fake.lock:
            fake.bundles[bundle["identifier"]["value"]] += 1
            for entry in bundle["entry"]:
                key = entry["request"]["ifNoneExist"]
                status = "200 OK" if key in fake.stored else "201 Created"
                fake.stored.setdefault(key, entry["resource"])
                responses.append({"response": {"status": status}})
        return JSONResponse({"resourceType": "Bundle", "type": "transaction-response",
                             "entry": responses})

    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Running:
    def __init__(self, script: Script) -> None:
        self.fake = FakeFhir(script)
        self.port = free_port()
        config = uvicorn.Config(_app(self.fake), host="127.0.0.1", port=self.port,
                                log_level="error", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/fhir"

    def __enter__(self) -> Running:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake FHIR server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fake.script.hang is not None:
            self.fake.script.hang.set()
        self.server.should_exit = True
        self.thread.join(timeout=10)
