"""Where the time of one edit goes: a PATCH of an action and a POST of a success, profiled.

    python bench/profile_write.py [--db sqlite|postgres] [--requests 300] [--top 25]

Runs the app in process (its lifespan, an ASGI client, no network, nobody watching) on a fresh
database made like bench/http_load.py's. Times each request twice: as served (sync dependencies
and handlers hop to worker threads) and with every hop made inline, so the difference is what
the hops cost; then profiles the inline runs with cProfile (one thread sees all the work) and
prints the functions by cumulative time. With pyinstrument installed, `--pyinstrument` prints its
call tree instead.
"""

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import secrets
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import anyio.to_thread
import httpx
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fanout import percentile  # noqa: E402
from http_load import ADMIN_EMAIL, SCHOOL_SLUG, TEACHER_EMAIL, bord_command, database  # noqa: E402

THREAD_HOP = anyio.to_thread.run_sync


async def inline(func, *args, **_):
    return func(*args)


@contextmanager
def hops(on: bool):
    anyio.to_thread.run_sync = THREAD_HOP if on else inline
    try:
        yield
    finally:
        anyio.to_thread.run_sync = THREAD_HOP


async def run(args, db_url: str) -> None:
    env = {**os.environ, "BORD_DATABASE_URL": db_url, "BORD_ENV": "production"}
    env["BORD_SECRET_KEY"] = secrets.token_hex(32)
    env.pop("BORD_REDIS_URL", None)
    bord_command(env, "db", "upgrade")
    bord_command(
        env,
        "user",
        "create",
        "--email",
        ADMIN_EMAIL,
        "--name",
        "B",
        "--admin",
        stdin=secrets.token_urlsafe(16),
    )
    token = bord_command(env, "token", "create", "--email", ADMIN_EMAIL)

    from app.config import Settings
    from app.main import create_app

    app = create_app(
        Settings(database_url=db_url, env="production", secret_key=secrets.token_hex(32))
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://bord.test",
            headers={"Authorization": f"Bearer {token}"},
        ) as http,
    ):

        async def post(path: str, body: dict) -> dict:
            r = await http.post(path, json=body)
            assert r.status_code == 201, (path, r.status_code, r.text)
            return r.json()

        school = await post("/api/v1/schools", {"name": "School", "slug": SCHOOL_SLUG})
        team = await post(f"/api/v1/schools/{school['id']}/teams", {"name": "Team"})
        bord_command(
            env,
            *("user", "create", "--email", TEACHER_EMAIL, "--name", "Leerkracht"),
            *("--school", SCHOOL_SLUG, "--role", "teacher"),
            stdin=secrets.token_urlsafe(16),
        )
        await post(f"/api/v1/teams/{team['id']}/members", {"email": TEACHER_EMAIL})
        board = await post(f"/api/v1/teams/{team['id']}/boards", {"title": "B", "kind": "team"})
        for i in range(100):
            action = await post(f"/api/v1/boards/{board['id']}/actions", {"title": f"Actie {i}"})
        state = {"version": action["version"], "n": 0}
        teacher = bord_command(env, "token", "create", "--email", TEACHER_EMAIL)
        http.headers["Authorization"] = f"Bearer {teacher}"  # what follows is a teacher's

        async def patch() -> None:
            state["n"] += 1
            r = await http.patch(
                f"/api/v1/actions/{action['id']}",
                json={"title": f"Ronde {state['n']}", "version": state["version"]},
            )
            assert r.status_code == 200, r.text
            state["version"] = r.json()["version"]

        async def success() -> None:
            await post(f"/api/v1/boards/{board['id']}/successes", {"text": "Gelukt"})

        statements: list[str] = []

        def seen(conn, cursor, statement, *_):
            statements.append(" ".join(statement.split())[:110])

        db = app.state.db
        for engine in {db.reader, db.writer}:
            event.listen(engine, "before_cursor_execute", seen)

        for name, call in (("PATCH /api/v1/actions/{id}", patch), ("POST successes", success)):
            print(f"\n== {name} ({args.db}) ==")
            await call()
            statements.clear()
            await call()
            print(f"{len(statements)} SQL statements for one request:")
            for statement in statements:
                print(f"  {statement}")
            for on in (False, True, False, True):  # twice each: the machine is shared
                with hops(on):
                    for _ in range(20):
                        await call()
                    times = []
                    for _ in range(args.requests):
                        t0 = time.perf_counter()
                        await call()
                        times.append(time.perf_counter() - t0)
                p50, p99 = percentile(times, 50) * 1000, percentile(times, 99) * 1000
                how = "with thread hops" if on else "hops inline"
                print(f"{how:>17}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
            with hops(False):
                if args.pyinstrument:
                    from pyinstrument import Profiler

                    profiler = Profiler(interval=0.0002, async_mode="enabled")
                    profiler.start()
                    for _ in range(args.requests):
                        await call()
                    profiler.stop()
                    print(profiler.output_text(unicode=True, color=False, show_all=False))
                else:
                    profile = cProfile.Profile()
                    profile.enable()
                    for _ in range(args.requests):
                        await call()
                    profile.disable()
                    out = io.StringIO()
                    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
                    stats.print_stats(args.top)
                    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25, help="functions listed by cProfile")
    parser.add_argument("--pyinstrument", action="store_true", help="a call tree (pip install)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bord-profile-"))
    try:
        with database(args.db, workdir) as db_url:
            asyncio.run(run(args, db_url))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
