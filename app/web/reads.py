"""What the board's JSON and page share: the one query that says who reads which version, and
the answer from the cache (app/realtime/reads.py) with its ETag, 304 and gzip.

The handlers are `async def`: the query runs on the event loop (`BoardReads.first`: SQLite's
plain connection, PostgreSQL's asynchronous ones) and only a miss goes to a thread to render.
"""

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Request
from sqlalchemy import Select
from starlette.responses import Response

from app import i18n
from app.deps import SESSION_COOKIE, bearer
from app.errors import NotAuthenticated, NotFound
from app.security.policy import BoardRead, board_read_of, board_read_statement
from app.services import accounts
from app.web.api_common import BOARD_VERSION_HEADER

T = TypeVar("T")
E = TypeVar("E")
CACHE_CONTROL = "private, no-cache"  # the browser keeps it, and asks each time (mostly a 304)


def _query(request: Request, board_id: int, page: bool) -> tuple[Select, dict[str, Any]] | None:
    """The one query that finds the reader of `board_id` by the request's credential (a
    Bearer token, else the session cookie), with its parameters; None without a credential."""
    token = bearer(request)
    secret = token or request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    user_id, login = accounts.TOKEN_USER_ID, None
    if not token:
        user_id, login = accounts.SESSION_USER_ID, accounts.SESSION_CSRF if page else None
    params = {**accounts.secret_params(secret), "board_id": board_id}
    return board_read_statement(user_id, page, login), params


def _reader_found(request: Request, found: BoardRead | None) -> BoardRead:
    """NotAuthenticated without a working credential, NotFound for a board out of reach. Sets
    what the page layout and the error pages show about the user, as the session dependency
    does."""
    state = request.state
    state.auth = None
    state.user_name = found.name if found else None
    state.csrf_token = found.csrf_token if found else None
    state.locale = i18n.pick_locale(
        found.locale if found else request.cookies.get("bord_lang"),
        request.app.state.settings.default_locale,
    )
    if found is None:
        raise NotAuthenticated()
    token = bearer(request)
    if token:
        request.app.state.token_use.used(token)
    if found.version is None:
        raise NotFound()
    return found


async def in_thread(work: Callable[[], T]) -> T:
    return await anyio.to_thread.run_sync(work)


async def cached_read(
    request: Request,
    board_id: int,
    *,
    page: bool,
    cached: Callable[[BoardRead], E | None],
    render: Callable[[BoardRead], E | Response],
) -> tuple[BoardRead, E | Response]:
    """The reader and what to answer them: `cached` if it has it, else `render` (which puts
    what it made in the cache) in a worker thread."""
    query = _query(request, board_id, page)
    row = await request.app.state.board_reads.first(*query) if query is not None else None
    found = _reader_found(request, board_read_of(row))
    entry = cached(found)
    return found, entry if entry is not None else await in_thread(lambda: render(found))


def accepts_gzip(request: Request) -> bool:
    for coding in request.headers.get("accept-encoding", "").split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            quality = params.strip().lower().removeprefix("q=")
            try:
                return not params.strip() or float(quality) > 0
            except ValueError:
                return False
    return False


def _matches(request: Request, etag: str) -> bool:
    sent = request.headers.get("if-none-match")
    if not sent:
        return False
    opaque = etag.removeprefix("W/")
    return any(t.strip() == "*" or t.strip().removeprefix("W/") == opaque for t in sent.split(","))


def answer(
    request: Request,
    version: int,
    etag: str,
    media_type: str,
    body: Callable[[], bytes],
    gz: Callable[[], bytes],
) -> Response:
    """200 with the bytes (gzipped when the client takes gzip), or 304 when the client has
    them already."""
    headers = {
        BOARD_VERSION_HEADER: str(version),
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Encoding",
    }
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    if accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        return Response(gz(), media_type=media_type, headers=headers)
    return Response(body(), media_type=media_type, headers=headers)
