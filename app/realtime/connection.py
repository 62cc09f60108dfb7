"""A WebSocket as the hub sees it: send a frame, tell whether it is backed up, drop it.

On uvicorn the raw ASGI `send` (handed over by app.routers.ws.serve_live_channel) is the
protocol's bound method, so its write buffer can be inspected: a protocol that is not
`writable` has passed the transport's high-water mark (64 KiB) and is dropped. With uvicorn's
websockets-sansio protocol a frame is encoded once for all screens (server frames are unmasked,
so the bytes are the same for every connection) and written straight to each transport, as
`websockets.broadcast()` does.
"""

import asyncio
import contextlib

from starlette.requests import HTTPConnection
from starlette.types import Scope, Send
from websockets.frames import Frame, Opcode

SANSIO = "WebSocketsSansIOProtocol"


class Outgoing:
    """One text frame for many screens: the text, and its wire bytes encoded at most once."""

    __slots__ = ("_wire", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._wire: bytes | None = None

    @property
    def wire(self) -> bytes:
        if self._wire is None:
            frame = Frame(Opcode.TEXT, self.text.encode())
            self._wire = frame.serialize(mask=False, extensions=[])
        return self._wire


class WebSocketConnection:
    """Kept per open screen: the scope (which the server keeps anyway) and the raw `send`, no
    more."""

    __slots__ = ("_direct", "_protocol", "_scope", "_send")

    def __init__(self, scope: Scope, send: Send) -> None:
        protocol = getattr(send, "__self__", None)
        usable = (
            protocol is not None
            and hasattr(protocol, "writable")
            and hasattr(protocol, "transport")
        )
        self._scope = scope
        self._send = send
        self._protocol = protocol if usable else None
        self._direct = usable and type(protocol).__name__ == SANSIO

    def accepted(self) -> None:
        """Let go of the handshake once it is answered. uvicorn's sansio protocol keeps the
        request and the response it parsed and made (their headers: ~4 KiB, a fifth of an open
        screen's memory) for as long as the screen stays, and never reads them again."""
        if self._direct and self._protocol is not None:
            self._protocol.request = self._protocol.response = None

    @property
    def origin(self) -> str:
        url = HTTPConnection(self._scope).base_url
        scheme = {"ws": "http", "wss": "https"}.get(url.scheme, url.scheme)
        return str(url.replace(scheme=scheme)).rstrip("/")

    async def send(self, *frames: Outgoing) -> None:
        protocol = self._protocol
        if self._direct and protocol is not None:
            if protocol.close_sent or protocol.disconnected or protocol.transport.is_closing():
                raise ConnectionError("closed")
            wire = frames[0].wire if len(frames) == 1 else b"".join(f.wire for f in frames)
            protocol.transport.write(wire)  # several frames: one write, one system call
        else:
            for frame in frames:
                await self._send({"type": "websocket.send", "text": frame.text})

    def backlogged(self) -> bool:
        return self._protocol is not None and not self._protocol.writable.is_set()

    def drop(self) -> None:
        if self._protocol is not None:
            self._protocol.transport.abort()
        else:
            asyncio.get_running_loop().create_task(self._close())

    def close(self, code: int) -> None:
        """End the connection with a close frame carrying `code` (the page reads it)."""
        asyncio.get_running_loop().create_task(self._close(code))

    async def _close(self, code: int = 1013) -> None:
        with contextlib.suppress(Exception):  # already gone
            await self._send({"type": "websocket.close", "code": code, "reason": ""})
