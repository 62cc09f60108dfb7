"""The first row of a prebuilt read statement, at a fraction of what SQLAlchemy's execution costs.

The hottest reads (a request's sign-in, a board read's reach, a live screen's join) are one
prebuilt statement each, sent straight to the driver: the SQL compiled once per statement and
dialect (`plan`), the values converted by the very processors SQLAlchemy would use (dates,
enums, booleans): the same row, without a pool checkout, a `BEGIN`, an execution context and a
result object per read. On SQLite they run here, on a plain `sqlite3` connection of the calling
thread's own; each read is its own transaction (autocommit): in WAL mode it sees the last commit
and never waits for a writer. PostgreSQL's reads on the event loop use the same plans
(app/realtime/reads.py).

A thread that runs an event loop waits at most `LOOP_BUSY_SECONDS` for a busy file (a
checkpoint): `sqlite3.OperationalError` then, and the caller asks again in a worker thread.
"""

import asyncio
import sqlite3
import threading
from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Dialect, Select, make_url
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

LOOP_BUSY_SECONDS = 0.05
SQLITE = SQLiteDialect_pysqlite(paramstyle="named")

Convert = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Plan:
    sql: str
    constants: dict[str, Any]  # values bound in the statement itself, converted
    binds: dict[str, Convert]  # the parameters' converters, by name
    row: Callable[..., Any]  # a namedtuple of the columns
    results: tuple[Convert, ...]

    def values(self, params: dict[str, Any]) -> dict[str, Any]:
        """What the driver is sent: the statement's own values and `params`, converted."""
        values = dict(self.constants)
        for name, convert in self.binds.items():
            value = params[name]
            values[name] = convert(value) if convert and value is not None else value
        return values

    def row_of(self, raw: Sequence[Any] | None) -> Any:
        """The driver's row as SQLAlchemy would give it (attributes by column name)."""
        if raw is None:
            return None
        converted = zip(self.results, raw, strict=True)
        return self.row(*(f(v) if f and v is not None else v for f, v in converted))


@cache
def plan(statement: Select, dialect: Dialect = SQLITE) -> Plan:
    compiled = statement.compile(dialect=dialect)
    binds: dict[str, Convert] = {}
    constants: dict[str, Any] = {}
    for bind, name in compiled.bind_names.items():
        if bind.expanding or bind.callable is not None:
            raise ValueError(f"{name}: a plain read takes plain parameters only")
        convert = bind.type._cached_bind_processor(dialect)
        if bind.value is None:
            binds[name] = convert
        else:
            constants[name] = convert(bind.value) if convert else bind.value
    columns = compiled._result_columns
    return Plan(
        sql=str(compiled),
        constants=constants,
        binds=binds,
        row=namedtuple("Row", [c.keyname for c in columns], rename=True),
        results=tuple(c.type._cached_result_processor(dialect, None) for c in columns),
    )


def first_in(connection: Connection, statement: Select, params: dict[str, Any]) -> Any:
    """The same read inside a unit of work: on its connection and in its transaction, so it
    sees what the unit wrote before it commits (SQLite or PostgreSQL alike)."""
    dialect = SQLITE if connection.dialect.name == "sqlite" else connection.dialect
    p = plan(statement, dialect)  # SQLite's: named parameters, as the plain reads send them
    dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection is not None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(p.sql, p.values(params))
        return p.row_of(cursor.fetchone())
    finally:
        cursor.close()


class PlainReads:
    """Plain connections to one SQLite file, one per thread that reads, closed together."""

    def __init__(self, url: str, busy_seconds: float) -> None:
        self._path = make_url(url).database or ":memory:"
        self._busy = busy_seconds
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def first(self, statement: Select, params: dict[str, Any]) -> Any:
        """The first row of `statement` (attributes by column name), or None."""
        p = plan(statement)
        return p.row_of(self._connection().execute(p.sql, p.values(params)).fetchone())

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._open()
            self._local.connection = connection
        return connection

    def _open(self) -> sqlite3.Connection:
        on_loop = asyncio._get_running_loop() is not None
        connection = sqlite3.connect(
            self._path,
            timeout=LOOP_BUSY_SECONDS if on_loop else self._busy,
            isolation_level=None,
            check_same_thread=False,  # closed by `close`, from whichever thread stops the app
        )
        connection.execute("PRAGMA query_only=ON")
        with self._lock:
            self._opened.append(connection)
        return connection

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()
        self._local = threading.local()
