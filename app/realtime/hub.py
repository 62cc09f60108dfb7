"""The hub: every live channel on this instance, of every kind, run the same way.

A channel (the screens of one board, of one school's overview, …) has one worker task that
handles its work in order — joins, catch-ups, changes — so a screen never sees an older state
after a newer one; what arrives while the worker is busy is handled in its next step, merged.
What a step renders and sends is the channel's kind's business (app/realtime/channel.py); how
it is sent is the hub's: one frame per variant, encoded once, written to every screen of that
variant in a plain loop (no task per send).

A screen's send queue is its transport's write buffer, bounded by the high-water mark: a screen
whose buffer is full is dropped instead of waited for, and catches up when it reconnects.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from app.models.change import BoardChange
from app.realtime.channel import Channel, ChannelKind, Screen, Variant
from app.realtime.connection import Outgoing

T = TypeVar("T")

log = logging.getLogger(__name__)


class Hub:
    def __init__(
        self,
        kinds: Iterable[ChannelKind],
        run_in_thread: Callable[..., Awaitable] = asyncio.to_thread,
    ) -> None:
        self.kinds = {kind.name: kind for kind in kinds}
        # kind name → topic → its open channel
        self.channels: dict[str, dict[int, Channel]] = {name: {} for name in self.kinds}
        self._run = run_in_thread
        self._reading: set[asyncio.Future] = set()
        self.dropped = 0

    # --- called by the WebSocket endpoint ------------------------------------------------------

    def attach(self, screen: Screen, since: int | None = None) -> None:
        """A new screen: it receives every change from now on; with `since`, it is first caught
        up from that version."""
        channel = self._channel(screen)
        channel.joins[screen] = since
        self.kinds[screen.kind].who_changed(channel)
        channel.wake.set()

    def catch_up(self, screen: Screen, since: int) -> None:
        """The screen says it shows version `since` (on connecting, or after noticing a gap)."""
        channel = self.channels[screen.kind].get(screen.topic)
        if channel is not None and screen.live:
            self.kinds[screen.kind].catch_up(self, channel, screen, since)

    def detach(self, screen: Screen) -> None:
        screen.live = False
        channel = self.channels[screen.kind].get(screen.topic)
        if channel is None:
            return
        self.remove(channel, screen)
        channel.joins.pop(screen, None)
        self.kinds[screen.kind].who_changed(channel)
        channel.wake.set()

    def drop_where(self, predicate: Callable[[Screen], bool], code: int | None = None) -> int:
        """Close every screen on this instance, of any channel, for which `predicate` holds (a
        revoked display link's, a removed member's), with close `code` when given; returns how
        many. Runs on the event loop. A reconnect is checked like any join."""
        found = [
            screen
            for by_topic in self.channels.values()
            for channel in list(by_topic.values())
            for screen in [*channel.all_screens(), *channel.joins, *channel.joining]
            if screen.live and predicate(screen)
        ]
        for screen in found:
            if code is None:
                screen.connection.drop()
            else:
                screen.connection.close(code)
            self.detach(screen)
        return len(found)

    def watches(self, kind: str, topic: int) -> bool:
        """Whether a channel is open here for `topic` (a board's id): screens watch it or join
        it. Asked from worker threads too: a plain look in a dict."""
        return topic in self.channels[kind]

    # --- called by the bus ---------------------------------------------------------------------

    def deliver(self, changes: list[BoardChange]) -> None:
        """One commit's changes, in whatever order commits arrive."""
        for kind in self.kinds.values():
            for change in changes:
                closes = kind.closing(change)
                if closes is not None:
                    # committed before it was published: a screen that reconnects now is refused
                    self.drop_where(closes.applies, closes.code)
        for kind in self.kinds.values():
            if self.channels[kind.name]:  # no open channel of a kind: it costs nothing
                kind.deliver(self, changes)

    def resync_all(self) -> None:
        """The bus may have lost changes (Redis reconnected): bring every screen up to date."""
        for name, by_topic in self.channels.items():
            for channel in by_topic.values():
                self.kinds[name].resync(self, channel)

    async def close(self) -> None:
        for name, by_topic in self.channels.items():
            for channel in by_topic.values():
                if channel.task:
                    channel.task.cancel()
                self.kinds[name].close(channel)
            by_topic.clear()
        if self._reading:
            # a read still running in a worker thread holds a database connection: let it end
            # before the app disposes of the engine
            await asyncio.wait(self._reading, timeout=5)

    def warm_up(self) -> None:
        for kind in self.kinds.values():
            kind.warm_up()

    # --- for the kinds -------------------------------------------------------------------------

    async def call(self, fn: Callable[..., T], *args: object) -> T:
        """Run a read or a render in a worker thread; a cancelled worker leaves it to finish."""
        reading = asyncio.ensure_future(self._run(fn, *args))
        self._reading.add(reading)
        reading.add_done_callback(self._reading.discard)
        return await asyncio.shield(reading)

    def rejoin(self, channel: Channel, screen: Screen, since: int | None) -> None:
        """Take the screen out of the channel's live set until its kind has joined it again."""
        self.remove(channel, screen)
        channel.joins[screen] = since
        channel.wake.set()

    @staticmethod
    def remove(channel: Channel, screen: Screen) -> None:
        group = channel.screens.get(screen.variant)
        if group is not None:
            group.discard(screen)
            if not group:
                del channel.screens[screen.variant]

    async def fan_out(self, channel: Channel, frames: dict[Variant, Outgoing]) -> list[Screen]:
        """Each frame to every screen of its variant; returns the screens that were sent one."""
        sent = []
        for variant, frame in frames.items():
            for screen in list(channel.screens.get(variant, ())):
                if await self.send(screen, frame):
                    sent.append(screen)
        return sent

    async def send(self, screen: Screen, *frames: Outgoing) -> bool:
        if screen.connection.backlogged():
            self._drop(screen)
            return False
        try:
            await screen.connection.send(*frames)
            return True
        except Exception:  # noqa: BLE001 - a dead socket is dropped, never retried here
            self._drop(screen)
            return False

    def _drop(self, screen: Screen) -> None:
        self.dropped += 1
        screen.connection.drop()
        self.detach(screen)

    # --- the per-channel worker ----------------------------------------------------------------

    def _channel(self, screen: Screen) -> Channel:
        by_topic = self.channels[screen.kind]
        channel = by_topic.get(screen.topic)
        if channel is None:
            channel = by_topic[screen.topic] = self.kinds[screen.kind].open(screen.topic)
        if channel.task is None or channel.task.done():
            channel.task = asyncio.get_running_loop().create_task(self._work(screen.kind, channel))
        return channel

    async def _work(self, name: str, channel: Channel) -> None:
        kind = self.kinds[name]
        while True:
            await channel.wake.wait()
            channel.wake.clear()
            try:
                await kind.step(self, channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad render must not stop the channel's screens
                log.exception("hub: %s %s step failed", name, channel.topic)
            if not channel.screens and not channel.joins:
                if self.channels[name].get(channel.topic) is channel:
                    del self.channels[name][channel.topic]
                return
