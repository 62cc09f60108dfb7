"""PostgreSQL's reads on the event loop (app/loop_connections.py): taken in turn, sent together
while every connection is busy, refused as overload past the wait, and never a connection left
mid-query or broken for the next read."""

import asyncio

import httpx
import psycopg
import pytest
from sqlalchemy import func, make_url, select

from app.loop_connections import LoopConnections, ReadsBusy
from app.main import create_app
from app.realtime.reads import LOOP_CONNECTIONS
from tests.test_board_reads import API, add_action

SLEEP = "SELECT pg_sleep(%(seconds)s)::text"
PID = "SELECT pg_backend_pid()"
RUNNING = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND query LIKE 'SELECT pg_sleep%%' AND state = 'active'"
)


@pytest.fixture
def conninfo(postgres_database) -> str:
    return make_url(postgres_database).set(drivername="postgresql").render_as_string(False)


async def test_reads_wait_in_turn_and_are_refused_past_the_wait(conninfo):
    connections = LoopConnections(conninfo, 1, wait_seconds=5)
    served: list[str] = []

    async def read(name: str, seconds: float) -> None:
        await connections.fetch_one(SLEEP, {"seconds": seconds})
        served.append(name)

    try:
        first = asyncio.create_task(read("first", 0.3))
        await asyncio.sleep(0.05)  # the first holds the one connection
        second = asyncio.create_task(read("second", 0))
        await asyncio.sleep(0)
        third = asyncio.create_task(read("third", 0))
        await asyncio.gather(first, second, third)
        assert served == ["first", "second", "third"]  # first come, first served

        hurried = LoopConnections(conninfo, 1, wait_seconds=0.1)
        holder = asyncio.create_task(hurried.fetch_one(SLEEP, {"seconds": 1}))
        await asyncio.sleep(0.05)
        with pytest.raises(ReadsBusy):
            await hurried.fetch_one(PID, {})
        await holder
        assert (await hurried.fetch_one(PID, {}))[0] > 0  # free again: read at once
        await hurried.close()
    finally:
        await connections.close()


async def test_reads_that_wait_together_go_in_one_round_trip_each_with_its_own_answer(conninfo):
    """While every connection is busy, the reads behind it are sent together when one is
    free: one round trip for all, each read its own row; a read that fails fails alone."""
    connections = LoopConnections(conninfo, 1, wait_seconds=5)
    try:
        holder = asyncio.create_task(connections.fetch_one(SLEEP, {"seconds": 0.3}))
        await asyncio.sleep(0.05)
        waiting = [connections.fetch_one("SELECT %(n)s::int * 10", {"n": n}) for n in range(6)]
        rows = await asyncio.gather(*waiting)
        await holder
        assert rows == [(n * 10,) for n in range(6)]
        assert connections.round_trips == 2  # the holder's, then the six together

        holder = asyncio.create_task(connections.fetch_one(SLEEP, {"seconds": 0.3}))
        await asyncio.sleep(0.05)
        ratios = [connections.fetch_one("SELECT 60 / %(n)s", {"n": n}) for n in (1, 0, 3)]
        answers = await asyncio.gather(*ratios, return_exceptions=True)
        await holder
        assert answers[0] == (60,) and answers[2] == (20,)
        assert isinstance(answers[1], psycopg.errors.DivisionByZero)
        assert (await connections.fetch_one(PID, {}))[0] > 0  # the connection still serves

        # one of the reads sent together goes away: the others are answered all the same
        holder = asyncio.create_task(connections.fetch_one(SLEEP, {"seconds": 0.3}))
        await asyncio.sleep(0.05)
        slow = "SELECT %(n)s::int, pg_sleep(0.3)::text"
        kept = [asyncio.create_task(connections.fetch_one(slow, {"n": n})) for n in range(3)]
        await holder
        await asyncio.sleep(0.1)  # the three are on their way together
        kept[1].cancel()
        rows = await asyncio.wait_for(asyncio.gather(kept[0], kept[2]), 5)
        assert [row[0] for row in rows] == [0, 2]
        assert kept[1].cancelled()
    finally:
        await connections.close()


async def test_a_read_that_gives_up_waiting_takes_no_connection_with_it(conninfo):
    """A request that goes away while it waits for a connection: the connection it waited for
    goes to the next read, not to nobody (which would refuse every read from then on)."""
    connections = LoopConnections(conninfo, 1, wait_seconds=1)
    try:
        holder = asyncio.create_task(connections.fetch_one(SLEEP, {"seconds": 0.3}))
        await asyncio.sleep(0.05)
        gone = asyncio.create_task(connections.fetch_one(PID, {}))
        await asyncio.sleep(0)  # waiting for the one connection
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone
        await holder
        # a lost connection would leave the next read waiting, then refused (ReadsBusy)
        assert (await connections.fetch_one(PID, {}))[0] > 0
        assert (await connections.fetch_one(PID, {}))[0] > 0
    finally:
        await connections.close()


async def test_a_read_abandoned_mid_query_leaves_no_connection_behind(conninfo):
    connections = LoopConnections(conninfo, 1, wait_seconds=5)
    try:
        await connections.fetch_one(PID, {})
        abandoned = asyncio.create_task(connections.fetch_one(SLEEP, {"seconds": 30}))
        await asyncio.sleep(0.2)
        abandoned.cancel()  # the request went away while its query ran
        with pytest.raises(asyncio.CancelledError):
            await abandoned
        # the next read is answered, and nothing of the abandoned one runs on any connection
        # (psycopg cancels the query; a connection left mid-query would be closed instead)
        after = (await connections.fetch_one(PID, {}))[0]
        assert after > 0
        running = await connections.fetch_one(RUNNING, {})
        assert running == (0,)
    finally:
        await connections.close()


async def test_a_broken_connection_is_made_again(conninfo):
    connections = LoopConnections(conninfo, 1, wait_seconds=5)
    try:
        pid = (await connections.fetch_one(PID, {}))[0]
        async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as admin:
            await admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        await asyncio.sleep(0.1)
        with pytest.raises(psycopg.OperationalError):
            await connections.fetch_one(PID, {})
        assert (await connections.fetch_one(PID, {}))[0] != pid
    finally:
        await connections.close()


async def test_a_board_read_past_the_wait_is_answered_busy(client, factory, settings, backend):
    """Every loop connection taken for longer than a read may wait: 503 with Retry-After at
    once, and the next read is answered as usual."""
    if backend != "postgres":
        return  # SQLite's reads on the loop never wait for a connection
    w = factory.world()
    headers = factory.api(w.teacher)
    add_action(client, factory, w.teacher, w.board.id, "Rekenles ontwerpen")
    app = create_app(settings.model_copy(update={"queue_timeout_seconds": 0.2}))
    reads = app.state.board_reads
    await reads.start()
    transport = httpx.ASGITransport(app=app)
    sleep = select(func.pg_sleep(1))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bord") as server:
            url = f"{API}/boards/{w.board.id}"
            holders = [asyncio.create_task(reads.first(sleep, {})) for _ in range(LOOP_CONNECTIONS)]
            await asyncio.sleep(0.1)
            busy = await server.get(url, headers=headers)
            assert busy.status_code == 503
            assert busy.headers["Retry-After"]
            await asyncio.gather(*holders)
            read = await server.get(url, headers=headers)
            assert read.status_code == 200
            assert read.json()["actions"][0]["title"] == "Rekenles ontwerpen"
    finally:
        app.state.token_use.close()
        await reads.stop()
        app.state.db.dispose()
