"""Admission: how many requests may use the database at once, and who is refused at the door.

The request handlers are synchronous: each waits for the database in a worker thread, holding a
pooled connection. If more requests ran than there are connections, the threads of the waiting
ones would be the threads the others need to finish. So requests queue here, on the event loop,
where waiting costs no thread and no connection; at most `slots` run at once, and the pool holds a
connection for every one of them (see `Database`). A request that finds the queue full, or waits
longer than `queue_timeout`, is answered at once with 503 and `Retry-After`: it changed nothing,
and the client may send it again.

On SQLite, which has one writer at a time, requests that may write (any method but GET, HEAD and
OPTIONS) also queue here for the write turn before they take a slot: they never spin on "database
is locked" while holding a thread.

A request that writes is read whole before it queues: a slow phone upload never holds a slot.
One larger than its path allows (`body_limit`) is answered 413 at once, naming the limit.

No text Bord stores or looks up holds a NUL character (PostgreSQL's text cannot), and no person
types one: a URL with a NUL in its path or query is answered 422 at the door, naming where.
"""

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import N_
from app.services import trello_export

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Paths that never touch the database: served even when every slot is taken.
FREE_PREFIXES = ("/static/", "/healthz")
RETRY_AFTER_SECONDS = 1
MB = 1024 * 1024
MAX_BODY_BYTES = 4 * MB


@dataclass(frozen=True)
class BodyLimit:
    """How large a request's body may be: the gate reads up to `read` bytes; its refusal names
    the limit, in English for the API (`message`, on the upload's form `field` if any) and in
    the reader's language for a page (`notice`, Dutch, translated there)."""

    read: int
    message: str
    notice: str
    field: str = ""


DEFAULT_LIMIT = BodyLimit(
    MAX_BODY_BYTES,
    "Request body too large: at most 4 MB",
    N_("Wat je verstuurde is groter dan 4 MB. Er is niets veranderd."),
)
# Uploads that may be larger: a Trello export (10 MB, with room for the multipart envelope and
# the mapping; a file between the two is refused by services/trello_export.py, in the same words).
LARGE_UPLOADS = (
    (
        re.compile(r"^(?:/api/v1)?/boards/\d+/import/trello(?:/lists)?$"),
        BodyLimit(
            trello_export.MAX_BYTES + MB,
            trello_export.TOO_LARGE,
            trello_export.TOO_LARGE_NOTICE,
            "file",
        ),
    ),
)


class Refused(Exception):
    """The server is too busy to take this request now (answered 503 with Retry-After)."""


@dataclass
class Gate:
    """A bounded queue in front of a fixed number of slots, waited for on the event loop."""

    slots: int
    max_waiting: int
    timeout: float

    def __post_init__(self) -> None:
        self._free = asyncio.Semaphore(self.slots)
        self.waiting = 0
        self.refused = 0

    async def take(self) -> None:
        """A slot, or `Refused` when the queue is full or the wait too long.

        Even a free slot is taken through `wait_for`, whose task lets the event loop turn once
        before the request goes on. Taking it at once instead was tried: at 256 busy
        connections a new connection's first request (a health check's) then now and then
        waited 6-8 s, and why was not found (bench/README.md)."""
        if self._free.locked() and self.waiting >= self.max_waiting:
            self.refused += 1
            raise Refused()
        self.waiting += 1
        try:
            await asyncio.wait_for(self._free.acquire(), self.timeout)
        except TimeoutError:
            self.refused += 1
            raise Refused() from None
        finally:
            self.waiting -= 1

    def give_back(self) -> None:
        self._free.release()

    def turn(self) -> "Turn":
        return Turn((self,))


class Turn:
    """Holding a slot of each gate, taken in order and given back in reverse."""

    __slots__ = ("gates", "held")

    def __init__(self, gates: tuple[Gate, ...]) -> None:
        self.gates = gates
        self.held = 0

    async def __aenter__(self) -> None:
        try:
            for gate in self.gates:
                await gate.take()
                self.held += 1
        except BaseException:
            self._give_back()  # refused at a later gate: the earlier ones' slots go back
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._give_back()

    def _give_back(self) -> None:
        for gate in reversed(self.gates[: self.held]):
            gate.give_back()
        self.held = 0


class Admission:
    """The gates of one process: request slots, and on SQLite the single write turn."""

    def __init__(
        self, slots: int, max_waiting: int, timeout: float, *, single_writer: bool
    ) -> None:
        self.requests = Gate(slots, max_waiting, timeout)
        self.writes = Gate(1, max_waiting, timeout) if single_writer else None
        self._reads = (self.requests,)
        self._writes = (self.writes, self.requests) if self.writes else self._reads
        self.loop = asyncio.get_running_loop()  # the gates belong to it

    def enter(self, writes: bool) -> Turn:
        return Turn(self._writes if writes else self._reads)


# Answers a request turned away at the door with `status` (503 busy, 413 too large), as the
# app's exception handlers would: JSON under /api, a page elsewhere.
RefusalResponder = Callable[[int, Scope, Receive, Send], Awaitable[None]]


class AdmissionMiddleware:
    """The ASGI side of `Admission`: everything but static files, /healthz and WebSockets
    queues at the door. `make` builds the gates on the event loop that serves (asyncio's
    primitives belong to one loop)."""

    def __init__(
        self, app: ASGIApp, make: Callable[[], Admission], refuse: RefusalResponder
    ) -> None:
        self.app = app
        self.make = make
        self.refuse = refuse
        self._admission: Admission | None = None

    @property
    def admission(self) -> Admission:
        loop = asyncio.get_running_loop()
        if self._admission is None or self._admission.loop is not loop:
            self._admission = self.make()
        return self._admission

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(FREE_PREFIXES):
            await self.app(scope, receive, send)
            return
        if nul_in_url(scope):
            await self.refuse(422, scope, receive, send)
            return
        writes = scope["method"] not in SAFE_METHODS
        if writes:
            limit = body_limit(scope).read
            body = None if _declared_size(scope) > limit else await _read_body(receive, limit)
            if body is None:
                await self.refuse(413, scope, _replay(b"", receive), send)
                return
            receive = _replay(body, receive)
        try:
            async with self.admission.enter(writes):
                await self.app(scope, receive, send)
        except Refused:
            await self.refuse(503, scope, receive, send)


def nul_in_url(scope: Scope) -> tuple[str, ...] | None:
    """Where the request's URL holds a NUL: ("path",) or ("query", its parameter); else None."""
    if "\x00" in scope["path"]:
        return ("path",)
    query: bytes = scope.get("query_string", b"")
    if b"%00" not in query:
        return None
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name + value:
            return ("query", name.replace("\x00", ""))
    return None  # not a NUL once read as the app reads it


def body_limit(scope: Scope) -> BodyLimit:
    path = scope["path"]
    return next((limit for pattern, limit in LARGE_UPLOADS if pattern.match(path)), DEFAULT_LIMIT)


def _declared_size(scope: Scope) -> int:
    """The Content-Length the client sent (0 when none or unreadable): a body declared too
    large is refused before a byte of it is read."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is larger than `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)  # the client went away; the handler will notice
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect

    return replay
