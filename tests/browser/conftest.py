"""Browser tests: Debian's Chromium driven by Playwright against a live uvicorn server.

They run on the SQLite backend only (the board logic is covered on both by the other tests).
Without /usr/bin/chromium they are skipped with the reason, or fail when BORD_REQUIRE has
"browser".
"""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from tests.conftest import unavailable
from tests.factories import Factory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--disable-gpu",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    """Mark browser tests, and run them last: Playwright's session-wide driver keeps an event
    loop of its own that async tests after it must not meet."""
    here = Path(__file__).parent
    browser = [item for item in items if here in Path(item.fspath).parents]
    for item in browser:
        item.add_marker(pytest.mark.browser)
    others = [item for item in items if item not in browser]
    items[:] = others + browser


@pytest.fixture(scope="session")
def backend() -> str:
    """Overrides the suite's sqlite/postgres parametrisation: browsers run on SQLite."""
    return "sqlite"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        unavailable("browser", f"{CHROMIUM} is missing (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The team room's smartboard: 1080p."""
    return {**browser_context_args, "viewport": {"width": 1920, "height": 1080}, "locale": "nl-NL"}


class RestartableServer:
    """The app served by uvicorn in a thread; `stop()` and `start()` keep the same address."""

    def __init__(self, app) -> None:
        self.app = app
        self.port = 0
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None
        self.sock: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            ws="websockets-sansio",
            ws_per_message_deflate=False,
            log_level="warning",
            access_log=False,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                sock.close()
                pytest.fail("the live server did not start")
            time.sleep(0.02)
        self.server, self.thread, self.sock = server, thread, sock

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.should_exit = True
        assert self.thread is not None and self.sock is not None
        self.thread.join(timeout=10)
        self.sock.close()
        assert not self.thread.is_alive(), "the live server did not stop"
        self.server = self.thread = self.sock = None


@pytest.fixture
def restartable_server(app) -> Iterator[RestartableServer]:
    server = RestartableServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_server(restartable_server: RestartableServer) -> str:
    """The app served by uvicorn in a thread, on a port the OS picked."""
    return restartable_server.url


@pytest.fixture
def world(app):
    """Two schools with people in every role, made straight through the database."""
    return Factory(app, None).world()  # type: ignore[arg-type]


@pytest.fixture
def page(page, live_server):
    page.set_default_timeout(10_000)
    return page
