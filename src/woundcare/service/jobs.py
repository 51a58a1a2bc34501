"""The delivery worker on PostgreSQL runs under procrastinate (a PostgreSQL job queue):
procrastinate owns the worker process, its concurrency, graceful shutdown and a periodic
``outbox-sweep`` task (every ``WOUNDCARE_OUTBOX_SWEEP_SECONDS``) that runs due shreds and
claims and delivers due outbox entries. Periodic jobs are deferred once per tick for the
whole cluster, so several workers never sweep the same tick twice; entries are claimed with
``SKIP LOCKED`` and a lease, so they never deliver the same entry at the same time.

The outbox table stays the durable record (it is written in the export's transaction; a
procrastinate job cannot be, because procrastinate has its own connection); procrastinate
is the engine that runs the deliveries. On the embedded SQLite default there is no
PostgreSQL for procrastinate: ``woundcare export worker`` polls the outbox instead and runs
exactly the same task functions.
"""

from __future__ import annotations

from collections.abc import Callable

import procrastinate
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from woundcare.service.delivery import DeliveryWorker
from woundcare.service.runtime import Runtime
from woundcare.service.shredding import run_due

QUEUE = "woundcare-delivery"


def conninfo(runtime: Runtime) -> str:
    settings = runtime.settings
    url = make_url(settings.migration_database_url or settings.database_url).set(
        drivername="postgresql")
    return url.render_as_string(hide_password=False)


def build_app(runtime: Runtime,
              after_sweep: Callable[[], None] | None = None) -> procrastinate.App:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(
        conninfo=conninfo(runtime)))
    delivery = DeliveryWorker(runtime)
    seconds = max(1, int(runtime.settings.outbox_poll_seconds))

    @app.periodic(cron=f"*/{seconds} * * * * *", periodic_id="outbox-sweep")
    @app.task(name="woundcare.outbox.sweep", queue=QUEUE)
    def sweep(timestamp: int) -> int:
        run_due(runtime)
        done = len(delivery.run_until_idle())
        if after_sweep is not None:
            after_sweep()
        return done

    return app


def ensure_schema(runtime: Runtime, app: procrastinate.App) -> None:
    """Apply procrastinate's schema once (operator role), if it is not there yet."""
    with runtime.db.engine.connect() as conn:
        present = conn.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar()
    if present is None:
        with app.open():
            app.schema_manager.apply_schema()


def run_worker(runtime: Runtime, after_sweep: Callable[[], None] | None = None) -> None:
    app = build_app(runtime, after_sweep)
    ensure_schema(runtime, app)
    app.run_worker(queues=[QUEUE], concurrency=1, install_signal_handlers=True)
