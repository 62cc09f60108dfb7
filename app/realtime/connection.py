"""A WebSocket as the hub sees it: send a frame, tell whether it is backed up, drop it.

On uvicorn the raw ASGI `send` (kept by RawSendMiddleware) is the protocol's bound method, so
frames skip Starlette's per-message wrappers and the write buffer can be inspected: a protocol
that is not `writable` has passed the transport's high-water mark (64 KiB) and is dropped.
"""

import asyncio
import contextlib
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

RAW_SEND = "bord.raw_send"


class RawSendMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
        await self.app(scope, receive, send)


class WebSocketConnection:
    __slots__ = ("_ws", "_send", "_protocol")

    def __init__(self, ws: WebSocket) -> None:
        raw: Any = ws.scope.get(RAW_SEND)
        protocol = getattr(raw, "__self__", None)
        usable = (
            protocol is not None
            and hasattr(protocol, "writable")
            and hasattr(protocol, "transport")
        )
        self._ws = ws
        self._protocol = protocol if usable else None
        self._send = raw if usable else None

    async def send(self, text: str) -> None:
        if self._send is not None:
            await self._send({"type": "websocket.send", "text": text})
        else:
            await self._ws.send_text(text)

    def backlogged(self) -> bool:
        return self._protocol is not None and not self._protocol.writable.is_set()

    def drop(self) -> None:
        if self._protocol is not None:
            self._protocol.transport.abort()
        else:
            asyncio.get_running_loop().create_task(self._close())

    async def _close(self) -> None:
        with contextlib.suppress(Exception):  # already gone
            await self._ws.close(code=1013)
