"""``woundcare serve``: configuration checks, first-start bootstrap, uvicorn.

On the embedded default (SQLite under ``data_dir``, profile ``dev``) the first start migrates
the database, creates a demo organisation with one clinician, and prints how to log in - once,
to the terminal only (never to the log). ``prod`` refuses insecure configuration with a list
of what to fix.
"""

from __future__ import annotations

import os
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from woundcare.config import Profile, Settings
from woundcare.logging import configure_logging, get_logger
from woundcare.service.metrics import MetricsServer
from woundcare.service.runtime import Runtime, build_runtime
from woundcare.storage.identity import Identity
from woundcare.storage.schema import organisations

log = get_logger("woundcare.server")

DEMO_EMAIL = "demo@example.test"
DEMO_ORGANISATION = "Demo clinic (synthetic data only)"


class InsecureConfiguration(SystemExit):
    def __init__(self, reasons: list[str]) -> None:
        lines = "\n".join(f"  - {reason}" for reason in reasons)
        super().__init__(f"Refusing to start in the prod profile:\n{lines}")
        self.reasons = reasons


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    pin: str


def check_configuration(settings: Settings) -> None:
    reasons = settings.insecure_reasons() + database_role_reasons(settings)
    if reasons and settings.profile is Profile.PROD:
        raise InsecureConfiguration(reasons)
    if reasons:
        log.warning("config.insecure", profile=settings.profile.value, reasons=reasons)


def database_role_reasons(settings: Settings) -> list[str]:
    """Outside ``dev``, on PostgreSQL: why the application's database role could get around
    row-level security (a superuser, BYPASSRLS, or owner of the tables it queries)."""
    if settings.profile is Profile.DEV or settings.uses_sqlite:
        return []
    from woundcare.storage.roles import app_role_problems

    try:
        problems = app_role_problems(settings.database_url)
    except Exception as exc:
        return [f"WOUNDCARE_DATABASE_URL: could not check the role ({type(exc).__name__})."]
    return [f"WOUNDCARE_DATABASE_URL: the application role {problem}; it must own nothing "
            "and be subject to row-level security." for problem in problems]


def migrate_if_embedded(settings: Settings, runtime: Runtime, force: bool | None) -> None:
    """SQLite migrates itself; PostgreSQL migrates only when asked (as the owner role)."""
    from woundcare.storage import migrate

    if force is False:
        return
    if settings.uses_sqlite:
        if not force and migrate.is_current(runtime.db.engine):
            return  # a restart: no alembic import, no migration environment
        migrate.upgrade(runtime.db.engine.url)
    elif force:
        migrate.upgrade(settings.migration_database_url or settings.database_url)


def bootstrap_demo(runtime: Runtime) -> DemoLogin | None:
    """Create a demo organisation and clinician if the database has no organisation yet."""
    settings = runtime.settings
    if settings.profile is not Profile.DEV or not settings.bootstrap_demo \
            or not settings.uses_sqlite:
        return None
    with runtime.db.unit_of_work(None) as uow:
        if uow.conn.execute(sa.select(sa.func.count()).select_from(organisations)).scalar_one():
            return None
        org = uow.organisations.create(DEMO_ORGANISATION)
        password = secrets.token_urlsafe(12)
        clinician = uow.clinicians.create(
            email=DEMO_EMAIL, display_name="Demo Clinician",
            password_hash=runtime.passwords.hash(password), role="org_admin",
            organisation_id=org.id)
    pin = f"{secrets.randbelow(10**6):06d}"
    identity = Identity(org.id, clinician.id, "org_admin")
    with runtime.db.unit_of_work(identity) as uow:
        uow.clinicians.set_pin_hash(clinician.id, runtime.pins.hash(pin))
    log.info("bootstrap.demo", organisation_id=str(org.id), clinician_id=str(clinician.id))
    return DemoLogin(DEMO_EMAIL, password, pin)


