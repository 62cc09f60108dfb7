"""The engines' life: what a server's stop leaves behind."""

import sqlite3
import time

from sqlalchemy import text

from app.db import Database


def _is_closed(dbapi_connection) -> bool:
    if isinstance(dbapi_connection, sqlite3.Connection):
        try:
            dbapi_connection.execute("select 1")
        except sqlite3.ProgrammingError:
            return True
        return False
    return dbapi_connection.closed


def test_a_connection_in_use_when_the_server_stops_is_closed_on_its_return(database_url):
    # a worker thread still finishing its query while the lifespan disposes the engines: its
    # connection would otherwise stay open in the discarded pool until the garbage collector
    # finds it (a warning in whatever runs then)
    db = Database(database_url)
    busy = db.read()
    busy.execute(text("select 1"))
    in_use = busy.connection.dbapi_connection
    db.dispose()
    busy.close()
    assert _is_closed(in_use)

    # the same Database serves again after a restart, its connections kept between requests
    with db.read() as again:
        assert again.execute(text("select 1")).scalar() == 1
        reused = again.connection.dbapi_connection
    assert not _is_closed(reused)
    db.dispose()
    assert _is_closed(reused)


def test_connections_the_server_closed_are_replaced_before_use(postgres_database):
    # a PostgreSQL restart ends every connection the pool keeps; the next request must not
    # be the one that finds out (an error page), whichever connection it is lent
    db = Database(postgres_database)
    held = [db.read() for _ in range(3)]
    pids = [c.execute(text("select pg_backend_pid()")).scalar() for c in held]
    for connection in held:
        connection.close()  # back into the pool, idle

    admin = Database(postgres_database)
    with admin.read() as connection:
        terminate = text("select pg_terminate_backend(pid) from unnest(:pids) pid")
        connection.execute(terminate, {"pids": pids})
        connection.commit()
        # the backends end when they see the signal: wait until they have, as after a restart
        alive = text("select count(*) from pg_stat_activity where pid = any(:pids)")
        for _ in range(500):
            if connection.execute(alive, {"pids": pids}).scalar() == 0:
                break
            time.sleep(0.01)
    admin.dispose()

    for _ in range(3):
        with db.read() as again:
            assert again.execute(text("select 1")).scalar() == 1
    db.dispose()
