"""Board reads answered from what was rendered for the board's current version.

A read (the board's JSON, its page) costs one query that finds the reader, their reach and the
board's version (policy.board_read); what it answers was rendered once for that version and
variant and is kept here, with its gzip made once too. The key holds everything the bytes
depend on besides the board's rows (which the version covers): the variant (audience and
language), the school's today (lateness, "this week"), and for the page the names in its
header and the team's membership (the session panel names the team). A person's new name
shows at the board's next change, as on the live screens.

The page's per-login parts (the user's name, the login's CSRF token) are not in the entry: the
page is rendered once with marks in their place, split after the last mark, and each answer
fills in the small head and sends the shared tail (gzipped once, as a deflate stream of its own
after the head's, flushed to a byte boundary).
"""

import asyncio
import gzip
import hashlib
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import psycopg
from markupsafe import escape
from sqlalchemy import Select, make_url

from app.db import SQLITE_BUSY, Database
from app.loop_connections import LoopConnections, ReadsBusy
from app.plain_reads import plan

GZIP_LEVEL = 6
LOOP_CONNECTIONS = 4  # PostgreSQL's, for the reads on the event loop
MAX_BYTES = 64 * 1024 * 1024
# Marks rendered where a page holds per-login values; private-use characters, never escaped
# and never typed.
NAME_MARK = "\ue000name\ue000"
CSRF_MARK = "\ue000csrf\ue000"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, unknown OS


def tag(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=6).hexdigest()


@dataclass(frozen=True, slots=True)
class Json:
    version: int
    etag: str
    body: bytes
    gz: bytes

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gz)


def json_entry(version: int, etag: str, body: bytes) -> Json:
    return Json(version, etag, body, gzip.compress(body, GZIP_LEVEL, mtime=0))


@dataclass(frozen=True, slots=True)
class Page:
    version: int
    etag: str  # completed per login by `page_etag`
    head: str  # up to and including the last mark
    tail: bytes
    tail_z: bytes  # raw deflate of `tail`, finished

    @property
    def size(self) -> int:
        return len(self.head) + len(self.tail) + len(self.tail_z)


def page_entry(version: int, etag: str, html: str) -> Page:
    cut = max(html.rfind(NAME_MARK) + len(NAME_MARK), html.rfind(CSRF_MARK) + len(CSRF_MARK), 0)
    tail = html[cut:].encode()
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Page(version, etag, html[:cut], tail, deflate.compress(tail) + deflate.flush())


def page_etag(page: Page, name: str, csrf: str | None) -> str:
    return f'{page.etag[:-1]}.{tag(name, csrf)}"'


def page_head(page: Page, name: str, csrf: str | None) -> bytes:
    head = page.head.replace(NAME_MARK, str(escape(name)))
    return head.replace(CSRF_MARK, str(escape(csrf or ""))).encode()


def page_body(page: Page, head: bytes) -> bytes:
    return head + page.tail


def page_gzip(page: Page, head: bytes) -> bytes:
    """The page as one gzip member: the head compressed now, then the tail's stream."""
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    head_z = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(page.tail, zlib.crc32(head))
    size = (len(head) + len(page.tail)) & 0xFFFFFFFF
    return _GZIP_HEADER + head_z + page.tail_z + struct.pack("<II", crc, size)


Entry = Json | Page


class BoardCache:
    """Entries by key, for one board each; an entry for a newer version of a board drops the
    board's older ones, and the least recently used go past `max_bytes`. Used from the event
    loop and from worker threads."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[int, Hashable], Entry] = OrderedDict()
        self._boards: dict[int, tuple[int, set[Hashable]]] = {}  # newest version, keys
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, board_id: int, key: Hashable, version: int) -> Entry | None:
        """The entry for `key` made at `version` or later (a render may read a newer version
        than the query that asked for it)."""
        with self._lock:
            entry = self._entries.get((board_id, key))
            if entry is None or entry.version < version:
                return None
            self._entries.move_to_end((board_id, key))
            return entry

    def put(self, board_id: int, key: Hashable, entry: Entry) -> None:
        with self._lock:
            newest, keys = self._boards.get(board_id, (-1, set()))
            if entry.version < newest:
                return
            if entry.version > newest:
                for old in list(keys):
                    self._drop(board_id, old)
                self._boards[board_id] = (entry.version, keys)
            replaced = self._entries.pop((board_id, key), None)  # two misses rendered it
            if replaced is not None:
                self._bytes -= replaced.size
            self._entries[(board_id, key)] = entry
            keys.add(key)
            self._bytes += entry.size
            while self._bytes > self.max_bytes:
                self._drop(*next(iter(self._entries)))

    def _drop(self, board_id: int, key: Hashable) -> None:
        entry = self._entries.pop((board_id, key), None)
        if entry is None:
            return
        self._bytes -= entry.size
        _newest, keys = self._boards.get(board_id, (-1, set()))
        keys.discard(key)
        if not keys:
            self._boards.pop(board_id, None)


class BoardReads:
    """The cache, and the reads' one query asked on the event loop, where it costs less than
    the hop to a worker thread and never waits for the pool's connections.

    On SQLite, a plain connection of the loop's (`Database.first`): a read of a local file in
    WAL mode never waits for a writer. On PostgreSQL, a few asynchronous psycopg connections
    (app/loop_connections.py, for the loop that ran `start`), each query sent as SQL compiled
    once; the wait for one of them is the loop's, not a thread's, and past `wait_seconds` the
    read is refused as overload (503). Where the loop cannot ask (a busy SQLite file, a broken
    connection, another event loop), the query runs in a worker thread."""

    def __init__(self, db: Database, max_bytes: int = MAX_BYTES, wait_seconds: float = 5) -> None:
        self.cache = BoardCache(max_bytes)
        self._db = db
        self._connections: LoopConnections | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._dialect = db.reader.dialect
        self._wait = wait_seconds
        if not db.is_sqlite:
            conninfo = make_url(db.url).set(drivername="postgresql")
            self._conninfo = conninfo.render_as_string(hide_password=False)

    async def start(self) -> None:
        """PostgreSQL's connections for this event loop (the app's lifespan). A second loop
        that serves the same app (as tests do) reads in worker threads instead."""
        if self._db.is_sqlite or self._connections is not None:
            return
        self._connections = LoopConnections(self._conninfo, LOOP_CONNECTIONS, self._wait)
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        if self._connections is None or asyncio.get_running_loop() is not self._loop:
            return
        connections, self._connections, self._loop = self._connections, None, None
        await connections.close()

    async def first(self, statement: Select, params: dict[str, Any]) -> Any:
        """The first row of a prebuilt read statement (attributes by column name), or None."""
        db = self._db
        if db.reads_on_loop:
            try:
                return db.first(statement, params)
            except SQLITE_BUSY:
                pass
        elif self._connections is not None and asyncio.get_running_loop() is self._loop:
            p = plan(statement, self._dialect)
            try:
                return p.row_of(await self._connections.fetch_one(p.sql, p.values(params)))
            except ReadsBusy:
                raise  # overload: answered 503 (app/handlers.py), not waited out in a thread
            except psycopg.OperationalError:  # the connection broke (a restart)
                pass
        return await anyio.to_thread.run_sync(db.first, statement, params)
