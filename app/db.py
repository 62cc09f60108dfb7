"""Engines and the one unit of work.

`Database.session()` is the only place a transaction is opened: services add rows and queue
changes in the session's outbox; after a successful commit the outbox is handed to `publish`
(the bus), after a rollback it is dropped. SQLite gets two engines on the same file: writes
begin IMMEDIATE (so two writers queue on the lock instead of failing halfway), reads stay
deferred and never block.

The pools hold a connection for every request the admission gate lets in (`slots`), plus room
for the work that runs beside requests (live screens' renders and joins, background jobs), so
that an admitted request never waits for a connection. Waiting for a lock is bounded; running
out of either is `is_overload`: answered 503, never 500.
"""

import functools
import select
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
import psycopg
from sqlalchemy import Connection, Engine, Select, create_engine, event
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from app.config import Settings
from app.models.change import BoardChange
from app.plain_reads import PlainReads
from app.services.changes import CARRIES_CARDS, WRITE_LOCKED, take_outbox

Publish = Callable[[list[BoardChange]], None]
# What a read of a busy SQLite file (a checkpoint) raises on the event loop, plain or through
# SQLAlchemy: the caller asks again in a worker thread, which may wait.
SQLITE_BUSY = (sqlite3.OperationalError, OperationalError)
# Connections beyond the request slots: the default executor's threads (renders, joins, jobs).
BESIDE_REQUESTS = 8
POOL_TIMEOUT_SECONDS = 5
_FINISH = "finish"  # how to commit a request's unit of work, until it is committed


class Database:
    def __init__(self, url: str, slots: int = 16, lock_timeout: float = 5.0) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # Which boards' changes carry the cards they wrote: those a hub in this process hears
        # on an in-process bus and has screens of (set by the app; services/changes.CARRIES_CARDS).
        self.carries_cards: Callable[[int], bool] = _nobody_watches
        # A request may hold two connections (a read beside its audit trail's write).
        pool = {
            "pool_size": slots + BESIDE_REQUESTS,
            "max_overflow": slots,
            "pool_timeout": POOL_TIMEOUT_SECONDS,
        }
        if self.is_sqlite:
            _ensure_sqlite_folder(url)
            self.reader = _sqlite_engine(url, lock_timeout, immediate=False, **pool)
            self.writer = _sqlite_engine(url, lock_timeout, immediate=True, **pool)
            # The first connection switches the file to WAL, here, before any background sender
            # opens one of its own: switching while others are connected is refused at once.
            with self.writer.connect():
                pass
            memory = url.split("///", 1)[-1] in ("", ":memory:")
            self._plain = None if memory else PlainReads(url, lock_timeout)
        else:
            self._plain = None
            self.reader = self.writer = create_engine(
                url,
                connect_args={"options": f"-c lock_timeout={int(lock_timeout * 1000)}"},
                **pool,
            )
            _drop_closed_on_checkout(self.writer)
        for engine in {self.reader, self.writer}:
            _close_on_return_after_dispose(engine)

    @contextmanager
    def session(self, *, write: bool = True, publish: Publish | None = None) -> Iterator[Session]:
        """A unit of work: commit, then hand the outbox to `publish`; roll back on error."""
        session = self._open(write)
        try:
            yield session
        except BaseException:
            _abandon(session)
            raise
        _complete(session, publish)

    @asynccontextmanager
    async def transaction(
        self, *, write: bool = True, publish: Publish | None = None
    ) -> AsyncIterator[Session]:
        """The same unit of work for a request: the session opens on the event loop (it
        touches the database only when first used, in the handler's worker thread). The
        handler's hop commits it (`finish_early`, app/routing.py); otherwise the commit or
        rollback takes one more hop to a worker thread."""
        session = self._open(write)
        session.info[_FINISH] = functools.partial(_complete, session, publish, close=False)
        try:
            yield session
        except BaseException:
            session.info.pop(_FINISH, None)
            await anyio.to_thread.run_sync(_abandon, session)
            raise
        if session.info.pop(_FINISH, None):
            await anyio.to_thread.run_sync(_complete, session, publish)
        elif session.in_transaction():  # committed early, then read again while answering
            await anyio.to_thread.run_sync(_abandon, session)
        else:
            session.close()  # committed early: nothing held, no database work

    def _open(self, write: bool) -> Session:
        session = Session(self.writer if write else self.reader, expire_on_commit=False)
        session.info[CARRIES_CARDS] = self.carries_cards
        return session

    @property
    def reads_on_loop(self) -> bool:
        """Whether `first` may be asked on the event loop: a SQLite file, read on a plain
        connection of the calling thread's own (WAL: it never waits for a writer, and a busy
        file raises `SQLITE_BUSY` at once). Not PostgreSQL, not SQLite in memory (its reads
        share the pool)."""
        return self._plain is not None

    def read(self) -> Connection:
        """A plain read connection, no ORM session (use it as a context manager): for the
        hottest checks, such as a live screen's join, where a session costs more than the
        query."""
        return self.reader.connect()

    def first(self, statement: Select, params: dict[str, Any]) -> Any:
        """The first row of a prebuilt read statement (attributes by column name), or None.
        On SQLite on a plain connection of this thread's (app/plain_reads.py): from a thread
        running an event loop, a busy file raises `sqlite3.OperationalError` at once.
        Elsewhere on a read connection of the pool."""
        if self._plain is not None:
            return self._plain.first(statement, params)
        with self.reader.connect() as connection:
            return connection.execute(statement, params).first()

    def dispose(self) -> None:
        if self._plain is not None:
            self._plain.close()
        self.reader.dispose()
        if self.writer is not self.reader:
            self.writer.dispose()


