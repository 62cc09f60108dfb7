"""Answering a calendar feed cheaply: calendar apps poll, many at once on a Monday morning.

A feed's fingerprint (services/calendar_items.py: two small queries) is its entity tag, so an app
that has the feed already gets a 304; the file made for a fingerprint is kept (per process, the
most recent `FeedFiles.SIZE`), so an unchanged feed asked for by a new app is not made again.
Only a change makes a new file: its DTSTAMP is the moment it was made.
"""

import hashlib
import threading
from collections import OrderedDict
from urllib.parse import urlsplit

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from app import i18n
from app.services import calendar_items
from app.services.calendar_feeds import Reader
from app.web import ical
from app.web.forms import N_

# The token is the key to the feed: it must not travel on in a Referer, nor be indexed.
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, no-cache",
    "X-Robots-Tag": "noindex, nofollow",
}
MEDIA_TYPE = "text/calendar; charset=utf-8"


class FeedFiles:
    """The last file made of each feed, with the fingerprint it was made for."""

    SIZE = 1000

    def __init__(self) -> None:
        self._files: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, feed: str, fingerprint: str) -> bytes | None:
        with self._lock:
            found = self._files.get(feed)
            if found is None or found[0] != fingerprint:
                return None
            self._files.move_to_end(feed)
            return found[1]

    def put(self, feed: str, fingerprint: str, body: bytes) -> None:
        with self._lock:
            self._files[feed] = (fingerprint, body)
            self._files.move_to_end(feed)
            while len(self._files) > self.SIZE:
                self._files.popitem(last=False)


def answer(request: Request, session: Session, reader: Reader, base_url: str) -> Response:
    user, board = reader.user, reader.board
    uid = f"me-{user.id}" if board is None else f"board-{board.id}"
    fingerprint = calendar_items.fingerprint(session, user, board)
    tag = hashlib.sha256(f"{fingerprint} {base_url}".encode()).hexdigest()[:32]
    headers = {**PRIVATE_HEADERS, "ETag": f'W/"{tag}"'}  # weak: each file has its own DTSTAMP
    if f'"{tag}"' in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    files: FeedFiles = request.app.state.calendar_files
    feed = f"{uid}-{user.id} {base_url}"
    body = files.get(feed, fingerprint)
    if body is None:
        body = _make(session, reader, uid, base_url)
        files.put(feed, fingerprint, body)
    headers["Content-Disposition"] = 'inline; filename="bord.ics"'
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


def _make(session: Session, reader: Reader, uid: str, base_url: str) -> bytes:
    user, board = reader.user, reader.board
    locale = i18n.pick_locale(user.locale)
    if board is None:
        agenda = calendar_items.my_agenda(session, user)
        name = i18n.gettext(locale, N_("Bord: mijn agenda"))
    else:
        agenda = calendar_items.board_agenda(session, board)
        name = f"{board.title} (Bord)"
    host = urlsplit(base_url).hostname or "bord"
    return ical.ical(ical.feed(uid, name, agenda, locale, base_url, host))
