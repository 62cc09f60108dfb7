"""Background jobs the app runs while it serves: the daily care retention run."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from app.services import retention

log = logging.getLogger(__name__)
# The first run waits a little, so that a starting instance serves before it sweeps.
FIRST_RUN_DELAY = 60.0


async def retention_loop(app: FastAPI, interval: float) -> None:
    await asyncio.sleep(FIRST_RUN_DELAY)
    while True:
        try:
            await asyncio.to_thread(retention.run, app.state.db, None, app.state.bus.publish)
        except Exception:  # tomorrow's run tries again
            log.exception("retention run failed")
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """Run the jobs for as long as the app serves (BORD_RETENTION_INTERVAL_HOURS=0: none)."""
    hours = app.state.settings.retention_interval_hours
    task = asyncio.create_task(retention_loop(app, hours * 3600)) if hours > 0 else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