def announce(demo: DemoLogin, host: str, port: int, out: Callable[[str], None]) -> None:
    """The one-time log-in note: the terminal only (stdout), never the log."""
    out("")
    out("  woundcare - first start: a demo organisation was created (synthetic data only).")
    out(f"  Open   http://{host}:{port}/")
    out(f"  Log in {demo.email}")
    out(f"  Password {demo.password}")
    out(f"  PIN    {demo.pin}   (for signing records)")
    out("  This is shown once; change the password after logging in.")
    out("")


def prepare(settings: Settings, *, migrate: bool | None = None,
            out: Callable[[str], None] | None = None) -> Runtime:
    configure_logging(settings.log_level, json_lines=settings.log_json,
                      log_file=settings.log_file)
    check_configuration(settings)
    configure_telemetry()
    runtime = build_runtime(settings)
    migrate_if_embedded(settings, runtime, migrate)
    demo = bootstrap_demo(runtime)
    if demo is not None:
        announce(demo, settings.host, settings.port, out or _stdout)
    if runtime.keys.dev_fallback:
        log.warning("keys.development", reasons=list(runtime.keys.dev_fallback))
    log.info("server.prepared", profile=settings.profile.value,
             database=runtime.db.dialect)
    return runtime


def configure_telemetry() -> None:
    """OpenTelemetry from the standard OTEL_* variables; off (and not imported) by default."""
    from woundcare import __version__, telemetry

    if telemetry.configure(service_version=__version__) is not None:
        log.info("telemetry.enabled", count=len(telemetry.trace_exporters()))


def start_metrics_listener(settings: Settings, runtime: Runtime | None) -> MetricsServer | None:
    """Prometheus metrics on their own port (``WOUNDCARE_METRICS_PORT``; 0: none). In
    multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``) it serves every worker's values added up,
    so start it once, in the supervising process."""
    from woundcare.service.metrics import start_metrics_server

    if not settings.metrics_port:
        log.info("metrics.disabled")
        return None
    if settings.metrics_port == settings.port:
        raise SystemExit("WOUNDCARE_METRICS_PORT must differ from the API port: metrics are "
                         "not served to the public.")
    server = start_metrics_server(None if runtime is None else runtime.metrics,
                                  settings.metrics_host, settings.metrics_port)
    log.info("metrics.listening", host=settings.metrics_host, port=server.port)
    return server


def prepare_worker_metrics(settings: Settings, workers: int) -> str | None:
    """For ``workers > 1``: prometheus-client's multiprocess mode. Uses
    ``PROMETHEUS_MULTIPROC_DIR`` if set, else ``<data_dir>/prometheus-multiproc``; the
    directory is emptied (values of a previous run must not be added in) and exported to the
    workers' environment. Returns the directory, or None for a single process."""
    import os
    from pathlib import Path

    from woundcare.service.metrics import MULTIPROC_ENV

    if workers <= 1:
        return None
    directory = Path(os.environ.get(MULTIPROC_ENV) or settings.data_dir / "prometheus-multiproc")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(directory)
    return str(directory)


def _stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def serve(settings: Settings, *, host: str | None = None, port: int | None = None,
          migrate: bool | None = None, workers: int | None = None) -> None:
    import uvicorn

    host = host or settings.host
    port = port or settings.port
    settings = settings.model_copy(update={"host": host, "port": port})
    check_port_free(host, port)
    runtime = prepare(settings, migrate=migrate)
    count = worker_count(settings, workers)
    log.info("server.start", listen=f"http://{host}:{port}", port=port,
             profile=settings.profile.value, workers=count)
    if count == 1:
        from woundcare.api.app import create_app

        app = create_app(runtime)
        started = app.state.started  # set by the app's lifespan, as uvicorn starts listening
        resume_gc()
        warm_up_later(runtime, app, started=started)
        _run_with_services(settings, runtime,
                           lambda: uvicorn.run(app, **uvicorn_options(settings)),
                           started=started)
        return
    # Several worker processes: each builds its own runtime (engine, pool, limiter) from the
    # same settings; migrations and the demo bootstrap ran once, above.
    runtime.db.dispose()
    os.environ["WOUNDCARE_HOST"], os.environ["WOUNDCARE_PORT"] = host, str(port)
    # prometheus-client's multiprocess mode: the workers write their values to one directory
    # (inherited through the environment), the listener started here adds them up.
    prepare_worker_metrics(settings, count)
    resume_gc()
    after_start(None, collect_start_up_garbage, delay=AFTER_START_S)
    from woundcare.supervisor import run_workers

    _run_with_services(settings, runtime, lambda: run_workers(
        "woundcare.server:worker_app", count, factory=True, **uvicorn_options(settings)))


