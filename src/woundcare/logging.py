"""Structured JSON logs without PHI.

Every line (structlog, the standard library, uvicorn's server and access logs) goes through
the same chain: request id from the context, timestamp, exceptions reduced to their type and
code locations (never their message: a validation error may quote the value), and the PHI
redactor, which keeps only the keys on :data:`SAFE_KEYS` and masks any value that looks like
an e-mail address, a phone number or a date.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable, MutableMapping
from types import TracebackType
from typing import IO, Any, Final


def _import_structlog_without_rich() -> None:
    """Import structlog with ``rich`` hidden. structlog's package import loads its
    development console renderer, which imports rich (when installed; typer brings it) for
    pretty exception tracebacks: about a twentieth of the server's start-up. Exceptions are
    reduced to their type and code locations before any renderer sees them
    (:func:`reduce_exceptions`), so that formatter is never used; the renderers are given
    structlog's plain formatter explicitly. ``rich`` itself stays importable (the command line
    uses it): it is hidden only while structlog is first imported, and only if nothing has
    imported either yet."""
    if "structlog" in sys.modules or "rich" in sys.modules:
        return
    sys.modules["rich"] = None  # type: ignore[assignment]  # "import rich" raises ImportError
    try:
        import structlog  # noqa: F401
    finally:
        del sys.modules["rich"]


_import_structlog_without_rich()

import structlog  # noqa: E402
from structlog.types import EventDict, Processor, WrappedLogger  # noqa: E402

REDACTED: Final = "[redacted]"

SAFE_KEYS: Final[frozenset[str]] = frozenset({
    "timestamp", "level", "logger", "event", "request_id",
    "case_id", "new_case_id", "organisation_id", "clinician_id", "actor_id", "agent", "state",
    "workflow_event", "consent_data_storage", "outcome", "action", "artifact_id",
    "route", "method", "status", "duration_ms", "code", "error_type", "stack",
    "version", "count", "pid", "port", "host", "profile", "database", "revision",
    "migrations_current", "keys_loaded", "replica", "reasons", "limit", "retry_after",
    "trace_id", "span_id",
})
# Keys whose values we produce ourselves and that are known not to be free text ("listen" is
# the server's own bind address from its settings, never a client's).
_UNCHECKED: Final = frozenset({"timestamp", "level", "logger", "stack", "trace_id", "span_id",
                               "listen"})

# uvicorn's start-up and shut-down lines, as events with fields (their templates would
# otherwise show unfilled "%s" placeholders: the arguments are not formatted into messages).
_UVICORN_LINES: Final = {
    "Started server process [%d]": ("server.process_started", ("pid",)),
    "Finished server process [%d]": ("server.process_finished", ("pid",)),
    "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)": ("server.listening",
                                                            ("scheme", "host", "port")),
}
_OWN_ARGUMENTS: Final = ("alembic.", "woundcare.crypto.devkeys")
_PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifrx]")

_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DATE = re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")
_PHONE = re.compile(r"(?<![\w-])\+?\(?\d[\d\s().-]{5,}\d(?![\w-])")
_QUERY = re.compile(r"\?[^\s\"]*")


_NOTHING_TO_MASK = re.compile(r"[^\d@]*")  # no digit, no "@": no e-mail, date or phone
_KEPT = re.compile(r"\x00(\d+)\x00")


def redact_text(text: str) -> str:
    """Mask e-mail addresses, dates and phone-like digit runs (UUIDs are left alone)."""
    if _NOTHING_TO_MASK.fullmatch(text) or _UUID.fullmatch(text):
        return text  # most values: routes, methods, states, one identifier
    uuids: list[str] = []

    def keep(match: re.Match[str]) -> str:
        uuids.append(match.group(0))
        return f"\x00{len(uuids) - 1}\x00"

    masked = _UUID.sub(keep, text)
    masked = _EMAIL.sub(REDACTED, masked)
    masked = _DATE.sub(REDACTED, masked)
    masked = _PHONE.sub(REDACTED, masked)
    return _KEPT.sub(lambda m: uuids[int(m.group(1))], masked)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact_value(item) for item in value]
    return redact_text(str(value))


redact_value = _redact_value


def add_trace_ids(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """The current trace and span ids (OpenTelemetry's, when tracing is on). Reads the module
    only if something already imported it: logging never imports OpenTelemetry itself."""
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return event_dict
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict["trace_id"] = format(context.trace_id, "032x")
        event_dict["span_id"] = format(context.span_id, "016x")
    return event_dict


def redact_phi(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Keep the keys on the allow-list (values masked), redact every other key."""
    out: EventDict = {}
    for key, value in event_dict.items():
        # "_..." is structlog's own bookkeeping, removed before rendering
        if key.startswith("_") or key in _UNCHECKED:
            out[key] = value
        elif key in SAFE_KEYS:
            out[key] = _redact_value(value)
        else:
            out[key] = REDACTED
    return out


def _frames(tb: TracebackType | None) -> list[str]:
    return [f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}:{frame.name}"
            for frame in traceback.extract_tb(tb)][-12:]


