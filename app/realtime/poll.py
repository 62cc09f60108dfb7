"""A poll's live channel (Stem van de leerling): `/polls/{id}/ws` for the teacher's results page,
`/polls/{id}/screen/ws` for the class screen. Both are for those who may open the poll's board.
The klasscherm of a class board (`/klas/{token}/poll/ws`, its link is the key) follows the
board's open poll the same way: one channel per board, sent the poll's class screen (QR code,
short code, results) whenever one of the board's polls changes, and nothing once none is open.

A poll's changes travel as changes of its board (entity "poll", `entity_id` the poll), so they
take the one way every change takes; this kind picks them out of each delivery. The results
are small: every change, and every join, sends the whole results block, rendered once per
variant (teacher or display, × language), so the channel needs no versions. The display
variant leaves out the open answers the teacher has not shown. A poll with a closing time wakes
its channel then, so the screens say it closed without anyone touching it.
"""

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from app import clock, i18n
from app.db import Database
from app.errors import NotFound
from app.models.change import BoardChange
from app.models.poll import Poll
from app.models.rows import require_id
from app.realtime.channel import (
    SCREEN_REVOKED,
    Channel,
    ChannelKind,
    Closing,
    Connection,
    Credential,
    Mount,
    Screen,
    Variant,
)
from app.realtime.connection import Outgoing
from app.realtime.hub import Hub
from app.realtime.signed_in import join_by_id
from app.services import class_screens, polls
from app.services.poll_results import results
from app.templating import render_string, templates_for

KIND = "poll"
TEMPLATE = "pages/polls/results.html"
TEACHER, DISPLAY = "teacher", "display"
ACCESS_REMOVALS = {("board_member", "removed"), ("school_member", "removed")}
CLASS_KIND = "class_poll"
CLASS_TEMPLATE = "pages/klas/poll.html"
CLASS_BLOCK = "class_poll"


class Frames(Protocol):
    def warm_up(self) -> None: ...

    def frames(
        self, topic: int, variants: list[Variant]
    ) -> tuple[dict[Variant, str], datetime | None]: ...


