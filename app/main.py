"""create_app(): assembles settings, database, bus, hub, handlers, routers and static files."""

import asyncio
import functools
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from app import handlers, jobs, routing
from app.admission import Admission, AdmissionMiddleware
from app.config import Settings, get_settings
from app.db import make_database
from app.mailer import Mailer
from app.realtime import board
from app.realtime.bus import MemoryBus, make_bus
from app.realtime.hub import Hub
from app.realtime.kinds import channel_kinds
from app.realtime.reads import BoardReads
from app.routers import api, web, ws
from app.routers.api import boards as api_boards
from app.routers.web import board as web_board
from app.security.oidc import OidcClient
from app.services.token_use import TokenUse
from app.web.direct_reads import DirectReads
from app.web.feeds import FeedFiles
from app.webhook_sender import WebhookSender

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


class BordApp(FastAPI):
    """The app. A WebSocket of a live channel is answered before the middleware stack: none
    of the middlewares has anything to do for it, and an open screen would keep all their
    frames for as long as it stays connected."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and (live := ws.live_mount(self.state.hub, scope)):
            return await ws.serve_live_channel(self, live, scope, receive, send)
        await super().__call__(scope, receive, send)

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            api.declare_security(super().openapi())
        return super().openapi()


# The collector's thresholds in a served process. Python's (700, 10, 10) went over every open
# screen's objects again and again while a school reconnected: a full round each time their
# number grew by a quarter, a sixth of the server's CPU during a 5,000-screen storm
# (bench/README.md). A young round every 50,000 allocations, an old one every 200 young rounds
# at most: cyclic garbage still goes, later.
GC_THRESHOLDS = (50_000, 20, 10)


def create_app(settings: Settings | None = None, *, freeze_at_start: bool = False) -> FastAPI:
    """The app. `freeze_at_start`: see `served_app`."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hub = app.state.hub
        # Every admitted request holds at most one worker thread at a time: room for all of
        # them, and for the threads that serve files.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, 2 * settings.max_requests)
        await app.state.bus.start(hub.deliver, hub.resync_all)
        await asyncio.to_thread(hub.warm_up)
        await app.state.board_reads.start()
        if freeze_at_start:
            gc.collect()
            gc.freeze()
            gc.set_threshold(*GC_THRESHOLDS)
        async with jobs.running(app):
            yield
        await app.state.board_reads.stop()
        await app.state.bus.stop()
        await app.state.hub.close()
        app.state.token_use.close()
        app.state.db.dispose()

    app = BordApp(
        title="Bord",
        version="0.1.0",
        summary="A digital improvement board for Dutch schools",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = make_database(settings)
    app.state.bus = make_bus(settings.redis_url, settings.redis_channel)
    app.state.hub = Hub(channel_kinds(app.state.db, settings.base_url))
    if isinstance(app.state.bus, MemoryBus):
        app.state.db.carries_cards = functools.partial(app.state.hub.watches, board.KIND)
    app.state.board_reads = BoardReads(app.state.db, wait_seconds=settings.queue_timeout_seconds)
    app.state.token_use = TokenUse(app.state.db)
    app.state.mailer = Mailer(app.state.db, settings)
    app.state.webhooks = WebhookSender(app.state.db, settings)
    app.state.oidc = OidcClient(settings.oidc_timeout_seconds)
    app.state.calendar_files = FeedFiles()

    def admission() -> Admission:
        made = Admission(
            settings.max_requests,
            settings.max_waiting,
            settings.queue_timeout_seconds,
            single_writer=app.state.db.is_sqlite,
        )
        app.state.admission = made
        return made

    # Inside admission: the board's JSON and page skip the routing (app/web/direct_reads.py).
    app.add_middleware(
        DirectReads,
        reads={
            "/api/v1/boards/{board_id}": api_boards.read_board,
            "/boards/{board_id}": web_board.board_page,
        },
    )
    app.add_middleware(AdmissionMiddleware, make=admission, refuse=handlers.refused)
    # Pages and JSON above 1 KB go gzipped; cached board reads come gzipped already and pass.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    handlers.register(app)
    app.include_router(api.router)
    app.include_router(web.router)
    routing.fix_routes(app.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def served_app() -> FastAPI:
    """The app as `bord serve` runs it, one per process. What it built to start (routes,
    schemas, compiled SQL and templates) lives as long as the process, so once started it is
    left out of the garbage collector's rounds (`gc.freeze`): with a thousand screens open, a
    full round over all of it took up to a quarter of a second of the event loop. The
    collector then runs less often (`GC_THRESHOLDS`)."""
    return create_app(freeze_at_start=True)
