"""The background webhook sender: delivers the queued `webhook_delivery` rows after commit,
signed, retrying failures with doubling back-off, and pauses a webhook that keeps failing.

Built like the mail sender (app/mailer.py): one sender in every instance, a row claimed with an
atomic UPDATE only one of them can win (its claim runs out if its sender dies), requests never
wait for a receiver: they only queue rows and wake the sender.
"""

import asyncio
import contextlib
import ipaddress
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy import delete, or_, update
from sqlmodel import col, func, select

from app import clock
from app.config import Settings
from app.db import Database
from app.models import Webhook, WebhookDelivery
from app.security.signatures import HEADER, sign
from app.security.webhook_urls import is_public, url_problem
from app.services import webhooks

log = logging.getLogger(__name__)
POLL_SECONDS = 15.0  # deliveries queued by another instance, and retries, are picked up this often
BATCH = 20
EXCERPT = 200  # characters of the receiver's answer kept in the log
PRUNE_EVERY = 3600.0
FIRST_PRUNE = 60.0  # after start, so that a starting instance serves first
USER_AGENT = "Bord-Webhooks/1"


@dataclass(frozen=True)
class Claimed:
    id: int
    webhook_id: int
    event: str
    body: str
    url: str
    secret: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._pruned_at = time.monotonic() - PRUNE_EVERY + FIRST_PRUNE

    def wake(self) -> None:
        """Look for due deliveries now (after a commit that queued some); safe from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def stop(self) -> None:
        """Finish the delivery in hand, then return from `run`."""
        self._stopping = True
        self.wake()

    def start(self) -> asyncio.Task:
        """Run on the current loop, until `stop` (an app may be started again, on a new loop)."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        return asyncio.create_task(self.run())

    async def run(self) -> None:
        async with self._client() as client:
            while not self._stopping:
                self._wake.clear()
                try:
                    wait = await self.send_due(client)
                except Exception:  # the database may be back at the next round
                    log.exception("sending webhooks failed")
                    wait = POLL_SECONDS
                if self._stopping:
                    break  # type: ignore[unreachable]  # stop() may have run during the await
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await self._wake.wait()

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self.settings.webhook_timeout_seconds,
            follow_redirects=False,  # a redirect could lead anywhere, past the address check
            headers={"User-Agent": USER_AGENT},
        )

    async def send_due(self, client: httpx.AsyncClient | None = None) -> float:
        """Send what is due; the seconds until the next retry (at most POLL_SECONDS)."""
        if client is None:
            async with self._client() as own:
                return await self.send_due(own)
        for row in await asyncio.to_thread(self._claim):
            if self._stopping:
                break  # its claim runs out; this or another instance sends it later
            outcome = await self._send(client, row)
            await asyncio.to_thread(self._settle, row, outcome)
        if time.monotonic() - self._pruned_at > PRUNE_EVERY:
            self._pruned_at = time.monotonic()
            await asyncio.to_thread(self._prune)
        return await asyncio.to_thread(self._next_due_in)

    async def _send(self, client: httpx.AsyncClient, row: Claimed) -> Outcome:
        body = row.body.encode()
        headers = {
            "Content-Type": "application/json",
            "X-Bord-Event": row.event,
            "X-Bord-Delivery": str(row.id),
            HEADER: sign(row.secret, int(clock.now().timestamp()), body),
        }
        try:
            async with asyncio.timeout(self.settings.webhook_timeout_seconds):
                if problem := await self._address_problem(row.url):
                    return Outcome(error=problem)
                async with client.stream("POST", row.url, content=body, headers=headers) as answer:
                    excerpt = await _excerpt(answer)
        except TimeoutError:
            return Outcome(error="no answer in time")
        except httpx.HTTPError as exc:
            return Outcome(error=f"{type(exc).__name__}: {exc}"[:500])
        return Outcome(answer.status_code, excerpt)

    async def _address_problem(self, url: str) -> str | None:
        reach_private = self.settings.webhooks_reach_private
        if problem := url_problem(url, reach_private):
            return problem
        if reach_private:
            return None
        parts = urlsplit(url)
        try:
            found = await asyncio.get_running_loop().getaddrinfo(parts.hostname, parts.port or 443)
        except OSError as exc:
            return f"the name does not resolve: {exc}"[:500]
        if all(is_public(ipaddress.ip_address(info[4][0])) for info in found):
            return None
        return "the name resolves to a private or loopback address"

    @staticmethod
    def _waiting() -> tuple:
        """Neither delivered nor given up, and its webhook is not paused."""
        running = select(col(Webhook.id)).where(col(Webhook.paused_at).is_(None))
        return (
            col(WebhookDelivery.delivered_at).is_(None),
            col(WebhookDelivery.failed_at).is_(None),
            col(WebhookDelivery.webhook_id).in_(running.scalar_subquery()),
        )

    def _due(self, now: datetime) -> tuple:
        return (
            *self._waiting(),
            col(WebhookDelivery.next_attempt_at) <= now,
            or_(
                col(WebhookDelivery.claimed_until).is_(None),
                col(WebhookDelivery.claimed_until) < now,
            ),
        )

    def _claim(self) -> list[Claimed]:
        now = clock.now()
        with self.db.session(write=False) as session:
            ids = session.exec(
                select(col(WebhookDelivery.id))
                .where(*self._due(now))
                .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
                .limit(BATCH)
            ).all()
        if not ids:
            return []
        claimed = []
        # held for as long as the whole batch may take, each attempt timing out
        claim = timedelta(seconds=len(ids) * self.settings.webhook_timeout_seconds + 60)
        with self.db.session() as session:
            for id_ in ids:
                result = session.exec(
                    update(WebhookDelivery)
                    .where(col(WebhookDelivery.id) == id_, *self._due(now))
                    .values(claimed_until=now + claim, attempts=col(WebhookDelivery.attempts) + 1)
                )
                if result.rowcount == 1:
                    claimed.append(id_)
            rows = session.exec(
                select(WebhookDelivery, Webhook)
                .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
                .where(col(WebhookDelivery.id).in_(claimed))
                .order_by(col(WebhookDelivery.id))
            ).all()
            return [
                Claimed(row.id or 0, hook.id or 0, row.event, row.body, hook.url, hook.secret)
                for row, hook in rows
            ]

    def _settle(self, claimed: Claimed, outcome: Outcome) -> None:
        now = clock.now()
        settings = self.settings
        with self.db.session() as session:
            row = session.get(WebhookDelivery, claimed.id)
            if row is None:
                return  # its webhook was deleted meanwhile
            row.claimed_until = None
            row.status_code = outcome.status_code
            row.response_excerpt = outcome.excerpt
            if outcome.ok:
                row.delivered_at, row.last_error = now, ""
                webhooks.count_success(session, claimed.webhook_id)
            else:
                row.last_error = outcome.error or f"HTTP {outcome.status_code}"
                if row.attempts >= settings.webhook_max_attempts:
                    row.failed_at = now
                else:
                    backoff = settings.webhook_retry_seconds * 2 ** (row.attempts - 1)
                    row.next_attempt_at = now + timedelta(seconds=backoff)
                if webhooks.count_failure(
                    session, claimed.webhook_id, settings.webhook_max_failures
                ):
                    log.warning("webhook %s paused after repeated failures", claimed.webhook_id)
            session.add(row)

    def _prune(self) -> None:
        """Settled deliveries leave the log after BORD_WEBHOOK_LOG_DAYS."""
        before = clock.now() - timedelta(days=self.settings.webhook_log_days)
        with self.db.session() as session:
            session.exec(
                delete(WebhookDelivery).where(
                    col(WebhookDelivery.created_at) < before,
                    or_(
                        col(WebhookDelivery.delivered_at).is_not(None),
                        col(WebhookDelivery.failed_at).is_not(None),
                    ),
                )
            )

    def _next_due_in(self) -> float:
        with self.db.session(write=False) as session:
            nxt: datetime | None = session.exec(
                select(func.min(WebhookDelivery.next_attempt_at)).where(
                    *self._waiting(),
                    col(WebhookDelivery.claimed_until).is_(None),  # others' claims: next poll
                )
            ).one()
        if nxt is None:
            return POLL_SECONDS
        return min(POLL_SECONDS, max(0.05, (nxt - clock.now()).total_seconds()))


async def _excerpt(answer: httpx.Response) -> str:
    """The start of the receiver's answer, read no further than needed."""
    read = b""
    async for chunk in answer.aiter_bytes():
        read += chunk
        if len(read) >= EXCERPT * 4:
            break
    return " ".join(read.decode(errors="replace").split())[:EXCERPT]
