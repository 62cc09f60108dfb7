"""Real `bord serve` processes for the tests that need the whole server: its workers, its
threads and its admission gate as in production."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import free_port

BORD = shutil.which("bord", path=str(Path(sys.executable).parent)) or "bord"


def start_bord(port: int, database_url: str, **settings: str) -> subprocess.Popen:
    """`bord serve` on `port`, answering /healthz. `settings` are BORD_* values
    (`max_requests="1"` sets BORD_MAX_REQUESTS, `redis_url=...` BORD_REDIS_URL)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BORD_")},
        "BORD_DATABASE_URL": database_url,
        "BORD_ENV": "test",
        "BORD_SECRET_KEY": "test",
        "BORD_RETENTION_INTERVAL_HOURS": "0",
        **{f"BORD_{name.upper()}": value for name, value in settings.items()},
    }
    # BORD_TEST_SERVER_LOG=path keeps the servers' logs, to see why a test failed
    log_path = os.environ.get("BORD_TEST_SERVER_LOG")
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [BORD, "serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    if log_path:
        log.close()  # the server has its own copy
    deadline = time.monotonic() + 90  # a loaded machine imports slowly
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            stop_bord(proc)
            raise AssertionError(f"bord serve on {port} did not start")
        time.sleep(0.1)


def stop_bord(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def bord_serve(database_url: str, **settings: str) -> Iterator[str]:
    """Serve `database_url` on a free port for the length of the block; yields the base URL."""
    port = free_port()
    proc = start_bord(port, database_url, **settings)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_bord(proc)
