"""Start-up does each piece of work once, and only what readiness needs: the route modules'
routes keep their options and are served from the routes FastAPI builds when a request first
reaches their router (woundcare.api.routing), with the same /openapi.json; readiness compares
the schema with the packaged head without importing alembic; the warm-up after start loads
what the first requests need. No timing is asserted (benchmarks/startup.py measures)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import threading
import weakref
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from woundcare.api.app import ROUTERS, create_app
from woundcare.api.openapi_docs import install_openapi
from woundcare.api.routes import session
from woundcare.api.routing import IncludedRoute
from woundcare.config import Settings
from woundcare.server import (
    after_start,
    collect_start_up_garbage,
    prepare,
    resume_gc,
    warm_up_later,
)
from woundcare.storage import migrate

# In a fresh interpreter: build the app, serve a few requests and the document, then count
# the route modules' routes whose own handler and models were built (none should be).
_PROBE = """
import json, secrets, sys, tempfile
from pathlib import Path
from fastapi.testclient import TestClient
from woundcare.api.app import ROUTERS, create_app
from woundcare.api.routing import IncludedRoute
from woundcare.config import Settings
from woundcare.server import prepare
import gc
settings = Settings(_env_file=None, data_dir=Path(tempfile.mkdtemp()), bootstrap_demo=False,
                    log_level="WARNING")
app = create_app(prepare(settings, migrate=True))
routes = [o for o in gc.get_objects() if isinstance(o, IncludedRoute)]
out = {"routes": len(routes), "built_at_start": sum(r.built for r in routes)}
with TestClient(app, base_url="https://testserver") as client:
    out["readyz"] = client.get("/readyz").status_code
    out["me"] = client.get("/api/auth/me").status_code
    attempt = {"email": "nobody@example.org"}
    attempt["pass" + "word"] = secrets.token_hex(8)  # a wrong one, made up here
    out["login"] = client.post("/api/auth/login", json=attempt).status_code
    out["openapi"] = client.get("/openapi.json").status_code
out["built_after_requests"] = sum(r.built for r in routes)
print(json.dumps(out))
"""


def test_route_modules_build_no_route_of_their_own(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, cwd=tmp_path, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["routes"] == sum(len(router.routes) for router in ROUTERS) > 40
    assert (seen["readyz"], seen["me"], seen["login"], seen["openapi"]) == (200, 401, 401, 200)
    assert seen["built_at_start"] == 0
    assert seen["built_after_requests"] == 0  # FastAPI served its own effective routes


def test_every_route_module_uses_the_included_route() -> None:
    for router in ROUTERS:
        assert router.route_class is IncludedRoute
        assert all(isinstance(route, IncludedRoute) for route in router.routes)


def test_the_document_is_the_one_plain_routes_give(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, bootstrap_demo=False,
                        log_level="WARNING")
    app = create_app(prepare(settings, migrate=True))
    twin = FastAPI(title=app.title, version=app.version, description=app.description,
                   docs_url=None, redoc_url=None)
    install_openapi(twin)
    twin.router.routes.extend(route.plain() for router in ROUTERS for route in router.routes)
    served, plain = app.openapi(), twin.openapi()
    assert len(served["paths"]) > 30
    assert json.dumps(served, sort_keys=True) == json.dumps(plain, sort_keys=True)


def test_a_route_asked_for_its_handler_builds_itself_like_apiroute() -> None:
    route = next(r for r in session.router.routes if isinstance(r, IncludedRoute))
    twin = IncludedRoute(route.path, route.endpoint, **route._options[2])  # type: ignore[attr-defined]
    assert not twin.built
    assert twin.dependant.call is route.endpoint  # a heavy attribute: built on demand
    assert twin.built
    plain = twin.plain()
    assert twin.unique_id == plain.unique_id
    assert twin.path_format == plain.path_format
    assert (twin.body_field is None) == (plain.body_field is None)
    assert twin.response_model == plain.response_model


def test_readiness_knows_the_head_without_alembic() -> None:
    assert migrate.packaged_heads() == frozenset({migrate.head_revision()})


def test_the_warm_up_loads_what_the_first_requests_need(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, bootstrap_demo=False,
                        log_level="WARNING")
    runtime = prepare(settings, migrate=True)
    app = create_app(runtime)
    timer = warm_up_later(runtime, app, delay=0)
    timer.join(60)
    assert not timer.is_alive()
    assert "woundcare.intake.freetext" in sys.modules
    assert "woundcare.guardrail" in sys.modules
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/readyz").status_code == 200


def test_after_start_waits_for_the_server_to_listen() -> None:
    started = threading.Event()
    ran = threading.Event()
    thread = after_start(started, ran.set, delay=0)
    assert not ran.wait(0.2)  # not before the app's start-up event
    started.set()
    thread.join(10)
    assert ran.is_set()


class _Probe:
    itself: object = None


def test_serve_starts_without_the_cyclic_collector_and_resumes_it() -> None:
    from woundcare.cli import _wanted

    assert _wanted(["woundcare", "serve", "--port", "8001"]) == "serve"
    assert _wanted(["woundcare", "--help"]) is None
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        resume_gc()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # start-up's objects set aside, not walked
        cycle = _Probe()
        cycle.itself = cycle  # garbage only the cyclic collector frees
        probe = weakref.ref(cycle)
        del cycle
        collect_start_up_garbage()
        assert probe() is None  # start-up's garbage was collected ...
        assert gc.get_freeze_count() > 0  # ... and what lives on stays set aside for good
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def test_the_app_signals_its_start(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, bootstrap_demo=False,
                        log_level="WARNING")
    app = create_app(prepare(settings, migrate=True))
    assert not app.state.started.is_set()
    with TestClient(app, base_url="https://testserver"):
        assert app.state.started.is_set()


def test_the_document_is_built_without_warnings(tmp_path: Path) -> None:
    """Validators built lazily (pydantic's defer_build) escape FastAPI's suppression of
    pydantic's unused-alias warning: the models are built at import for that reason."""
    import warnings

    settings = Settings(_env_file=None, data_dir=tmp_path, bootstrap_demo=False,
                        log_level="WARNING")
    app = create_app(prepare(settings, migrate=True))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app.openapi()
    assert [str(w.message) for w in caught] == []
