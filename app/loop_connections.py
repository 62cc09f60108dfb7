"""PostgreSQL's reads on the event loop: a few asynchronous psycopg connections, each served by a
task of its own that sends the reads waiting for it together.

A read joins one queue, first come first served. A connection's task takes the first read
waiting; when every other task is busy it takes the reads behind it too (at most `BATCH`) and
sends them in one go (psycopg's pipeline mode): in a burst, one round trip and one wake-up of
the loop answer many reads, where each read cost both of its own (bench/README.md). While
other tasks are free, a read goes to a free one rather than behind a slow query.

A read that no task has taken within `wait_seconds` is refused as overload (`ReadsBusy`, a
503); once taken it is answered. A read whose request went away is left out, or, when every
read of a round trip went away, the query is cancelled. A connection left mid-query or broken
is closed, and made again for the next round trip.
"""

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus

BATCH = 16  # reads sent in one round trip, at most
Row = tuple[Any, ...] | None


class ReadsBusy(Exception):
    """No connection was free to take the read within the wait: answered as overload."""


@dataclass(slots=True, eq=False)
class _Read:
    sql: str
    values: dict[str, Any]
    row: "asyncio.Future[Row]"
    timer: asyncio.Timeout | None = None


class LoopConnections:
    """`size` connections of one event loop, made with `conninfo` in autocommit."""

    def __init__(self, conninfo: str, size: int, wait_seconds: float) -> None:
        self._conninfo = conninfo
        self._size = size
        self._wait = wait_seconds
        self._queue: asyncio.Queue[_Read] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._busy = 0  # tasks with reads taken
        self.round_trips = 0  # reads sent together count once

    async def fetch_one(self, sql: str, values: dict[str, Any]) -> Row:
        """The first row of `sql`, or None. `ReadsBusy` when no connection took the read
        within the wait; psycopg's errors as they come."""
        queue = self._start()
        read = _Read(sql, values, asyncio.get_running_loop().create_future())
        try:
            async with asyncio.timeout(self._wait) as timer:
                read.timer = timer
                queue.put_nowait(read)
                return await read.row
        except TimeoutError:
            raise ReadsBusy() from None

    async def close(self) -> None:
        tasks, self._tasks, self._queue = self._tasks, [], None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _start(self) -> "asyncio.Queue[_Read]":
        if self._queue is None:
            self._queue = asyncio.Queue()
            self._tasks = [asyncio.create_task(self._serve(self._queue)) for _ in range(self._size)]
        return self._queue

    async def _serve(self, queue: "asyncio.Queue[_Read]") -> None:
        connection: AsyncConnection[Any] | None = None
        try:
            while True:
                first = await queue.get()
                self._busy += 1
                try:
                    connection = await self._round_trip(connection, queue, first)
                finally:
                    self._busy -= 1
        finally:
            if connection is not None:
                await connection.close()

    async def _round_trip(
        self, connection: AsyncConnection[Any] | None, queue: "asyncio.Queue[_Read]", first: _Read
    ) -> AsyncConnection[Any] | None:
        """Answer `first`, and the reads behind it that no free task would take at once; the
        connection to use next (None: made again)."""
        batch = _taken([first])
        while queue.qsize() > self._size - self._busy and len(batch) < BATCH:
            batch += _taken([queue.get_nowait()])
        if not batch:
            return connection
        try:
            if connection is None:
                connection = await AsyncConnection.connect(self._conninfo, autocommit=True)
            self.round_trips += 1
            await _answer(connection, batch)
        except BaseException as exc:  # no read is left waiting: not on an error, nor closing
            _fail(batch, exc if isinstance(exc, Exception) else ConnectionError("closed"))
            if connection is not None:
                await connection.close()
            if isinstance(exc, Exception):
                return None
            raise
        if connection.closed or not _idle(connection):
            await connection.close()  # libpq's finish: it never waits
            return None
        return connection


def _taken(reads: list[_Read]) -> list[_Read]:
    """The reads still wanted, their wait for a connection over."""
    wanted = [read for read in reads if not read.row.done()]
    for read in wanted:
        if read.timer is not None:
            read.timer.reschedule(None)
    return wanted


async def _answer(connection: AsyncConnection[Any], batch: list[_Read]) -> None:
    """Send the reads, give each its row (or the error). When every read went away before
    the answer came, the query is cancelled (psycopg cancels it on the server)."""
    task = asyncio.current_task()
    answered = abandoned = False

    def gone(_: object) -> None:
        nonlocal abandoned
        if task and not answered and not abandoned and all(r.row.cancelled() for r in batch):
            abandoned = True
            task.cancel()

    for read in batch:
        read.row.add_done_callback(gone)
    try:
        rows = await _fetch(connection, batch)
    except asyncio.CancelledError:
        if not abandoned:
            raise  # the task itself is cancelled: closing
        if task:
            task.uncancel()
        return
    except Exception as exc:  # noqa: BLE001 - given to the reads that asked
        answered = True
        if len(batch) == 1 or connection.closed:
            _fail(batch, exc)
        else:  # a read that failed aborted the others sent with it: each is asked alone
            for read in batch:
                await _answer(connection, [read])
        return
    finally:
        answered = True
    for read, row in zip(batch, rows, strict=True):
        if not read.row.done():
            read.row.set_result(row)


async def _fetch(connection: AsyncConnection[Any], batch: list[_Read]) -> list[Row]:
    if len(batch) == 1:
        cursor = await connection.execute(batch[0].sql, batch[0].values)
        return [await cursor.fetchone()]
    async with connection.pipeline() as pipeline:
        cursors = [await connection.execute(read.sql, read.values) for read in batch]
        await pipeline.sync()
        return [await cursor.fetchone() for cursor in cursors]


def _fail(batch: list[_Read], exc: Exception) -> None:
    for read in batch:
        if not read.row.done():
            read.row.set_exception(exc)


def _idle(connection: AsyncConnection[Any]) -> bool:
    with contextlib.suppress(Exception):
        return connection.info.transaction_status == TransactionStatus.IDLE
    return False
