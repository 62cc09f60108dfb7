"""The live channels' WebSocket endpoints: authenticate, join the hub, listen for catch-up
requests and heartbeats.

Every path of every registered channel kind (app/realtime/kinds.py: `/boards/{id}/ws`,
`/screen/{token}/ws`, `/schools/{id}/overview/ws`) is answered by `serve_live_channel`, which
the app calls before its middleware stack, not by routes: a school keeps thousands of these
connections open for hours, and everything a routed request carries (the middlewares' and the
routing's frames, exit stacks, exception handlers) would be kept as long, per screen. A
path's kind checks the credential and the reach in one read; anything out of reach is
answered 404, like every other endpoint.

A screen is attached the moment it is accepted: it receives every change from then on, whether
or not it ever speaks. `{"since": N}` (the board page sends it on every connect) asks to be
caught up from version N; `{"ping": 1}` is answered with a pong.
"""

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit

from fastapi import WebSocket
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.db import SQLITE_BUSY
from app.deps import SESSION_COOKIE
from app.realtime.channel import Credential, Mount, Screen
from app.realtime.connection import Outgoing, WebSocketConnection
from app.realtime.hub import Hub

_JOIN_HEADERS = frozenset((b"authorization", b"cookie", b"origin", b"host"))
PONG = Outgoing('<div id="live-pong" hx-swap-oob="true" hidden></div>')


def credential(scope: Scope) -> Credential | None:
    """A Bearer token, else the session cookie of a page from this same origin."""
    headers = _headers(scope)
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return Credential(token.strip(), token=True)
    cookie = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE, "")
    origin = headers.get("origin")
    same_origin = origin is None or urlsplit(origin).netloc == headers.get("host")
    return Credential(cookie, token=False) if cookie and same_origin else None


def _headers(scope: Scope) -> dict[str, str]:
    """The handshake's headers a join reads, decoded as ASGI says: the first of each, and every
    `cookie` header joined (an HTTP/2 proxy may split the cookies over several)."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        if name in _JOIN_HEADERS:
            key, text = name.decode("ascii"), value.decode("latin-1")
            if key == "cookie" and key in found:
                found[key] += "; " + text
            else:
                found.setdefault(key, text)
    return found


async def _join(
    app: Any, scope: Scope, mount: Mount, path_arg: str, connection: WebSocketConnection
) -> Screen | None:
    """Run a join's one-read check. On SQLite it runs on the event loop: a read of a local
    file in WAL mode never waits for a writer and takes less time than a hop to a worker
    thread, which in a reconnect storm of thousands of screens is what counts; only a busy
    file (a checkpoint) sends it to a thread. Elsewhere (a database across the network) it
    runs in a worker thread."""
    db = app.state.db
    who = credential(scope)
    args = (db, who, path_arg, connection)
    if db.is_sqlite:
        try:
            screen = mount.join(*args)
        except SQLITE_BUSY:
            screen = await asyncio.to_thread(mount.join, *args)
    else:
        screen = await asyncio.to_thread(mount.join, *args)
    if screen is not None and who is not None and who.token:
        app.state.token_use.used(who.secret)
    return screen


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    ws = WebSocket(scope, receive, send)
    if "websocket.http.response" in scope.get("extensions", {}):
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


def live_mount(hub: Hub, scope: Scope) -> tuple[Mount, str] | None:
    """The live channel a WebSocket's path opens, and the path's argument; None for any other
    path."""
    for kind in hub.kinds.values():
        for mount in kind.mounts:
            if found := mount.path.fullmatch(scope["path"]):
                return mount, found[1]
    return None


async def serve_live_channel(
    app: Any, live: tuple[Mount, str], scope: Scope, receive: Receive, send: Send
) -> None:
    """Answer a WebSocket on one of the live channels' paths: join, then accept, attach to the
    hub and answer catch-up requests and heartbeats until the socket closes. The app calls this
    before its middleware stack (app/main.BordApp). The loop reads the raw ASGI messages
    itself: every object and layer of calls it keeps stays in memory per open screen."""
    hub: Hub = app.state.hub
    screen = await _open(app, live, scope, receive, send)
    if screen is None:
        return
    hub.attach(screen)
    try:
        while (message := await receive())["type"] == "websocket.receive":
            data = _parse(message.get("text") or "")
            since = _since(data)
            if since is not None:
                hub.catch_up(screen, since)
            elif data.get("ping"):
                await screen.connection.send(PONG)
    finally:
        hub.detach(screen)


async def _open(
    app: Any, live: tuple[Mount, str], scope: Scope, receive: Receive, send: Send
) -> Screen | None:
    """Join and accept (None: refused, or gone before it was accepted). Raw ASGI messages:
    in a reconnect storm a WebSocket object per handshake costs more than the join's read."""
    scope["app"] = app
    mount, path_arg = live
    connection = WebSocketConnection(scope, send)
    screen = await _join(app, scope, mount, path_arg, connection)
    if screen is None:
        await _refuse(scope, receive, send)
        return None
    if (await receive())["type"] != "websocket.connect":
        return None  # gone during the handshake
    await send({"type": "websocket.accept"})
    connection.accepted()
    return screen
