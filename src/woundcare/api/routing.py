"""Routes built once, when first needed, instead of twice.

The app serves every route module's ``APIRouter`` through ``app.include_router``. FastAPI
(0.16x) serves an included router's routes from an *effective route* it builds itself from
the route's options, lazily, the first time a request (or ``/openapi.json``) reaches that
router: the dependency graph, the body and response models and the request handler. The
``APIRoute`` made by the ``@router.get(...)`` decorator at import built all of that too, and
nothing served from it: about a fifth of the server's start-up, for nothing.

:class:`IncludedRoute` is that decorator's route with only its options kept (path, endpoint,
methods, models, tags, responses ...), which is all the include reads. Anything else asked of
it (its handler, its dependency graph, its path pattern; e.g. if the router were served
directly) builds it completely, exactly as ``APIRoute`` would, on first access. What a request
runs and what ``/openapi.json`` says are unchanged (tests/perf/test_lazy_imports.py compares
the document with one built from plain ``APIRoute``).
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import get_name

from woundcare.api import concurrency
from woundcare.api.deps import resolve_pending

# What FastAPI's include reads from the decorator's route; everything else is built lazily.
_DEFAULTS: dict[str, Any] = {
    name: parameter.default
    for name, parameter in inspect.signature(APIRoute.__init__).parameters.items()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
}


_BUILDING = threading.RLock()


def one_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` with its pending credentials (:class:`woundcare.api.deps.PendingAuth`)
    looked up first, in the same worker thread as the endpoint (a sync endpoint) or in one
    before it (an async one): one thread hop per request instead of one for the lookup and
    one for the work. A sync endpoint runs in its thread pool (:mod:`woundcare.api.
    concurrency`: the interactive one, or the slow one for :func:`~woundcare.api.concurrency.
    slow_work`), so the wrapper is a coroutine FastAPI awaits (its response model is then
    checked on the event loop, not in a second thread). FastAPI reads the parameters through
    ``__wrapped__``."""
    if getattr(endpoint, "_one_thread", False) or inspect.isgeneratorfunction(
            endpoint) or inspect.isasyncgenfunction(endpoint):
        return endpoint
    if inspect.iscoroutinefunction(endpoint):
        async def run_async(**values: Any) -> Any:
            return await endpoint(**await concurrency.run(lambda: resolve_pending(values)))

        wrapper: Callable[..., Any] = run_async
    else:
        pool = concurrency.pool_of(endpoint)

        async def run(**values: Any) -> Any:
            return await concurrency.run(lambda: endpoint(**resolve_pending(values)), pool)

        wrapper = run
    functools.update_wrapper(wrapper, endpoint)
    wrapper._one_thread = True  # type: ignore[attr-defined]
    return wrapper


class IncludedRoute(APIRoute):
    """An ``APIRoute`` for a router the app includes: options now, the rest when asked."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        endpoint = one_thread(endpoint)
        if (options.get("form_limits") is not None or options.get("max_body_size") is not None
                or inspect.isgeneratorfunction(endpoint)
                or inspect.isasyncgenfunction(endpoint)):
            self.__dict__["_options"] = (path, endpoint, options)
            super().__init__(path, endpoint, **options)  # uncommon options: build now
            return
        self.__dict__["_options"] = self.__dict__["_deferred"] = (path, endpoint, options)
        for name, default in _DEFAULTS.items():
            setattr(self, name, options.get(name, default))
        self.path = path
        self.endpoint = endpoint
        self.tags = list(self.tags or [])
        self.dependencies = list(self.dependencies or [])
        self.responses = dict(self.responses or {})
        self.methods = {method.upper() for method in (self.methods or ["GET"])}
        self.name = get_name(endpoint) if self.name is None else self.name
        self.stream_item_type = None  # not a generator (checked above)
        self.form_limits = {}

    def __getattr__(self, name: str) -> Any:
        """Anything not kept from the options: build the whole route as ``APIRoute`` does
        (once), then answer."""
        if name.startswith("__"):
            raise AttributeError(name)
        with _BUILDING:  # another thread may be building it: wait for that
            deferred = self.__dict__.pop("_deferred", None)
            if deferred is not None:
                path, endpoint, options = deferred
                try:
                    APIRoute.__init__(self, path, endpoint, **options)
                except BaseException:
                    self.__dict__["_deferred"] = deferred
                    raise
        return object.__getattribute__(self, name)

    def plain(self) -> APIRoute:
        """The same route as a plain, fully built ``APIRoute`` (for comparing documents)."""
        path, endpoint, options = self.__dict__["_options"]
        return APIRoute(path, endpoint, **options)

    @property
    def built(self) -> bool:
        """Whether the route's own state (handler, dependency graph, models) was built."""
        return "_deferred" not in self.__dict__
