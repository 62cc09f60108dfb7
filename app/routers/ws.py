"""The live channel's WebSocket endpoints: authenticate, join the hub, listen for catch-up
requests.

A screen is attached the moment it is accepted: it receives every change from then on, whether
or not it ever speaks. `{"since": N}` (the browser sends it on every connect) asks to be caught
up from version N.

They are dispatched by `LiveChannels`, an ASGI middleware ahead of FastAPI's routing, not by
routes: a school keeps thousands of these connections open for hours, and everything a routed
request carries (exit stacks, exception handlers, the routing's frames) would be kept as long,
per screen. Both paths answer anything out of reach with a 404, like every other endpoint.
"""

import asyncio
import json
import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from fastapi import WebSocket, WebSocketDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app import i18n
from app.deps import SESSION_COOKIE
from app.errors import NotFound
from app.models import Board
from app.models.types import MAX_ID
from app.realtime.connection import RAW_SEND, Outgoing, WebSocketConnection
from app.realtime.hub import Screen, Variant
from app.security.policy import board_reach
from app.services import accounts, screens

BOARD_PATH = re.compile(r"/boards/([^/]+)/ws")
SCREEN_PATH = re.compile(r"/screen/([^/]+)/ws")
DISPLAY = Variant("display", "nl")
T = TypeVar("T")
R = TypeVar("R")
PONG = Outgoing('<div id="live-pong" hx-swap-oob="true" hidden></div>')


def _same_origin(ws: WebSocket) -> bool:
    origin = ws.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == ws.headers.get("host")


def _member_screen(ws: WebSocket, board_id: int) -> tuple[int, str, Variant, int] | None:
    """Who is connecting, as (user id, name, variant, the board's version now), or None when the
    board is out of their reach."""
    header = ws.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user_id, secret = accounts.TOKEN_USER_ID, token.strip()
    else:
        secret = ws.cookies.get(SESSION_COOKIE, "")
        if not secret or not _same_origin(ws):
            return None
        user_id = accounts.SESSION_USER_ID
    with ws.app.state.db.read() as connection:
        reach = board_reach(connection, user_id, board_id, accounts.secret_params(secret))
    if reach is None:
        return None
    if user_id is accounts.TOKEN_USER_ID:
        ws.app.state.token_use.used(secret)
    audience = "leader" if reach.leads else "member"
    return (
        reach.user_id,
        reach.name,
        Variant(audience, i18n.pick_locale(reach.locale)),
        reach.version,
    )


def _display_link(ws: WebSocket, token: str) -> tuple[int, int, int] | None:
    """(board id, link id, the board's version now) of a display link that works, else None.
    Checked on every (re)connect, so a revoked link's screens stay away once dropped."""
    with ws.app.state.db.session(write=False) as session:
        try:
            link = screens.link_for_token(session, token)
        except NotFound:
            return None
        board = session.get(Board, link.board_id)
        return None if board is None else (link.board_id, link.id, board.version)


async def _check(ws: WebSocket, check: Callable[[WebSocket, T], R], arg: T) -> R:
    """Run a join's one-query check. On SQLite it runs on the event loop: a read of a local
    file in WAL mode never waits for a writer and takes less time than a hop to a worker
    thread, which in a reconnect storm of thousands of screens is what counts. Elsewhere (a
    database across the network) it runs in a worker thread."""
    if ws.app.state.db.is_sqlite:
        return check(ws, arg)
    return await asyncio.to_thread(check, ws, arg)


async def _refuse(ws: WebSocket) -> None:
    if "websocket.http.response" in ws.scope.get("extensions", {}):
        await ws.send_denial_response(Response(status_code=404))
    else:
        await ws.close(code=1008)


def _parse(message: str) -> dict:
    try:
        data = json.loads(message)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _since(data: dict) -> int | None:
    since = data.get("since")
    return since if isinstance(since, int) and not isinstance(since, bool) and since >= 0 else None


async def board_ws(ws: WebSocket, board_id: int) -> None:
    found = await _check(ws, _member_screen, board_id)
    if found is None:
        await _refuse(ws)
        return
    user_id, name, variant, version = found
    screen = Screen(
        WebSocketConnection(ws), board_id, variant, name, version=version, user_id=user_id
    )
    await serve_screen(ws, screen)


async def serve_screen(ws: WebSocket, screen: Screen) -> None:
    """Accept, join the hub, answer catch-up requests and heartbeats. The screen is sent every
    change after the version read when it connected (`screen.version`)."""
    hub = ws.app.state.hub
    await ws.accept()
    hub.attach(screen)
    try:
        while True:
            data = _parse(await ws.receive_text())
            since = _since(data)
            if since is not None:
                hub.catch_up(screen, since)
            elif data.get("ping"):
                await screen.connection.send(PONG)
    except WebSocketDisconnect:
        pass
    finally:
        hub.detach(screen)


async def screen_ws(ws: WebSocket, token: str) -> None:
    """A display link's screen: the read-only "display" variant, always in Dutch, no name."""
    found = await _check(ws, _display_link, token)
    if found is None:
        await _refuse(ws)
        return
    board_id, link_id, version = found
    screen = Screen(
        WebSocketConnection(ws), board_id, DISPLAY, name="", version=version, link_id=link_id
    )
    await serve_screen(ws, screen)


class LiveChannels:
    """ASGI middleware: the two live-channel paths go straight to their endpoint; everything
    else (other WebSockets included) goes on to the app. The raw `send` is kept in the scope for
    the hub (see app/realtime/connection.py)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
            path = scope["path"]
            if found := BOARD_PATH.fullmatch(path):
                ws = WebSocket(scope, receive, send)
                board_id = found[1]
                if board_id.isascii() and board_id.isdigit() and 0 < int(board_id) <= MAX_ID:
                    await board_ws(ws, int(board_id))
                else:
                    await _refuse(ws)
                return
            if found := SCREEN_PATH.fullmatch(path):
                await screen_ws(WebSocket(scope, receive, send), found[1])
                return
        await self.app(scope, receive, send)