def resume_gc() -> None:
    """Turn the cyclic garbage collector back on (``woundcare serve`` starts with it off),
    with everything start-up made set aside (``gc.freeze``): otherwise the first collection
    would walk all of it, in the first request. :func:`collect_start_up_garbage` puts it
    back under the collector after the start."""
    import gc

    gc.freeze()
    gc.enable()


def collect_start_up_garbage() -> None:
    """After the start (in the warm-up): start-up's garbage is collected, and what is left
    (modules, compiled patterns, models, routes: about 100,000 objects that live as long as
    the process) is set aside for good (``gc.freeze``). A full collection walked all of it
    otherwise: ~20 ms with the interpreter lock held, every few seconds under load, a stall
    of every request in the worker (measured with ``gc.collect()`` after the warm-up)."""
    import gc

    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _run_with_services(settings: Settings, runtime: Runtime, run: Callable[[], None],
                       started: threading.Event | None = None) -> None:
    """Run the server with its companions: the metrics listener on its own port, the
    scheduled housekeeping (expired idempotency records) and, on the embedded default, the
    delivery worker (reports, deliveries, due shredding); all stop with the server. With
    ``started`` (the app's start-up event, one process) housekeeping and delivery begin
    :data:`AFTER_START_S` after the server listens: their first rounds (the delivery worker
    imports the HTTP client and the report renderer) would otherwise compete with the
    start-up for the interpreter."""
    from woundcare.service.housekeeping import Housekeeper

    metrics_server = start_metrics_listener(settings, runtime)
    housekeeper = Housekeeper(runtime)
    companions: list[Callable[[], None]] = [housekeeper.start]
    delivery = None
    if settings.uses_sqlite and settings.serve_delivery:  # the embedded default: one process
        from woundcare.service.embedded_delivery import EmbeddedDelivery

        delivery = EmbeddedDelivery(runtime)
        companions.append(delivery.start)
    if started is None:
        for begin in companions:
            begin()
    else:
        after_start(started, *companions, name="woundcare-companions")
    try:
        run()
    finally:
        if delivery is not None:
            delivery.stop()
        housekeeper.stop()
        if metrics_server is not None:
            metrics_server.close()
        from woundcare import telemetry

        telemetry.reset()


def worker_count(settings: Settings, requested: int | None = None) -> int:
    """``--workers``, else ``WOUNDCARE_WORKERS``, else one per CPU (at most 8). Without Redis
    the rate-limit counters live in the process, so the automatic default is one worker
    there (several would each allow the full limit); an explicit number is obeyed."""
    explicit = requested if requested is not None else settings.workers
    if explicit and explicit > 0:
        return explicit
    if not settings.redis_url:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def worker_app() -> Any:
    """The ASGI app of one worker process (``uvicorn --factory``)."""
    from woundcare.api.app import create_app
    from woundcare.config import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json,
                      log_file=settings.log_file)
    configure_telemetry()  # each worker its own providers (off unless OTEL_* asks)
    runtime = build_runtime(settings)
    app = create_app(runtime)
    warm_up_later(runtime, app, started=app.state.started)
    return app


#: How long after the server starts listening the work it does not need for readiness begins
#: (the warm-up, the first housekeeping and delivery rounds): the readiness probe and the first
#: requests arrive in that gap and do not share the interpreter with it.
AFTER_START_S = 0.5
#: The longest a companion waits for the start-up event before beginning anyway.
START_WAIT_S = 60.0


