"""When an API token was last used, kept without turning reads into writes.

A token that authenticates is noted here; at most once per INTERVAL per token (on this
instance) its `last_used_at` is stamped, by one background thread in a transaction of its own
that also checks the stored value is older than INTERVAL (so several instances together write
about once per INTERVAL too). The request never waits for it: a busy database, a lock or an
error only means the stamp comes with a later use.
"""

import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import col

from app import clock
from app.db import Database
from app.models import ApiToken
from app.security.tokens import token_hash

log = logging.getLogger(__name__)
INTERVAL = timedelta(minutes=5)
# Tokens remembered before the memory starts over: one school has tens, a big installation
# thousands; forgetting costs only one more UPDATE that finds nothing to do.
REMEMBERED = 10_000


class TokenUse:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._stamped: dict[str, datetime] = {}
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="token-use")

    def used(self, token: str) -> None:
        """`token` authenticated a request just now. Safe from any thread; never blocks."""
        digest, now = token_hash(token), clock.now()
        last = self._stamped.get(digest)
        if last is not None and now - last < INTERVAL:
            return
        if len(self._stamped) >= REMEMBERED:
            self._stamped.clear()
        self._stamped[digest] = now
        with contextlib.suppress(RuntimeError):  # shutting down
            self._writer.submit(self._stamp, digest, now)

    def _stamp(self, digest: str, now: datetime) -> None:
        try:
            with self.db.session(write=True) as session:
                session.exec(
                    update(ApiToken)
                    .where(
                        col(ApiToken.token_hash) == digest,
                        or_(
                            col(ApiToken.last_used_at).is_(None),
                            col(ApiToken.last_used_at) < now - INTERVAL,
                        ),
                    )
                    .values(last_used_at=now)
                )
        except Exception as exc:  # noqa: BLE001 - a stamp missed now is made at a later use
            log.info("token use not recorded (%s)", exc)

    def flush(self) -> None:
        """Wait until the stamps asked for so far are written (tests, shutdown)."""
        self._writer.submit(lambda: None).result()

    def close(self) -> None:
        self._writer.shutdown(wait=True)
