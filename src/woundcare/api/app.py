"""The application factory: routes, error handlers, middleware and the console's static files."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI

from woundcare import __version__, telemetry
from woundcare.api import concurrency
from woundcare.api.deps import Services
from woundcare.api.errors import install_error_handlers
from woundcare.api.middleware import (
    RateLimitMiddleware,
    RequestBodyMiddleware,
    RequestContextMiddleware,
)
from woundcare.api.openapi_docs import install_openapi
from woundcare.api.routes import (
    admin,
    admin_console,
    artifacts,
    auth,
    cases,
    export,
    home,
    measurements,
    ops,
    patients,
    session,
)
from woundcare.api.static_assets import ConsoleAssets
from woundcare.service.ratelimit import RateLimiter
from woundcare.service.runtime import Runtime

DESCRIPTION = """The woundcare HTTP API. Errors are `application/problem+json` with a stable
`code`, a sentence (`detail`), per-field `errors` and the `request_id`. Writes to a case need
`If-Match: "<version>"` and accept `Idempotency-Key`. See docs/runtime-bootstrap.md, section 7.
"""


def console_dir() -> Path | None:
    """The console's static files, if the console is installed (it has an index.html)."""
    directory = Path(str(resources.files("woundcare").joinpath("console", "static")))
    return directory if (directory / "index.html").is_file() else None


# Routers are matched in this order, one after another. Readiness first (one path, cheap to
# pass; see routes/ops.py), then the session's (autosaves and snapshot reads, most requests).
# No two routers' paths overlap.
ROUTERS = (ops.readiness, session.router, ops.router, auth.router, admin.router,
           admin_console.router, cases.router, artifacts.router, home.router, export.router,
           measurements.router, patients.router, export.admin_router)


def create_app(runtime: Runtime) -> FastAPI:
    started = threading.Event()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        started.set()  # the server is about to listen: work for after the start may begin
        yield

    # FastAPI's own OpenTelemetry bridge is off: woundcare.telemetry instruments the app and
    # the engine itself (with its redaction), so the bridge would only add a second set of
    # request spans and metrics - and look for a provider on every request.
    app = FastAPI(title="woundcare", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  lifespan=lifespan,
                  telemetry={"tracing": False, "metrics": False, "logs": False})
    app.state.started = started
    concurrency.configure(runtime.settings.request_threads,
                          runtime.settings.slow_request_threads,
                          # the gate's slots, and one more waiting to take a freed slot
                          credentials=min(runtime.passwords.gate.slots, 8) + 1)
    app.state.services = Services.build(runtime)
    app.state.runtime = runtime
    install_error_handlers(app)
    install_openapi(app)
    for router in ROUTERS:
        app.include_router(router)
    static = console_dir()
    if static is not None:
        # gzip, content-hashed immutable URLs, ETags: see api/static_assets.py
        app.mount("/", ConsoleAssets(static), name="console")
    limiter = RateLimiter(runtime)
    settings = runtime.settings
    # Added innermost first: the request context wraps everything.
    app.add_middleware(RateLimitMiddleware, check=limiter.per_client_async)
    app.add_middleware(RequestBodyMiddleware, max_body=settings.max_body_bytes,
                       max_upload=settings.max_upload_bytes)
    app.add_middleware(RequestContextMiddleware, metrics=runtime.metrics)
    telemetry.instrument_app(app)  # a no-op unless OTEL_*_EXPORTER asks for it
    return app