class PollRenderer:
    """Reads the database; runs in a worker thread."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def warm_up(self) -> None:
        for locale in i18n.LOCALES:
            templates_for(locale).env.get_template(TEMPLATE)

    def frames(
        self, poll_id: int, variants: list[Variant]
    ) -> tuple[dict[Variant, str], datetime | None]:
        """The results block per variant, and when the open poll closes by itself (if it does)."""
        with self.db.session(write=False) as session:
            poll = session.get(Poll, poll_id)
            if poll is None:
                return {}, None
            open_ = polls.is_open(poll)
            seen = {
                teacher: results(session, poll, open_=open_, teacher=teacher)
                for teacher in {v.audience == TEACHER for v in variants}
            }
        frames = {
            v: render_string(
                v.locale,
                TEMPLATE,
                "results",
                poll=poll,
                results=seen[v.audience == TEACHER],
                variant=v.audience,
                oob=True,
            )
            for v in variants
        }
        return frames, poll.closes_at if open_ else None


@dataclass(eq=False)
class PollChannel(Channel):
    dirty: bool = False  # a change not yet sent
    timer: asyncio.TimerHandle | None = None  # wakes the channel when the poll closes by itself


class PollChannels(ChannelKind):
    name = KIND
    mounts: tuple[Mount, ...] = (
        Mount(re.compile(r"/polls/([^/]+)/ws"), join_by_id(KIND, TEACHER, polls.get)),
        Mount(re.compile(r"/polls/([^/]+)/screen/ws"), join_by_id(KIND, DISPLAY, polls.get)),
    )

    def __init__(self, renderer: Frames) -> None:
        self.renderer = renderer

    def warm_up(self) -> None:
        self.renderer.warm_up()

    def open(self, topic: int) -> PollChannel:
        return PollChannel(topic)

    def closing(self, change: BoardChange) -> Closing | None:
        """A person who lost a board: their poll screens reconnect, and are checked again."""
        if (change.entity, change.kind) in ACCESS_REMOVALS:
            person = change.entity_id
            return Closing(lambda screen: screen.kind == KIND and screen.user_id == person)
        return None

    def deliver(self, hub: Hub, changes: list[BoardChange]) -> None:
        open_polls = hub.channels[KIND]
        for change in changes:
            if change.entity != polls.ENTITY or change.entity_id is None:
                continue
            channel = open_polls.get(change.entity_id)
            if isinstance(channel, PollChannel):
                channel.dirty = True
                channel.wake.set()

    def resync(self, hub: Hub, channel: Channel) -> None:
        assert isinstance(channel, PollChannel)
        channel.dirty = True
        channel.wake.set()

    def close(self, channel: Channel) -> None:
        assert isinstance(channel, PollChannel)
        if channel.timer:
            channel.timer.cancel()

    async def step(self, hub: Hub, channel: Channel) -> None:
        assert isinstance(channel, PollChannel)
        if channel.dirty and channel.screens:
            channel.dirty = False
            frames, closes_at = await hub.call(
                self.renderer.frames, channel.topic, list(channel.screens)
            )
            self._wake_at(channel, closes_at)
            await hub.fan_out(channel, {v: Outgoing(text) for v, text in frames.items()})
        if channel.joins:
            channel.joining, channel.joins = channel.joins, {}
            try:
                await self._join(hub, channel, [s for s in channel.joining if s.live])
            finally:
                channel.joining = {}

    async def _join(self, hub: Hub, channel: PollChannel, waiting: list[Screen]) -> None:
        """Each new screen gets the whole results; a change committed meanwhile is dirty and
        reaches it in the next step."""
        if not waiting:
            return
        frames, closes_at = await hub.call(
            self.renderer.frames, channel.topic, list({s.variant for s in waiting})
        )
        self._wake_at(channel, closes_at)
        for screen in waiting:
            frame = frames.get(screen.variant)
            if screen.live and frame is not None and await hub.send(screen, Outgoing(frame)):
                channel.screens.setdefault(screen.variant, set()).add(screen)

    @staticmethod
    def _wake_at(channel: PollChannel, closes_at: datetime | None) -> None:
        if channel.timer:
            channel.timer.cancel()
            channel.timer = None
        if closes_at is None:
            return
        delay = max((polls.aware(closes_at) - clock.now()).total_seconds(), 0) + 0.5

        def due() -> None:
            channel.timer = None
            channel.dirty = True
            channel.wake.set()

        channel.timer = asyncio.get_running_loop().call_later(delay, due)


# --- the klasscherm's poll ----------------------------------------------------------------------


def class_poll(session: Session, board_id: int, base_url: str) -> dict[str, Any]:
    """What the klasscherm shows of the board's open poll: what its class screen shows (open
    answers once the teacher showed them); `class_poll` is None when no poll is open."""
    poll = polls.open_poll(session, board_id)
    if poll is None:
        return {"class_poll": None}
    return {
        "class_poll": poll,
        "class_poll_results": results(session, poll, open_=True, teacher=False),
        "answer_url": base_url + polls.answer_path(poll),
        "short_url": base_url + polls.SHORT_PATH,
    }


class ClassPollRenderer:
    """Reads the database; runs in a worker thread. `base_url`: BORD_BASE_URL, else each
    screen's own address (its variant's origin)."""

    def __init__(self, db: Database, base_url: str | None) -> None:
        self.db = db
        self.base_url = base_url.rstrip("/") if base_url else None

    def warm_up(self) -> None:
        for locale in i18n.LOCALES:
            templates_for(locale).env.get_template(CLASS_TEMPLATE)

    def frames(
        self, board_id: int, variants: list[Variant]
    ) -> tuple[dict[Variant, str], datetime | None]:
        """The panel per variant, and when the poll it shows closes by itself (if it does)."""
        bases = {v: self.base_url or v.origin for v in variants}
        with self.db.session(write=False) as session:
            shown = {base: class_poll(session, board_id, base) for base in set(bases.values())}
        frames = {
            v: render_string(v.locale, CLASS_TEMPLATE, CLASS_BLOCK, **shown[bases[v]], oob=True)
            for v in variants
        }
        poll = next(iter(shown.values()))["class_poll"] if shown else None
        return frames, poll.closes_at if poll else None


def class_poll_join(
    db: Database, credential: Credential | None, token: str, connection: Connection
) -> Screen | None:
    """A klasscherm's poll panel: its link is the key, checked like the board's own socket."""
    with db.session(write=False) as session:
        try:
            link = class_screens.link_for_token(session, token)
            board = class_screens.board_for_token(session, token)
        except NotFound:
            return None
    variant = Variant(DISPLAY, "nl", connection.origin)
    return Screen(connection, require_id(board), variant, link_id=require_id(link), kind=CLASS_KIND)


class ClassPollChannels(PollChannels):
    """One channel per class board (its topic), run as a poll's: any change of one of the
    board's polls (made, answered, closed, an open answer shown or hidden) sends the panel
    again; a closing time wakes it too."""

    name = CLASS_KIND
    mounts = (Mount(re.compile(r"/klas/([^/]+)/poll/ws"), class_poll_join),)

    def closing(self, change: BoardChange) -> Closing | None:
        """A revoked klasscherm link's panels, as its board screens (they say so calmly)."""
        if change.entity == "screen_link" and change.kind == "revoked":
            link = change.entity_id
            return Closing(
                lambda screen: screen.kind == CLASS_KIND and screen.link_id == link,
                SCREEN_REVOKED,
            )
        return None

    def deliver(self, hub: Hub, changes: list[BoardChange]) -> None:
        boards = hub.channels[CLASS_KIND]
        for change in changes:
            if change.entity != polls.ENTITY:
                continue
            channel = boards.get(change.board_id)
            if isinstance(channel, PollChannel):
                channel.dirty = True
                channel.wake.set()
