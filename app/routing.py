"""Routers whose plain `def` handlers take one worker-thread hop where FastAPI would take three.

FastAPI runs a `def` handler in a worker thread, then validates its answer in another hop, and
the request's unit of work commits in a third (app/deps.get_session). Here the handler, and the
commit of the session it was given, run in one hop; the answer is validated on the event loop,
where checking a model the handler built costs less than the hop. Every router of the app is
this one (`from app.routing import APIRouter`).
"""

import functools
import inspect
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import fastapi
from fastapi.routing import APIRoute
from sqlmodel import Session
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

from app.db import finish_early


def one_hop(handler: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(handler):
        return handler

    @functools.wraps(handler)
    async def endpoint(**values: Any) -> Any:
        return await anyio.to_thread.run_sync(_handle, handler, values)

    return endpoint


def _handle(handler: Callable[..., Any], values: dict[str, Any]) -> Any:
    answer = handler(**values)
    # The request's unit of work is the session among the handler's values (SessionDep); a
    # handler is given at most one, so this commits exactly that one.
    for value in values.values():
        if isinstance(value, Session):
            finish_early(value)
    return answer


class OneHopRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, one_hop(endpoint), **kwargs)


class APIRouter(fastapi.APIRouter):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(route_class=OneHopRoute, **kwargs)
        self._fixed_version: int | None = None

    def _get_routes_version(self, seen: set[int] | None = None) -> int:
        """FastAPI asks every included router for this on every request, and each answers by
        walking its whole tree of routers (about sixty calls a request); once the app is built
        (`fix_routes`) the answer is kept."""
        if self._fixed_version is not None:
            return self._fixed_version
        return super()._get_routes_version(seen)

    def _mark_routes_changed(self) -> None:
        self._fixed_version = None
        super()._mark_routes_changed()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """A router under a prefix (the API's `/api/v1`) turns down a path outside it at once:
        FastAPI would try each of its routes in turn, for every page a browser asks for."""
        if self.prefix and not get_route_path(scope).startswith(self.prefix):
            return Match.NONE, {}
        return super().matches(scope)


def fix_routes(router: fastapi.APIRouter) -> None:
    """Keep the routes' version of every router under `router` from now on: call it once the
    app has all its routes. A route added to a router later unfixes that router only."""
    for route in router.routes:
        included = getattr(route, "original_router", None)
        if isinstance(included, fastapi.APIRouter):
            fix_routes(included)
    if isinstance(router, APIRouter):
        router._fixed_version = router._get_routes_version()