def reduce_exceptions(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Replace ``exc_info`` by the exception type and code locations, never its message."""
    exc_info = event_dict.pop("exc_info", None)
    event_dict.pop("stack_info", None)
    if exc_info:
        if exc_info is True:
            exc_info = sys.exc_info()
        elif isinstance(exc_info, BaseException):
            exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
        if isinstance(exc_info, tuple) and exc_info[0] is not None:
            event_dict["error_type"] = exc_info[0].__name__
            event_dict["stack"] = _frames(exc_info[2])
    return event_dict


def foreign_records(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Shape standard-library records: uvicorn's access line becomes fields without the query
    string or the client address; other positional arguments are dropped."""
    args = event_dict.pop("positional_args", None)
    record = event_dict.get("_record")
    name = getattr(record, "name", "")
    event_dict.setdefault("logger", name)
    if name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
        _, method, path, _, status = args
        event_dict["event"] = "http.access"
        event_dict["method"] = str(method)
        event_dict["route"] = _QUERY.sub("", str(path))
        event_dict["status"] = int(status)
    elif isinstance(event_dict.get("event"), str) and event_dict["event"] in _UVICORN_LINES \
            and isinstance(args, tuple):
        event, names = _UVICORN_LINES[event_dict["event"]]
        values = dict(zip(names, args, strict=False))
        event_dict["event"] = event
        if "pid" in values:
            event_dict["pid"] = int(values["pid"])
        if "port" in values:
            event_dict["port"] = int(values["port"])
            event_dict["listen"] = f"{values['scheme']}://{values['host']}:{values['port']}"
    elif isinstance(event_dict.get("event"), str):
        # Numbers are filled in; any other argument may carry anything and is not shown.
        # Loggers whose arguments are our own configuration (migration names, the key file's
        # path) have them filled in, still through the redactor.
        numbers = iter(args) if isinstance(args, tuple) else iter(())
        trusted = name.startswith(_OWN_ARGUMENTS)

        def fill(match: re.Match[str]) -> str:
            value = next(numbers, None)
            if isinstance(value, int) and not isinstance(value, bool):
                return str(value)
            return redact_text(str(value)) if trusted and value is not None else "[…]"

        event_dict["event"] = _QUERY.sub("?[query]", _PLACEHOLDER.sub(fill, event_dict["event"]))
    return event_dict


def _shared() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        add_trace_ids,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def configure_logging(
    level: str = "INFO",
    *,
    json_lines: bool = True,
    stream: IO[str] | None = None,
    log_file: str = "",
    extra_streams: Iterable[IO[str]] = (),
) -> None:
    """Route structlog and the standard library through one redacting JSON chain."""
    renderer: Processor = (structlog.processors.JSONRenderer() if json_lines
                           else structlog.dev.ConsoleRenderer(
                               colors=False,
                               exception_formatter=structlog.dev.plain_traceback))
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_shared(), foreign_records],
        pass_foreign_args=True,
        # The template, not the formatted message: arguments may carry anything (uvicorn's
        # access line is rebuilt from its arguments by ``foreign_records``).
        use_get_message=False,
        processors=[reduce_exceptions, redact_phi,
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handlers: list[logging.Handler] = [logging.StreamHandler(stream or sys.stderr)]
    handlers.extend(logging.StreamHandler(extra) for extra in extra_streams)
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uv = logging.getLogger(name)
        uv.handlers.clear()
        uv.propagate = True
    quiet_third_party_loggers()
    # Our own events skip the standard library's records and formatter: the same chain
    # renders them and the line goes straight to the same handlers' streams (about half the
    # cost of a line; two lines per request - the access line and the audit line).
    lines = _RenderedLines(handlers)
    structlog.configure(
        processors=[*_shared(), reduce_exceptions, redact_phi, renderer],
        logger_factory=lambda *_: lines,
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)),
        cache_logger_on_first_use=False,
    )


class _RenderedLines:
    """structlog's output: each rendered line to every handler's stream, under the handler's
    own lock (the standard library's records go to the same streams through it). A stream
    that cannot be written loses the line; logging never fails a request."""

    def __init__(self, handlers: list[logging.Handler]) -> None:
        self.handlers = [h for h in handlers if isinstance(h, logging.StreamHandler)]

    def msg(self, line: str) -> None:
        for handler in self.handlers:
            handler.acquire()
            try:
                handler.stream.write(line + handler.terminator)
                handler.flush()
            except (OSError, ValueError):
                pass
            finally:
                handler.release()

    debug = info = warning = error = critical = exception = msg


# Libraries that see PHI (image metadata, document text, request bodies, S3 payloads) and
# log it at DEBUG or INFO (Pillow logs every EXIF tag with its value at DEBUG): WARNING and
# above only, whatever the root level.
QUIET_LOGGERS = ("PIL", "pillow_heif", "python_multipart", "multipart", "pytesseract",
                 "pdfminer", "reportlab", "matplotlib", "fontTools", "botocore", "boto3",
                 "s3transfer", "urllib3", "httpx", "httpcore", "hpack", "h11", "fhir",
                 "fhir.resources", "pocketsphinx", "procrastinate", "openai", "cv2")


def quiet_third_party_loggers() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def get_logger(name: str = "woundcare") -> Any:
    return structlog.get_logger(name)


def bind_request(**values: Any) -> None:
    structlog.contextvars.bind_contextvars(**values)


def clear_request() -> None:
    structlog.contextvars.clear_contextvars()


def current_request_id() -> str | None:
    ctx: MutableMapping[str, Any] = structlog.contextvars.get_contextvars()
    value = ctx.get("request_id")
    return value if isinstance(value, str) else None
