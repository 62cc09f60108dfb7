"""Background jobs the app runs while it serves: the daily care retention run (which also
empties the prullenbak of what was deleted 30 days ago and removes the pupils' first names of
class boards whose school year has ended), the mail sender and the webhook sender."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from app.services import class_pupils, retention, trash

log = logging.getLogger(__name__)
# The first run waits a little, so that a starting instance serves before it sweeps.
FIRST_RUN_DELAY = 60.0
# On shutdown the mail and webhook senders finish the one in hand for at most this long.
MAIL_STOP_SECONDS = 10.0


async def retention_loop(app: FastAPI, interval: float) -> None:
    await asyncio.sleep(FIRST_RUN_DELAY)
    while True:
        try:
            await asyncio.to_thread(retention.run, app.state.db, None, app.state.bus.publish)
            await asyncio.to_thread(trash.purge, app.state.db)
            await asyncio.to_thread(class_pupils.purge_ended_years, app.state.db)
        except Exception:  # tomorrow's run tries again
            log.exception("retention run failed")
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """Run the jobs for as long as the app serves (BORD_RETENTION_INTERVAL_HOURS=0: no
    retention run; no BORD_SMTP_URL: no mail sender)."""
    settings = app.state.settings
    tasks = []
    if settings.retention_interval_hours > 0:
        interval = settings.retention_interval_hours * 3600
        tasks.append(asyncio.create_task(retention_loop(app, interval)))
    sender = asyncio.create_task(app.state.mailer.run()) if settings.mail_enabled else None
    webhooks = app.state.webhooks.start()
    try:
        yield
    finally:
        app.state.webhooks.stop()
        await asyncio.wait({webhooks}, timeout=MAIL_STOP_SECONDS)
        tasks.append(webhooks)
        if sender is not None:
            app.state.mailer.stop()
            await asyncio.wait({sender}, timeout=MAIL_STOP_SECONDS)
            tasks.append(sender)
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
