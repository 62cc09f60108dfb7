"""A poll's live channel (Stem van de leerling): `/polls/{id}/ws` for the teacher's results page,
`/polls/{id}/screen/ws` for the class screen. Both are for those who may open the poll's board.

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

from app import clock, i18n
from app.db import Database
from app.models.change import BoardChange
from app.models.poll import Poll
from app.realtime.channel import (
    Channel,
    ChannelKind,
    Closing,
    Mount,
    Screen,
    Variant,
)
from app.realtime.connection import Outgoing
from app.realtime.hub import Hub
from app.realtime.signed_in import join_by_id
from app.services import polls
from app.services.poll_results import results
from app.templating import render_string, templates_for

KIND = "poll"
TEMPLATE = "pages/polls/results.html"
TEACHER, DISPLAY = "teacher", "display"
ACCESS_REMOVALS = {("board_member", "removed"), ("school_member", "removed")}


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
    mounts = (
        Mount(re.compile(r"/polls/([^/]+)/ws"), join_by_id(KIND, TEACHER, polls.get)),
        Mount(re.compile(r"/polls/([^/]+)/screen/ws"), join_by_id(KIND, DISPLAY, polls.get)),
    )

    def __init__(self, renderer: PollRenderer) -> None:
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
