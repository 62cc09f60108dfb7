"""The board's JSON and page, answered before FastAPI's routing.

They are the requests a school sends most (every laptop opening its board, every script
polling it), and their handlers need nothing FastAPI's routing gives: no dependencies, no body,
a path parameter and the request (app/web/reads.py does the rest). Routing them, solving their
(empty) dependencies and passing their answer back through the exception layers cost as much
CPU as the answer itself (bench/README.md). This middleware sits inside admission and gzip: a
GET of one of those paths is handed straight to the same handler, and what it raises goes to
the app's own exception handlers, as on the routed path. The routes stay declared on their
routers (for the API's description, for `HEAD`, and for every path this one does not match).
"""

import re
from collections.abc import Awaitable, Callable

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.models.types import MAX_ID

BoardRead = Callable[[int, Request], Awaitable[Response]]


class DirectReads:
    def __init__(self, app: ASGIApp, reads: dict[str, BoardRead]) -> None:
        """`reads`: a path with `{board_id}` in it, and its handler."""
        self.app = app
        self.reads = [
            (re.compile(re.escape(path).replace(r"\{board_id\}", "([1-9][0-9]{0,9})")), read)
            for path, read in reads.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            path = get_route_path(scope)
            for pattern, read in self.reads:
                if (found := pattern.fullmatch(path)) and int(found[1]) <= MAX_ID:
                    await _answer(read, int(found[1]), scope, receive, send)
                    return
        await self.app(scope, receive, send)


async def _answer(
    read: BoardRead, board_id: int, scope: Scope, receive: Receive, send: Send
) -> None:
    request = Request(scope, receive)
    try:
        response = await read(board_id, request)
    except Exception as exc:
        handler = _handler_of(request, exc)
        if handler is None:
            raise
        response = await handler(request, exc)
    await response(scope, receive, send)


def _handler_of(
    request: Request, exc: Exception
) -> Callable[[Request, Exception], Awaitable[Response]] | None:
    """The app's handler for `exc`, found as Starlette finds it: by the exception's classes,
    nearest first."""
    handlers = request.app.exception_handlers
    return next((handlers[kind] for kind in type(exc).__mro__ if kind in handlers), None)