def after_start(started: threading.Event | None, *actions: Callable[[], None],
                delay: float = AFTER_START_S, name: str = "woundcare-after-start",
                ) -> threading.Thread:
    """Run ``actions`` in a daemon thread, ``delay`` seconds after ``started`` is set (at
    once if it is None); a failing action is logged by type and the others still run."""

    def run() -> None:
        if started is not None:
            started.wait(START_WAIT_S)
        if delay > 0:
            time.sleep(delay)
        for action in actions:
            try:
                action()
            except Exception as exc:  # never stops the server
                log.warning("server.after_start_failed", error=type(exc).__name__)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def warm_up_later(runtime: Runtime, app: Any = None, delay: float = AFTER_START_S,
                  started: threading.Event | None = None) -> threading.Thread:
    """What the first requests need but start-up does not is loaded shortly after the server
    is up (``started``, the app's start-up event; else from now), off the request path, so
    neither the start nor the first clinician pays for it: the guardrail's compiled patterns,
    the free-text parser's rules, the message templates' patterns, the rate-limit backend and
    the served form of every route (FastAPI builds an included router's routes when a request
    first reaches it; see woundcare.api.routing). Then start-up's garbage is collected."""

    def warm() -> None:
        try:
            import woundcare.guardrail
            import woundcare.intake.dates
            import woundcare.intake.freetext  # noqa: F401
            from woundcare.messages import identify
            from woundcare.service.ratelimit import backend_for

            identify("")  # compiles every message template's pattern
            backend_for(runtime)
            if app is not None:
                from fastapi.routing import iter_route_contexts

                for _route in iter_route_contexts(app.routes):
                    pass
        except Exception as exc:  # a warm-up never stops the server
            log.warning("server.warm_up_failed", error=type(exc).__name__)

    return after_start(started, warm, collect_start_up_garbage, delay=delay,
                       name="woundcare-warm-up")


class PortUnavailable(SystemExit):
    """The port cannot be listened on; said in plain words with what to do (exit status 1)."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(
            f"woundcare cannot listen on {host}:{port}: {reason}\n"
            f"  Stop the program that uses it, or start on another port, for example:\n"
            f"    ./scripts/run.sh --port {port + 1 if port < 65535 else 8000}")
        self.host = host
        self.port = port


def check_port_free(host: str, port: int) -> None:
    """Refuse to start, in words, when the port is taken or not allowed (before uvicorn,
    whose own error line names the address in a form the log redactor masks)."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                reason = "the port is already in use (is woundcare already running?)."
            elif exc.errno == errno.EACCES:
                reason = "this user may not use that port (ports below 1024 need privileges)."
            elif exc.errno == errno.EADDRNOTAVAIL:
                reason = "this machine has no such address."
            else:
                reason = f"the address cannot be used ({exc.strerror or 'unknown error'})."
            raise PortUnavailable(host, port, reason) from None
# With several workers uvicorn kills one that misses a health-check ping for this long. Its
# default (5 s) killed busy workers mid-request on a saturated machine (dropped connections
# under the soak benchmark); a hung worker is still replaced, after 30 s.
WORKER_HEALTHCHECK_S = 30


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn runs the app. ``X-Forwarded-For`` is honoured only from the proxies listed
    in ``forwarded_allow_ips``; with none listed the client address is the socket's peer
    (uvicorn's own default would trust 127.0.0.1, letting any local caller pick its address
    and so its rate-limit and PIN-lockout buckets). uvicorn's own access line is off: the
    request middleware logs every request once (``http.request``: method, route template,
    status, duration, request id), and a second line per request cost CPU for nothing."""
    trusted = [ip.strip() for ip in settings.forwarded_allow_ips.split(",") if ip.strip()]
    return {"host": settings.host, "port": settings.port, "log_config": None,
            "access_log": False, "proxy_headers": bool(trusted),
            "forwarded_allow_ips": trusted or None, "server_header": False,
            "date_header": True, "timeout_worker_healthcheck": WORKER_HEALTHCHECK_S}


def main() -> None:
    """``python -m woundcare.server``: the same as ``woundcare serve`` with default options."""
    from woundcare.config import get_settings

    serve(get_settings())


if __name__ == "__main__":
    main()
