"""The hub: the live screens of every board on this instance, grouped by view variant.

A change is rendered once per variant present on the board and the same text frame is sent to
every screen of that variant, in a plain loop (no task per send). Each board has one worker task
that handles its work in order — joins, catch-ups, changes — so a screen never sees an older
state after a newer one; changes that arrive while the worker is busy are merged into one render.

Deliveries may arrive in any order (two instances, two request threads). A frame is rendered
from the database as it is when the worker reads it, so it goes from the version the screens
were at to the board's current version and must carry every section changed in between: those
of the deliveries at hand, and, when some version in between has not been delivered (yet), the
sections the board's events name since the last version delivered in order. A delivery older
than the screens' version is already in what they were sent.

A screen's send queue is its transport's write buffer, bounded by the high-water mark: a screen
whose buffer is full is dropped instead of waited for, and catches up when it reconnects.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from app.models.change import BoardChange
from app.realtime.connection import Outgoing

log = logging.getLogger(__name__)
# The presence bar changes with every join and leave; sending it to every screen each time would
# cost N² frames when a whole school reconnects, so it is sent at most this often per board.
PRESENCE_INTERVAL = 1.0


@dataclass(frozen=True, slots=True)
class Variant:
    """What decides how a fragment looks: the audience and the language."""

    audience: str  # "member" | "leader" | "display"
    locale: str


class Connection(Protocol):
    async def send(self, frame: Outgoing) -> None: ...
    def backlogged(self) -> bool: ...
    def drop(self) -> None: ...


@dataclass(eq=False, slots=True)
class Screen:
    connection: Connection
    board_id: int
    variant: Variant
    name: str = ""  # the member's name for presence; empty for display screens
    # The board version this screen has been brought to; when it joins, the version read as it
    # connected.
    version: int = 0
    # From this version on, every change has been sent to the screen (the frames form one chain):
    # a catch-up request from it, or later, needs nothing older.
    base: int = -1
    live: bool = True
    link_id: int | None = None  # the display link a display screen came through
    user_id: int | None = None  # the member behind a member screen


def closing(change: BoardChange) -> Callable[[Screen], bool] | None:
    """The screens a change takes away: a revoked display link's, a removed member's."""
    if change.entity == "screen_link" and change.kind == "revoked":
        return lambda screen: screen.link_id == change.entity_id
    if change.entity == "board_member" and change.kind == "removed":
        return lambda screen: (
            screen.board_id == change.board_id and screen.user_id == change.entity_id
        )
    return None


class Renderer(Protocol):
    """Turns board state into frames; runs in a worker thread (it reads the database)."""

    def board_version(self, board_id: int) -> int: ...

    def changes(
        self,
        board_id: int,
        sections: frozenset[str],
        variants: list[Variant],
        since: int,
        known: int,
    ) -> tuple[int, dict[Variant, str]]:
        """Frames from `since` to the board's current version. `sections` are what changed in
        versions `since`+1 … `known`; whatever changed after `known` is read from the events."""
        ...

    def catch_up(
        self, board_id: int, since: int, variants: list[Variant]
    ) -> tuple[int, dict[Variant, str]]: ...

    def presence(
        self, board_id: int, names: list[str], displays: int, version: int, variants: list[Variant]
    ) -> dict[Variant, str]: ...


@dataclass(eq=False)
class BoardChannel:
    board_id: int
    screens: dict[Variant, set[Screen]] = field(default_factory=dict)
    # Deliveries not yet sent to the screens: version → the sections it changed.
    pending: dict[int, frozenset[str]] = field(default_factory=dict)
    # Screens waiting to be joined or caught up, with the version to catch them up from (None: a
    # new screen that said nothing yet, joined at the channel's version; OWN: from its own).
    joins: dict[Screen, int | None] = field(default_factory=dict)
    joining: dict[Screen, int | None] = field(default_factory=dict)  # the joins being handled now
    presence_dirty: bool = False
    presence_sent: float = float("-inf")
    presence_timer: asyncio.TimerHandle | None = None
    presence_shown: tuple | None = None
    # The presence bar as last sent, per variant: a screen that joins without changing who is
    # there (the same person on a second device) gets it as it is.
    presence_frames: dict[Variant, Outgoing] = field(default_factory=dict)
    version: int = -1  # the version of the last frame sent on this channel (-1: not read yet)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None

    def all_screens(self) -> list[Screen]:
        return [s for group in self.screens.values() for s in group]


OWN = -1  # catch a screen up from the version it was last sent


def _earliest(a: int, b: int) -> int:
    """The catch-up that covers both (OWN is the latest of all)."""
    if a == OWN or b == OWN:
        return b if a == OWN else a
    return min(a, b)


class Hub:
    def __init__(
        self,
        renderer: Renderer | None = None,
        run_in_thread: Callable[..., Awaitable] = asyncio.to_thread,
    ) -> None:
        self.renderer = renderer
        self.channels: dict[int, BoardChannel] = {}
        self._run = run_in_thread
        self._reading: set[asyncio.Future] = set()
        self.dropped = 0

    # --- called by the WebSocket endpoint ------------------------------------------------------

    def attach(self, screen: Screen, since: int | None = None) -> None:
        """A new screen: it receives every change from now on; with `since`, it is first caught
        up from that version."""
        channel = self._channel(screen.board_id)
        channel.joins[screen] = since
        channel.presence_dirty = True
        channel.wake.set()

    def catch_up(self, screen: Screen, since: int) -> None:
        """The screen says it shows version `since` (on connecting, or after noticing a gap):
        bring it to the current state, sending nothing it has been sent already."""
        channel = self.channels.get(screen.board_id)
        if channel is None or not screen.live:
            return
        # every frame from `base` on has been sent to it: from there it needs only what is new
        wanted = since if screen.base < 0 or since < screen.base else OWN
        if screen in channel.joins:
            waiting = channel.joins[screen]
            channel.joins[screen] = wanted if waiting is None else _earliest(waiting, wanted)
            return
        self._rejoin(channel, screen, wanted)

    def _rejoin(self, channel: BoardChannel, screen: Screen, since: int) -> None:
        self._remove(channel, screen)
        channel.joins[screen] = since
        channel.wake.set()

    def detach(self, screen: Screen) -> None:
        screen.live = False
        channel = self.channels.get(screen.board_id)
        if channel is None:
            return
        self._remove(channel, screen)
        channel.joins.pop(screen, None)
        channel.presence_dirty = True
        channel.wake.set()

    def drop_where(self, predicate: Callable[[Screen], bool]) -> int:
        """Close every screen on this instance for which `predicate` holds (a revoked display
        link, say); returns how many. Runs on the event loop."""
        found = [
            screen
            for channel in list(self.channels.values())
            for screen in [*channel.all_screens(), *channel.joins, *channel.joining]
            if screen.live and predicate(screen)
        ]
        for screen in found:
            screen.connection.drop()
            self.detach(screen)
        return len(found)

    # --- called by the bus ---------------------------------------------------------------------

    def deliver(self, changes: list[BoardChange]) -> None:
        """One commit's changes, in whatever order commits arrive."""
        for change in changes:
            closes = closing(change)
            if closes is not None:
                # committed before it was published: a screen that reconnects now is refused
                self.drop_where(closes)
            channel = self.channels.get(change.board_id)
            if channel is None or change.version <= channel.version:
                continue  # no screens here, or already in what the screens were sent
            sections = frozenset(change.sections)
            if change.version in channel.pending:
                sections |= channel.pending[change.version]
            channel.pending[change.version] = sections
            channel.wake.set()

    def resync_all(self) -> None:
        """The bus may have lost changes (Redis reconnected): catch every screen up."""
        for channel in self.channels.values():
            for screen in channel.all_screens():
                self._rejoin(channel, screen, OWN)

    async def close(self) -> None:
        for channel in list(self.channels.values()):
            if channel.task:
                channel.task.cancel()
            if channel.presence_timer:
                channel.presence_timer.cancel()
        self.channels.clear()
        if self._reading:
            # a read still running in a worker thread holds a database connection: let it end
            # before the app disposes of the engine
            await asyncio.wait(self._reading, timeout=5)

    async def _call(self, fn: Callable, *args):
        """Run a renderer call in a worker thread; a cancelled worker leaves it to finish."""
        reading = asyncio.ensure_future(self._run(fn, *args))
        self._reading.add(reading)
        reading.add_done_callback(self._reading.discard)
        return await asyncio.shield(reading)

    # --- the per-board worker ------------------------------------------------------------------

    def _channel(self, board_id: int) -> BoardChannel:
        channel = self.channels.get(board_id)
        if channel is None:
            channel = self.channels[board_id] = BoardChannel(board_id)
        if channel.task is None or channel.task.done():
            channel.task = asyncio.get_running_loop().create_task(self._work(channel))
        return channel

    @staticmethod
    def _remove(channel: BoardChannel, screen: Screen) -> None:
        group = channel.screens.get(screen.variant)
        if group is not None:
            group.discard(screen)
            if not group:
                del channel.screens[screen.variant]

    async def _work(self, channel: BoardChannel) -> None:
        while True:
            await channel.wake.wait()
            channel.wake.clear()
            try:
                await self._step(channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - one bad render must not stop the board's screens
                log.exception("hub: board %s step failed", channel.board_id)
            if not channel.screens and not channel.joins:
                if self.channels.get(channel.board_id) is channel:
                    del self.channels[channel.board_id]
                return

    async def _step(self, channel: BoardChannel) -> None:
        assert self.renderer is not None
        if channel.pending and channel.screens:
            await self._changes(channel)
        if channel.joins:
            channel.joining, channel.joins = channel.joins, {}
            try:
                await self._join(channel, channel.joining)
            finally:
                channel.joining = {}
        if channel.presence_dirty and channel.screens:
            await self._presence(channel)
        if channel.pending and channel.screens:
            channel.wake.set()  # delivered while joining, or before the first screen joined

    async def _changes(self, channel: BoardChannel) -> None:
        since = channel.version
        sections = frozenset().union(*channel.pending.values())
        known = since
        while known + 1 in channel.pending:
            known += 1
        version, frames = await self._call(
            self.renderer.changes,
            channel.board_id,
            sections,
            list(channel.screens),
            since,
            known,
        )
        if version > channel.version:
            self._advance(channel, version)
            outgoing = {v: Outgoing(text) for v, text in frames.items()}
            await self._fan_out(channel, outgoing, version)
        else:
            channel.pending.clear()  # the board is gone: nothing to send

    @staticmethod
    def _advance(channel: BoardChannel, version: int) -> None:
        channel.version = version
        for done in [v for v in channel.pending if v <= version]:
            del channel.pending[done]

    async def _presence(self, channel: BoardChannel) -> None:
        loop = asyncio.get_running_loop()
        wait = channel.presence_sent + PRESENCE_INTERVAL - loop.time()
        if wait > 0:
            if channel.presence_timer is None:
                channel.presence_timer = loop.call_later(wait, self._presence_due, channel)
            return
        channel.presence_dirty = False
        # Counted at most once per interval too, even when nothing changed: counting walks
        # every screen, and a reconnecting school would otherwise cost N² steps.
        channel.presence_sent = loop.time()
        screens = channel.all_screens()
        names = sorted({s.name for s in screens if s.name})
        displays = sum(1 for s in screens if s.variant.audience == "display")
        variants = frozenset(channel.screens)
        if (names, displays, variants) == channel.presence_shown:
            return
        channel.presence_shown = (names, displays, variants)
        frames = await self._call(
            self.renderer.presence,
            channel.board_id,
            names,
            displays,
            channel.version,
            list(variants),
        )
        channel.presence_frames = {v: Outgoing(text) for v, text in frames.items()}
        await self._fan_out(channel, channel.presence_frames, None)

    @staticmethod
    def _presence_due(channel: BoardChannel) -> None:
        channel.presence_timer = None
        channel.wake.set()

    async def _join(self, channel: BoardChannel, joins: dict[Screen, int | None]) -> None:
        silent: list[Screen] = []
        by_since: dict[int, list[Screen]] = {}
        for screen, since in joins.items():
            if not screen.live:
                continue
            if since is None:
                silent.append(screen)
            else:
                since = screen.version if since == OWN else since
                by_since.setdefault(since, []).append(screen)
        if silent:
            # A screen that said nothing is sent every change after the version read when it
            # connected (screen.version): joined where the other screens are, or caught up
            # from there when changes went out meanwhile. Nothing to send it now otherwise.
            if channel.version < 0:
                # a change delivered before the board had a channel here was not kept
                self._advance(
                    channel, await self._call(self.renderer.board_version, channel.board_id)
                )
            for screen in silent:
                if screen.version < channel.version:
                    by_since.setdefault(screen.version, []).append(screen)
                else:
                    screen.base = channel.version
                    await self._joined(channel, screen, channel.version)
        for since, screens in by_since.items():
            variants = list({s.variant for s in screens})
            version, frames = await self._call(
                self.renderer.catch_up, channel.board_id, since, variants
            )
            self._read(channel, version)
            outgoing = {v: Outgoing(text) for v, text in frames.items()}
            for screen in screens:
                if screen.live and await self._send(screen, outgoing[screen.variant]):
                    screen.base = since if screen.base < 0 else min(screen.base, since)
                    await self._joined(channel, screen, version)

    def _read(self, channel: BoardChannel, version: int) -> None:
        """A join read the board at `version`."""
        if version <= channel.version:
            return
        if channel.version >= 0:
            # The database is ahead of the frames this board has sent (a change whose delivery
            # is still on its way, and will now be skipped as old): the screens already here
            # catch up from their own version, as after a gap.
            for behind in channel.all_screens():
                if behind.version < version:
                    self._rejoin(channel, behind, OWN)
        self._advance(channel, version)

    async def _joined(self, channel: BoardChannel, screen: Screen, version: int) -> None:
        screen.version = version
        channel.screens.setdefault(screen.variant, set()).add(screen)
        presence = channel.presence_frames.get(screen.variant)
        if presence is not None:
            await self._send(screen, presence)

    async def _fan_out(
        self, channel: BoardChannel, frames: dict[Variant, Outgoing], version: int | None
    ) -> None:
        for variant, frame in frames.items():
            for screen in list(channel.screens.get(variant, ())):
                if await self._send(screen, frame) and version is not None:
                    screen.version = version

    async def _send(self, screen: Screen, frame: Outgoing) -> bool:
        if screen.connection.backlogged():
            self._drop(screen)
            return False
        try:
            await screen.connection.send(frame)
            return True
        except Exception:  # noqa: BLE001 - a dead socket is dropped, never retried here
            self._drop(screen)
            return False

    def _drop(self, screen: Screen) -> None:
        self.dropped += 1
        screen.connection.drop()
        self.detach(screen)
