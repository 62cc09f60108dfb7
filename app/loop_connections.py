"""PostgreSQL's reads on the event loop: a few asynchronous psycopg connections, taken in turn.

A free connection is taken at once; only a read that finds none waits, first come first served,
with a timer of its own (`asyncio.timeout`, no extra task). psycopg_pool's wait with a time-out
started a task for every read, waiting or not, and a board read spent twice the CPU on the loop
that it spends here (bench/README.md).

A connection is made when it is first needed. One that was left mid-query (a request that went
away, a broken connection) is closed, and its place is made again on the next read.
"""

import asyncio
from collections import deque
from typing import Any

from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus

Turn = asyncio.Future[AsyncConnection[Any] | None]  # a waiting read's connection, handed over


class ReadsBusy(Exception):
    """Every connection stayed taken for longer than a read may wait: answered as overload."""


class LoopConnections:
    """`size` connections of one event loop, made with `conninfo` in autocommit."""

    def __init__(self, conninfo: str, size: int, wait_seconds: float) -> None:
        self._conninfo = conninfo
        self._wait = wait_seconds
        self._free: deque[AsyncConnection[Any] | None] = deque([None] * size)
        self._waiting: deque[Turn] = deque()
        self._made: set[AsyncConnection[Any]] = set()

    async def fetch_one(self, sql: str, values: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of `sql`, or None. `ReadsBusy` past the wait for a connection;
        psycopg's errors as they come."""
        connection = await self._take()
        try:
            if connection is None:
                connection = await AsyncConnection.connect(self._conninfo, autocommit=True)
                self._made.add(connection)
            cursor = await connection.execute(sql, values)
            return await cursor.fetchone()
        finally:
            if connection is not None and not _idle(connection):
                self._made.discard(connection)
                await connection.close()  # libpq's finish: it never waits
                connection = None
            self._give_back(connection)

    async def close(self) -> None:
        made, self._made = self._made, set()
        for connection in made:
            await connection.close()

    async def _take(self) -> AsyncConnection[Any] | None:
        if self._free:
            return self._free.popleft()
        turn: Turn = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            async with asyncio.timeout(self._wait):
                return await turn
        except BaseException as exc:
            if turn.done() and not turn.cancelled():  # handed over as the wait ended
                self._give_back(turn.result())
            elif turn in self._waiting:
                self._waiting.remove(turn)
            if isinstance(exc, TimeoutError):
                raise ReadsBusy() from None
            raise

    def _give_back(self, connection: AsyncConnection[Any] | None) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():  # not one cancelled a moment ago
                turn.set_result(connection)
                return
        self._free.append(connection)


def _idle(connection: AsyncConnection[Any]) -> bool:
    return connection.info.transaction_status == TransactionStatus.IDLE