def finish_early(session: Session) -> None:
    """Commit a request's unit of work (`Database.transaction`) in the thread that did its
    work, where the transaction would otherwise take one more hop to commit. The session stays
    open until the request ends: its rows may still be read while the answer is made."""
    if finish := session.info.pop(_FINISH, None):
        finish()


def _nobody_watches(_board_id: int) -> bool:
    return False


def _complete(session: Session, publish: Publish | None, *, close: bool = True) -> None:
    try:
        session.commit()
    except BaseException:
        _abandon(session)
        raise
    if close:
        session.close()
    outbox = take_outbox(session)
    if publish is not None and outbox:
        publish(outbox)


def _abandon(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.info.pop("outbox", None)
        session.close()


def _close_on_return_after_dispose(engine: Engine) -> None:
    """A connection still in use when the engine is disposed (a worker thread finishing its
    query while the server stops) returns to the discarded pool, which nobody closes: it would
    stay open until the garbage collector finds it. Close it on its return instead."""
    generation = [0]

    @event.listens_for(engine, "connect")
    def _remember_generation(_dbapi_conn: Any, record: Any) -> None:
        record.info["pool_generation"] = generation[0]

    @event.listens_for(engine, "engine_disposed")
    def _next_generation(_engine: Engine) -> None:
        generation[0] += 1

    @event.listens_for(engine, "checkin")
    def _close_if_discarded(dbapi_conn: Any, record: Any) -> None:
        if dbapi_conn is not None and record.info.get("pool_generation") != generation[0]:
            record.invalidate()


def _drop_closed_on_checkout(engine: Engine) -> None:
    """`pool_pre_ping`'s promise without its round trip: a PostgreSQL connection lent out of the
    pool works, even after the server restarted. An idle connection has nothing to read unless
    the server has closed it (its goodbye, or the socket's end), so one look at the socket,
    without waiting, tells a closed one; the pool then opens a fresh one in its place."""

    @event.listens_for(engine, "checkout")
    def _drop_if_closed(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_conn.closed or _readable(dbapi_conn.fileno()):
            raise DisconnectionError()


def _readable(fd: int) -> bool:
    poll = select.poll()  # not select.select(): a busy server's descriptors pass 1024
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(url: str, lock_timeout: float, *, immediate: bool, **pool: int) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": lock_timeout},
        poolclass=QueuePool,
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        # WAL is kept in the file: only the first connection switches it. Asking again while
        # another connection is open (a background sender's) could answer "database is locked".
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        conn.info[WRITE_LOCKED] = immediate

    return engine


def is_nul_refused(exc: BaseException) -> bool:
    """Did PostgreSQL's driver refuse a text holding a NUL (SQLite takes one)? The request's
    input, not the server's fault; the statement was never sent."""
    return (
        isinstance(exc, DBAPIError)
        and isinstance(exc.orig, psycopg.DataError)
        and "NUL" in str(exc.orig)
    )


def is_overload(exc: BaseException) -> bool:
    """Did the database refuse for want of room (a connection, a lock, the single writer), so
    that the same request may simply be sent again?"""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    cause = exc.orig
    if isinstance(cause, sqlite3.OperationalError):
        return "locked" in str(cause) or "busy" in str(cause)
    return isinstance(
        cause,
        psycopg.errors.LockNotAvailable
        | psycopg.errors.SerializationFailure
        | psycopg.errors.DeadlockDetected
        | psycopg.errors.TooManyConnections
        | psycopg.errors.QueryCanceled,
    )


def make_database(settings: Settings) -> Database:
    return Database(settings.database_url, settings.max_requests, settings.lock_timeout_seconds)
