"""The background sender: sends queued mail after commit, retries failures with backoff.

One sender runs in every instance (and worker). A row is claimed with an atomic UPDATE that
only one of them can win (it works the same on SQLite and PostgreSQL), and the claim runs out
if its sender dies halfway, so a mail is sent once even with several instances, and never
lost. Requests never wait for SMTP: they only queue rows and wake the sender.
"""

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import unquote, urlsplit

import aiosmtplib
from sqlalchemy import or_, update
from sqlmodel import col, func, select

from app import clock
from app.config import Settings
from app.db import Database
from app.models import MailOutbox

log = logging.getLogger(__name__)
POLL_SECONDS = 30.0  # mail queued by another instance, and retries, are picked up this often
CLAIM = timedelta(minutes=5)
BATCH = 20
SMTP_TIMEOUT = 30.0


def smtp_options(url: str) -> dict:
    """aiosmtplib's connection options for `smtp://user:pass@host:port` (STARTTLS when the
    server offers it, required on 587) or `smtps://…` (TLS from the start)."""
    parts = urlsplit(url)
    implicit_tls = parts.scheme == "smtps"
    port = parts.port or (465 if implicit_tls else 587)
    return {
        "hostname": parts.hostname,
        "port": port,
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_tls": implicit_tls,
        "start_tls": False if implicit_tls else (True if port == 587 else None),
        "timeout": SMTP_TIMEOUT,
    }


def message(row: MailOutbox, sender: str) -> EmailMessage:
    """Plain text, with the HTML as its alternative."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row.recipient
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = make_msgid(domain="bord")
    msg.set_content(row.text_body)
    msg.add_alternative(row.html_body, subtype="html")
    return msg


class Mailer:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False

    def wake(self) -> None:
        """Look for due mail now (after a commit that queued some); safe from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def stop(self) -> None:
        """Finish the mail in hand, then return from `run` (a cancel could leave a database
        call running in its thread while the app disposes of the engine)."""
        self._stopping = True
        self.wake()

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while not self._stopping:
            self._wake.clear()
            try:
                wait = await self.send_due()
            except Exception:  # the database may be back at the next round
                log.exception("sending mail failed")
                wait = POLL_SECONDS
            if self._stopping:
                break  # type: ignore[unreachable]  # stop() may have run during the await
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that
            # arrives as the wake-up does, and the app's shutdown would wait for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    async def send_due(self) -> float:
        """Send what is due; the seconds until the next retry (at most POLL_SECONDS)."""
        for row in await asyncio.to_thread(self._claim):
            if self._stopping:
                break  # its claim runs out; this or another instance sends it later
            error = await self._send(row)
            await asyncio.to_thread(self._settle, row.id, error)
        return await asyncio.to_thread(self._next_due_in)

    async def _send(self, row: MailOutbox) -> str | None:
        assert self.settings.smtp_url
        try:
            await aiosmtplib.send(
                message(row, self.settings.mail_from), **smtp_options(self.settings.smtp_url)
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            return f"{type(exc).__name__}: {exc}"[:500]
        return None

    def _claim(self) -> list[MailOutbox]:
        now = clock.now()
        due = (
            col(MailOutbox.sent_at).is_(None),
            col(MailOutbox.failed_at).is_(None),
            col(MailOutbox.next_attempt_at) <= now,
            or_(col(MailOutbox.claimed_until).is_(None), col(MailOutbox.claimed_until) < now),
        )
        with self.db.session(write=False) as session:
            ids = session.exec(
                select(col(MailOutbox.id))
                .where(*due)
                .order_by(col(MailOutbox.next_attempt_at))
                .limit(BATCH)
            ).all()
        if not ids:
            return []
        claimed = []
        with self.db.session() as session:
            for id_ in ids:
                result = session.exec(
                    update(MailOutbox)
                    .where(col(MailOutbox.id) == id_, *due)
                    .values(claimed_until=now + CLAIM, attempts=MailOutbox.attempts + 1)
                )
                if result.rowcount == 1:
                    claimed.append(id_)
            rows = session.exec(select(MailOutbox).where(col(MailOutbox.id).in_(claimed))).all()
        return list(rows)

    def _settle(self, row_id: int | None, error: str | None) -> None:
        now = clock.now()
        with self.db.session() as session:
            row = session.get(MailOutbox, row_id)
            if row is None:
                return
            row.claimed_until = None
            if error is None:
                row.sent_at = now
            elif row.attempts >= self.settings.mail_max_attempts:
                row.failed_at, row.last_error = now, error
                log.error("gave up on mail %s after %s attempts: %s", row.id, row.attempts, error)
            else:
                backoff = self.settings.mail_retry_seconds * 2 ** (row.attempts - 1)
                row.next_attempt_at = now + timedelta(seconds=backoff)
                row.last_error = error
                log.warning("mail %s failed (attempt %s): %s", row.id, row.attempts, error)
            if row.sent_at or row.failed_at:
                # The bodies hold one-time links, which are otherwise only kept hashed.
                row.text_body = row.html_body = ""
            session.add(row)

    def _next_due_in(self) -> float:
        with self.db.session(write=False) as session:
            nxt: datetime | None = session.exec(
                select(func.min(MailOutbox.next_attempt_at)).where(
                    col(MailOutbox.sent_at).is_(None),
                    col(MailOutbox.failed_at).is_(None),
                    col(MailOutbox.claimed_until).is_(None),  # others' claims: at the next poll
                )
            ).one()
        if nxt is None:
            return POLL_SECONDS
        return min(POLL_SECONDS, max(0.05, (nxt - clock.now()).total_seconds()))
