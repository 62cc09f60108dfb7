"""The `bord` console script, run as a user would: a real process against a fresh SQLite file."""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app import cli
from app.config import Settings, get_settings
from app.db import Database
from app.main import create_app
from app.models import ApiToken, Board, Membership, Role, School, ScreenLink, User
from app.security.passwords import verify_password
from app.services import accounts, demo

BORD = Path(sys.executable).with_name("bord")


def bord(url: str, *args: str, stdin: str = "", cwd: Path | None = None):
    env = {**os.environ, "BORD_DATABASE_URL": url, "BORD_ENV": "test"}
    env.pop("BORD_SECRET_KEY", None)
    env.pop("BORD_REDIS_URL", None)
    env.pop("BORD_SMTP_URL", None)
    return subprocess.run(
        [str(BORD), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def run_main(monkeypatch, capsys):
    """`bord` in this process (quicker than a subprocess) for the refusals; returns
    (exit code, stdout, stderr)."""

    def run(url: str, *args: str, stdin: str = "", env: dict[str, str] | None = None):
        monkeypatch.setenv("BORD_DATABASE_URL", url)
        monkeypatch.setenv("BORD_ENV", "test")
        monkeypatch.delenv("BORD_SECRET_KEY", raising=False)
        monkeypatch.delenv("BORD_REDIS_URL", raising=False)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        get_settings.cache_clear()
        try:
            code = cli.main(list(args))
        finally:
            get_settings.cache_clear()
        out, err = capsys.readouterr()
        return code, out, err

    return run


def query(url: str, statement):
    db = Database(url)
    try:
        with Session(db.reader) as session:
            return session.exec(statement).all()
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[str, str]:
    """One database, migrated and with the demo school, shared by the module's tests (each
    writes only rows of its own); returns the URL and what the first `bord demo` printed."""
    folder = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{folder}/bord.db"
    upgraded = bord(url, "db", "upgrade", cwd=folder)
    assert upgraded.returncode == 0, upgraded.stderr
    seeded = bord(url, "demo", cwd=folder)
    assert seeded.returncode == 0, seeded.stderr
    return url, seeded.stdout


@pytest.fixture
def migrated(seeded) -> str:
    return seeded[0]


def test_the_console_script_is_installed():
    assert BORD.exists(), "install the project (make dev-install) so that .venv/bin/bord exists"


def test_unknown_command_is_refused_with_usage(run_main, tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        run_main(f"sqlite:///{tmp_path}/x.db", "frobnicate")
    assert caught.value.code == 2
    assert "usage: bord" in capsys.readouterr().err


def test_db_upgrade_creates_the_schema_in_a_fresh_file(tmp_path):
    url = f"sqlite:///{tmp_path}/sub/bord.db"
    result = bord(url, "db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert query(url, select(func.count()).select_from(User)) == [0]
    assert bord(url, "db", "upgrade", cwd=tmp_path).returncode == 0


def test_demo_twice_is_idempotent_and_prints_the_logins(seeded):
    url, first = seeded
    assert "created" in first
    counts = query(url, select(func.count()).select_from(User))
    versions = query(url, select(Board.id, Board.version).order_by(Board.id))
    second = bord(url, "demo")
    assert second.returncode == 0, second.stderr
    assert query(url, select(Board.id, Board.version).order_by(Board.id)) == versions
    assert query(url, select(func.count()).select_from(User)) == counts
    assert query(url, select(func.count()).select_from(School)) == [3]  # and the network's two
    for output in (first, second.stdout):
        assert demo.PASSWORD in output
        for email, _name, _what in demo.logins():
            assert email in output
    assert "exists already" in second.stdout
    assert "Mail is off (BORD_SMTP_URL is not set)" in first  # so `make run` says so


def test_user_create_reads_the_password_from_stdin(migrated):
    result = bord(
        migrated,
        "user",
        "create",
        "--email",
        "Nieuw@School.nl",
        "--name",
        "Nieuwe Collega",
        "--school",
        demo.SLUG,
        "--role",
        "ib",
        stdin="een-goed-wachtwoord\n",
    )
    assert result.returncode == 0, result.stderr
    [user] = query(migrated, select(User).where(User.email == "nieuw@school.nl"))
    assert user.name == "Nieuwe Collega" and not user.is_admin
    [role] = query(migrated, select(Membership.role).where(Membership.user_id == user.id))
    assert role == Role.ib
    assert verify_password("een-goed-wachtwoord", user.password_hash)


def test_user_create_refuses_a_duplicate_email(migrated, run_main):
    args = ("user", "create", "--email", "dubbel@school.nl", "--name", "Een")
    assert run_main(migrated, *args, stdin="wachtwoord-1\n")[0] == 0
    code, _out, err = run_main(
        migrated, "user", "create", "--email", "DUBBEL@school.nl", "--name", "Twee",
        stdin="wachtwoord-2\n",
    )  # fmt: skip
    assert code == 1
    assert "exists" in err
    [name] = query(migrated, select(User.name).where(User.email == "dubbel@school.nl"))
    assert name == "Een"


def test_user_create_refuses_an_unknown_school_and_a_short_password(migrated, run_main):
    code, _, err = run_main(
        migrated, "user", "create", "--email", "a@b.nl", "--name", "A",
        "--school", "bestaat-niet", stdin="wachtwoord-1\n",
    )  # fmt: skip
    assert code == 1
    assert "bestaat-niet" in err
    code, _, err = run_main(
        migrated, "user", "create", "--email", "a@b.nl", "--name", "A", stdin="kort\n"
    )
    assert code == 1
    assert "password" in err
    code, _, err = run_main(migrated, "user", "create", "--email", "a@b.nl", "--name", "A",
                            "--role", "ib", stdin="wachtwoord-1\n")  # fmt: skip
    assert code == 1
    assert "--school" in err
    assert query(migrated, select(User).where(User.email == "a@b.nl")) == []


def test_user_create_admin(migrated, run_main):
    code, out, _ = run_main(migrated, "user", "create", "--email", "root@bord.local",
                            "--name", "Root", "--admin", stdin="wachtwoord-root\n")  # fmt: skip
    assert code == 0
    assert "root@bord.local" in out
    [user] = query(migrated, select(User).where(User.email == "root@bord.local"))
    assert user.is_admin


def test_token_create_prints_one_token_that_authenticates(migrated):
    result = bord(migrated, "token", "create", "--email", "joris@deregenboog.nl", "--label", "ci")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    token = lines[0]
    assert token.startswith("bord_") and " " not in token
    assert query(migrated, select(ApiToken.label).where(ApiToken.label == "ci")) == ["ci"]

    app = create_app(Settings(env="test", database_url=migrated, redis_url=None, secret_key="t"))
    if any(getattr(route, "path", None) == "/api/v1/me" for route in app.routes):
        with TestClient(app) as client:
            me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200, me.text
            assert me.json()["email"] == "joris@deregenboog.nl"
            anonymous = client.get("/api/v1/me")
            assert anonymous.status_code == 401
    else:  # the API is not mounted in this build: check the token against the database
        db = Database(migrated)
        with Session(db.reader) as session:
            user = accounts.token_user(session, token)
        db.dispose()
        assert user is not None and user.email == "joris@deregenboog.nl"


def test_token_create_for_an_unknown_email_fails(migrated, run_main):
    code, out, err = run_main(migrated, "token", "create", "--email", "niemand@school.nl")
    assert code == 1
    assert out == ""
    assert "niemand@school.nl" in err


def test_production_without_a_secret_is_refused(tmp_path, run_main):
    code, _out, err = run_main(
        f"sqlite:///{tmp_path}/p.db", "db", "upgrade", env={"BORD_ENV": "production"}
    )
    assert code == 1
    assert "BORD_SECRET_KEY" in err
    assert not (tmp_path / "p.db").exists()


def test_screen_create_for_an_unknown_board_fails(migrated, run_main):
    code, out, err = run_main(migrated, "screen", "create", "--board", "999999")
    assert code == 1
    assert out == ""
    assert "no board with id 999999" in err


def test_screen_create_prints_a_path_that_shows_the_board(migrated):
    [(board_id, title)] = query(migrated, select(Board.id, Board.title).order_by(Board.id).limit(1))
    result = bord(migrated, "screen", "create", "--board", str(board_id), "--label", "Teamkamer")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    path = lines[0]
    assert path.startswith("/screen/") and " " not in path and len(path) > 50
    assert query(migrated, select(ScreenLink.label).where(ScreenLink.label == "Teamkamer")) == [
        "Teamkamer"
    ]
    app = create_app(Settings(env="test", database_url=migrated, redis_url=None, secret_key="t"))
    with TestClient(app) as client:
        page = client.get(path)
        assert page.status_code == 200, page.text
        assert title in page.text and "<form" not in page.text
        assert client.get(path + "x").status_code == 404


def listen_backlog(port: int) -> int | None:
    """The accept queue length of the socket listening on `port` (ss's Send-Q), if any."""
    out = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    fields = out.split()
    return int(fields[2]) if fields else None


def test_serve_listens_with_the_backlog_it_is_given(migrated):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "BORD_DATABASE_URL": migrated, "BORD_ENV": "test"}
    env.pop("BORD_REDIS_URL", None)
    env.pop("BORD_SMTP_URL", None)
    server = subprocess.Popen(
        [str(BORD), "serve", "--no-migrate", "--port", str(port), "--backlog", "300"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while listen_backlog(port) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert listen_backlog(port) == 300
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_refuses_several_workers_without_redis(tmp_path):
    # Each worker would have its own hub: a change made through one would never reach the
    # screens of another. Refused before anything is migrated or listened on.
    url = f"sqlite:///{tmp_path}/bord.db"
    result = bord(url, "serve", "--workers", "2", "--port", "1")
    assert result.returncode != 0
    assert "BORD_REDIS_URL" in result.stderr and "--workers 2" in result.stderr
    assert not (tmp_path / "bord.db").exists()
