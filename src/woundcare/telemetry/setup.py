"""Builds the OpenTelemetry providers (imported only when telemetry is switched on)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    ConsoleMetricExporter,
    MetricReader,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)

from woundcare.telemetry import metric_exporters, trace_exporters
from woundcare.telemetry.redaction import RedactingSpanProcessor, RouteNames

DEFAULT_SERVICE_NAME = "woundcare"


def _resource(env: Mapping[str, str], service_version: str) -> Resource:
    # Resource.create reads OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME itself.
    base: dict[str, Any] = {}
    if not env.get("OTEL_SERVICE_NAME"):
        base[SERVICE_NAME] = DEFAULT_SERVICE_NAME
    if service_version:
        base[SERVICE_VERSION] = service_version
    return Resource.create(base)


def _span_processors(names: list[str], extra: list[SpanExporter]) -> list[SpanProcessor]:
    processors: list[SpanProcessor] = []
    for name in names:
        if name == "console":  # printed as each span ends
            processors.append(SimpleSpanProcessor(ConsoleSpanExporter(out=sys.stdout)))
        elif name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            processors.append(BatchSpanProcessor(OTLPSpanExporter()))
    processors.extend(SimpleSpanProcessor(exporter) for exporter in extra)
    return processors


def _metric_readers(names: list[str]) -> list[MetricReader]:
    readers: list[MetricReader] = []
    for name in names:
        if name == "console":
            readers.append(PeriodicExportingMetricReader(ConsoleMetricExporter()))
        elif name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
                OTLPMetricExporter,
            )

            readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
    return readers


class Telemetry:
    def __init__(self, tracer_provider: TracerProvider, meter_provider: MeterProvider,
                 routes: RouteNames) -> None:
        self.tracer_provider = tracer_provider
        self.meter_provider = meter_provider
        self.routes = routes
        self.tracer = tracer_provider.get_tracer("woundcare")
        meter = meter_provider.get_meter("woundcare")
        self.step_duration = meter.create_histogram(
            "woundcare.step.duration", unit="s",
            description="Workflow step duration by agent and outcome.")
        self._httpx: Any = None
        self._engines: list[Any] = []

    def instrument_app(self, app: Any) -> None:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        self.routes.add([getattr(route, "path", "") for route in app.routes])
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=self.tracer_provider, meter_provider=self.meter_provider,
            excluded_urls="/healthz", exclude_spans=["receive", "send"])

    def instrument_engine(self, engine: Any) -> None:
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

        meter = self.meter_provider.get_meter("opentelemetry.instrumentation.sqlalchemy")
        usage = meter.create_up_down_counter("db.client.connections.usage", unit="connections")
        tracer = self.tracer_provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
        self._engines.append(EngineTracer(  # type: ignore[no-untyped-call]
            tracer, engine, usage, enable_commenter=False))

    def instrument_httpx(self) -> None:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        instrumentor = HTTPXClientInstrumentor()
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument(tracer_provider=self.tracer_provider,
                                    meter_provider=self.meter_provider)
            self._httpx = instrumentor

    @contextmanager
    def step_span(self, agent: str | None, state: str, event: str | None) -> Iterator[Any]:
        import time

        attributes = {"woundcare.agent": agent or "transition", "woundcare.state": state}
        if event:
            attributes["woundcare.event"] = event
        started = time.perf_counter()
        outcome = "error"
        with self.tracer.start_as_current_span("woundcare.step", attributes=attributes) as span:
            try:
                yield span
                outcome = "ok"
            finally:
                self.step_duration.record(time.perf_counter() - started, {
                    "woundcare.agent": attributes["woundcare.agent"],
                    "woundcare.outcome": outcome})

    def shutdown(self) -> None:
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

        if self._httpx is not None:
            self._httpx.uninstrument()
        if self._engines:
            EngineTracer.remove_all_event_listeners()  # type: ignore[no-untyped-call]
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def build(env: Mapping[str, str], *, extra_exporters: list[SpanExporter],
          service_version: str) -> Telemetry:
    resource = _resource(env, service_version)
    routes = RouteNames()
    tracer_provider = TracerProvider(resource=resource)  # the sampler comes from OTEL_TRACES_*
    for processor in _span_processors(trace_exporters(env), extra_exporters):
        tracer_provider.add_span_processor(RedactingSpanProcessor(processor, routes))
    meter_provider = MeterProvider(resource=resource,
                                   metric_readers=_metric_readers(metric_exporters(env)))
    telemetry = Telemetry(tracer_provider, meter_provider, routes)
    telemetry.instrument_httpx()
    return telemetry
