"""Fixtures: a fresh database per test (SQLite and PostgreSQL), the app, clients, factories.

The whole suite runs once per database backend. PostgreSQL, Redis and Chromium are used when
reachable and skipped with a visible reason otherwise; BORD_REQUIRE=postgres,redis,browser turns
those skips into failures.

Every test starts with the app's clock at one instant (BORD_TEST_NOW, an ISO time with its
offset; by default a Monday 00:30 in Amsterdam, an hour that UTC still calls Sunday), so no test
depends on the wall clock; a test may set it elsewhere with `clock.set_now`.
"""

import gc
import os
import shutil
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from app import clock
from app.config import Settings
from app.main import create_app
from tests.factories import Factory
from tests.mailbox import Mailbox
from tests.mailbox import start as start_mailbox

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get(
    "BORD_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PG_DB = f"bord_test_{os.getpid()}"  # one per run, so parallel runs never collide
REDIS_URL = os.environ.get("BORD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Redis's channels are the server's, whatever the database number: one per test process, set
# (not defaulted) here, since the parallel workers inherit the environment of the process that
# started them. Two workers on one channel would deliver each other's changes (their ids are
# the same) to their servers' screens.
os.environ["BORD_REDIS_CHANNEL"] = f"bord:test:{os.getpid()}"
NOW = datetime.fromisoformat(os.environ.get("BORD_TEST_NOW", "2026-11-30T00:30:00+01:00"))
REQUIRED = {p.strip() for p in os.environ.get("BORD_REQUIRE", "").split(",") if p.strip()}


def pytest_configure(config: pytest.Config) -> None:
    # Each test builds an app, and its first requests build FastAPI's routes and pydantic's
    # validators: many objects in little time, so the default thresholds have the cycle
    # collector walk the whole heap (every module, every route) some fifty times a test file,
    # a third of the run. Collecting less often keeps memory in check at a fraction of that.
    gc.set_threshold(10_000, 10, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    # what is imported and collected by now lives until the end of the run: not walked again
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use Redis run one after another on one worker (make test runs two): some
    of them cut every pub/sub connection of the server to prove the reconnect."""
    for item in items:
        if "redis_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("redis"))


def unavailable(what: str, reason: str) -> None:
    """Skip, or fail when CI requires `what`."""
    if what in REQUIRED:
        pytest.fail(f"{what} is required (BORD_REQUIRE) but {reason}", pytrace=False)
    pytest.skip(f"{what} not available: {reason}")


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def alembic_upgrade(url: str) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["database_url"] = url
    command.upgrade(cfg, "head")


def pg_url(dbname: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[datetime]:
    clock.set_now(NOW)
    yield NOW
    clock.set_now(None)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "bord.db"
    alembic_upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    if not reachable("127.0.0.1", 5432):
        unavailable("postgres", "nothing listens on 127.0.0.1:5432")
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DB}"))
    url = pg_url(PG_DB)
    alembic_upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, request, tmp_path) -> str:
    return fresh_database_url(backend, request, tmp_path)


def fresh_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database for one test: a copy of the SQLite template, or the
    PostgreSQL test database with every table emptied."""
    if backend == "sqlite":
        path = tmp_path / "bord.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    engine = create_engine(url)
    # DELETE, children first, rather than TRUNCATE: a test leaves a few rows, and TRUNCATE gives
    # each of some fifty tables and their indexes new files (half a second a test)
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(RESTART_SEQUENCES)
    engine.dispose()
    return url


# ids start again at 1, as after TRUNCATE … RESTART IDENTITY
RESTART_SEQUENCES = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
    "FROM pg_sequences WHERE schemaname = current_schema()"
)


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(env="test", database_url=database_url, redis_url=None, secret_key="test")


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    # also when no client ran the app's lifespan (which disposes it): a pool dropped
    # with open connections would warn in whichever test runs next
    app.state.db.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def factory(app, client) -> Factory:
    return Factory(app, client)


@pytest.fixture
def redis_url() -> str:
    if not reachable("127.0.0.1", 6379):
        unavailable("redis", "nothing listens on 127.0.0.1:6379")
    return REDIS_URL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on a free port; a test module points the app at it by overriding
    `settings` (see tests/test_invitations.py)."""
    box = Mailbox()
    controller = start_mailbox(box, free_port())
    yield box
    controller.stop()
