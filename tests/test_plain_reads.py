"""The hottest reads (sign-in, a board read's reach, a screen's join) as plain prebuilt queries:
the same rows as SQLAlchemy would give, and a busy SQLite file never holds the event loop."""

import asyncio
import sqlite3
import threading

from app import clock
from app.db import Database
from app.models import User
from app.realtime.reads import BoardReads
from app.security.tokens import token_hash
from app.services import accounts
from app.services.changes import take_outbox
from app.web import sign_in


def test_a_plain_read_gives_the_row_sqlalchemy_gives(app, client, factory):
    # a login's row holds dates, flags and text: each comes back as the ORM would read it
    w = factory.world()
    factory.login(w.teacher)
    secret = factory.client.cookies.get("bord_session")
    params = {"hash": token_hash(secret), "now": clock.now()}
    db = app.state.db

    async def on_the_loop(params: dict) -> object:
        # as a request asks: SQLite's plain read, PostgreSQL's asynchronous connections
        reads = BoardReads(db)
        await reads.start()
        try:
            return await reads.first(sign_in._BY_COOKIE, params)
        finally:
            await reads.stop()

    with db.read() as connection:
        orm = connection.execute(sign_in._BY_COOKIE, params).first()
    assert orm is not None
    for plain in (db.first(sign_in._BY_COOKIE, params), asyncio.run(on_the_loop(params))):
        assert plain is not None
        assert plain._asdict() == orm._asdict()
        assert plain.user_name == "Tim Teacher"
        assert plain.login_expires_at > params["now"]

    # a credential that matches nothing is no row, not an error
    unknown = {**params, "hash": token_hash("unknown")}
    assert db.first(sign_in._BY_COOKIE, unknown) is None
    assert asyncio.run(on_the_loop(unknown)) is None


def test_a_busy_sqlite_file_sends_the_read_to_a_thread_and_the_loop_runs_on(settings, backend):
    if backend != "sqlite":
        return  # PostgreSQL's reads wait on the loop's own asynchronous connections
    db = Database(settings.database_url)
    with db.session() as s:
        user = User(email="tim@example.nl", name="Tim Teacher", password_hash="-")
        s.add(user)
        s.flush()
        token, _ = accounts.create_token(s, user)
        take_outbox(s)
    db.dispose()  # nothing of ours holds the file now
    reads = BoardReads(db)
    params = {"hash": token_hash(token), "now": clock.now()}

    # another program's exclusive lock: no reader gets in until it is released
    path = settings.database_url.split("///", 1)[1]
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")

    def release() -> None:
        holder.execute("COMMIT")
        holder.close()

    async def scenario() -> tuple[object, int]:
        ticks = 0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        ticking = asyncio.create_task(ticker())
        threading.Timer(0.5, release).start()
        row = await reads.first(sign_in._BY_TOKEN, params)
        done.set()
        await ticking
        return row, ticks

    try:
        row, ticks = asyncio.run(scenario())
    finally:
        db.dispose()
    assert row is not None and row.user_name == "Tim Teacher"
    assert ticks >= 5  # the loop went on while the read waited for the lock in a thread
