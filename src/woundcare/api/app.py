"""The application factory: routes, error handlers, middleware and the console's static files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from woundcare import __version__
from woundcare.api.deps import Services
from woundcare.api.errors import install_error_handlers
from woundcare.api.middleware import (
    RateLimitMiddleware,
    RequestBodyMiddleware,
    RequestContextMiddleware,
)
from woundcare.api.routes import (
    admin,
    artifacts,
    auth,
    cases,
    measurements,
    ops,
    patients,
    session,
)
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


class _Console(StaticFiles):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["woundcare.static"] = True
        await super().__call__(scope, receive, send)


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="woundcare", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.services = Services.build(runtime)
    app.state.runtime = runtime
    install_error_handlers(app)
    for module in (ops, auth, admin, cases, session, artifacts, measurements, patients):
        app.include_router(module.router)
    static = console_dir()
    if static is not None:
        app.mount("/", _Console(directory=static, html=True), name="console")
    limiter = RateLimiter(runtime)
    settings = runtime.settings
    # Added innermost first: the request context wraps everything.
    app.add_middleware(RateLimitMiddleware, check=limiter.per_client)
    app.add_middleware(RequestBodyMiddleware, max_body=settings.max_body_bytes,
                       max_upload=settings.max_upload_bytes)
    app.add_middleware(RequestContextMiddleware, metrics=runtime.metrics)
    return app
