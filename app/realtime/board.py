"""The board's live channel: `/boards/{id}/ws` for members, `/screen/{token}/ws` for display links,
`/klas/{token}/ws` for klasscherm links (shown as a display: the class's controls are on its page).

Deliveries may arrive in any order (two instances, two request threads). A frame is rendered
from the database as it is when the worker reads it, so it goes from the version the screens
were at to the board's current version and must carry every section changed in between: those
of the deliveries at hand, and, when some version in between has not been delivered (yet), the
sections the board's events name since the last version delivered in order. A delivery older
than the screens' version is already in what they were sent.
"""

import asyncio
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from app import i18n
from app.db import Database
from app.models.change import BoardChange
from app.models.types import MAX_ID
from app.realtime.channel import (
    ACCESS_ENDED,
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
from app.security.policy import board_reach
from app.services import accounts, screens

KIND = "board"
DISPLAY = Variant("display", "nl")
# The presence bar changes with every join and leave; sending it to every screen each time would
# cost N² frames when a whole school reconnects, so it is sent at most this often per board.
PRESENCE_INTERVAL = 1.0
OWN = -1  # catch a screen up from the version it was last sent
# A screen's first request, from the version it joined at (a reconnect storm's every screen):
# answered like a screen that said nothing, with the version marker alone, without a read.
HELLO = -2
# The changes that take a member's access to a board away (a care board's member removed, a
# person removed from the school or no longer allowed to open the board).
ACCESS_REMOVALS = {("board_member", "removed"), ("school_member", "removed")}


class Renderer(Protocol):
    """Turns board state into frames; runs in a worker thread (it reads the database)."""

    def warm_up(self) -> None: ...

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

    def changes_at_once(
        self,
        board_id: int,
        sections: frozenset[str],
        variants: list[Variant],
        since: int,
        known: int,
    ) -> tuple[int, dict[Variant, str]] | None:
        """What `changes` answers, when it can be answered on the event loop at once (cheaper
        than the hop to a worker thread); None when it cannot."""
        ...

    def carried(
        self, cards: dict[str, Any], variants: list[Variant], since: int, version: int
    ) -> dict[Variant, str] | None:
        """Frames from `since` to `version` made of the cards the changes carried, as their
        commits wrote them (no read; runs on the event loop); None when they cannot be."""
        ...

    def catch_up(
        self, board_id: int, since: int, variants: list[Variant]
    ) -> tuple[int, dict[Variant, str]]: ...

    def marker(self, locale: str, since: int, version: int) -> str:
        """The version marker alone: a frame that brings a screen from `since` to `version`
        with nothing else to show (no database read; runs on the event loop)."""
        ...

    def presence(
        self, board_id: int, names: list[str], displays: int, version: int, variants: list[Variant]
    ) -> dict[Variant, str]: ...


@dataclass(eq=False)
class BoardChannel(Channel):
    # Deliveries not yet sent to the screens: version → the sections it changed, and the cards
    # it carried (BoardChange.cards).
    pending: dict[int, frozenset[str]] = field(default_factory=dict)
    carried: dict[int, dict[str, Any]] = field(default_factory=dict)
    # joins: None for a new screen that said nothing yet (joined at the channel's version), a
    # version to catch it up from, OWN (from its own) or HELLO.
    presence_dirty: bool = False
    presence_sent: float = float("-inf")
    presence_timer: asyncio.TimerHandle | None = None
    presence_shown: tuple | None = None
    # The presence bar as last sent, per variant: a screen that joins without changing who is
    # there (the same person on a second device) gets it as it is.
    presence_frames: dict[Variant, Outgoing] = field(default_factory=dict)
    version: int = -1  # the version of the last frame sent on this channel (-1: not read yet)


def _earliest(a: int, b: int) -> int:
    """The catch-up that covers both (OWN and HELLO, the screen's own version, are the latest of
    all; of the two, OWN reads the board)."""
    own = (OWN, HELLO)
    if a in own and b in own:
        return OWN if OWN in (a, b) else HELLO
    if a in own or b in own:
        return b if a in own else a
    return min(a, b)


# --- who may join --------------------------------------------------------------------------------


def _board_id(text: str) -> int | None:
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


def member_join(
    db: Database, credential: Credential | None, path_id: str, connection: Connection
) -> Screen | None:
    """A member's (or leader's) screen, at the board's version now, or None when the board is
    out of their reach. One prebuilt query (policy.board_reach, `Database.first`)."""
    board_id = _board_id(path_id)
    if credential is None or board_id is None:
        return None
    user_id = accounts.TOKEN_USER_ID if credential.token else accounts.SESSION_USER_ID
    reach = board_reach(db, user_id, board_id, accounts.secret_params(credential.secret))
    if reach is None:
        return None
    audience = "leader" if reach.leads else "member"
    variant = Variant(audience, i18n.pick_locale(reach.locale))
    return Screen(
        connection, board_id, variant, reach.name, version=reach.version, user_id=reach.user_id
    )


def display_join(
    db: Database, credential: Credential | None, token: str, connection: Connection
) -> Screen | None:
    """A display link's screen: read-only, always in Dutch, no name. Checked on every
    (re)connect, so a revoked link's screens stay away once dropped."""
    return _link_join(db, token, connection, screens.DISPLAY)


def class_join(
    db: Database, credential: Credential | None, token: str, connection: Connection
) -> Screen | None:
    """A klasscherm's screen: sent what a display is sent, checked like one."""
    return _link_join(db, token, connection, screens.CLASS)


def _link_join(db: Database, token: str, connection: Connection, audience: str) -> Screen | None:
    found = screens.live_link(db, token, audience)
    if found is None:
        return None
    return Screen(connection, found.board_id, DISPLAY, version=found.version, link_id=found.link_id)


# --- the kind ------------------------------------------------------------------------------------


class BoardChannels(ChannelKind):
    name = KIND
    mounts = (
        Mount(re.compile(r"/boards/([^/]+)/ws"), member_join),
        Mount(re.compile(r"/screen/([^/]+)/ws"), display_join),
        Mount(re.compile(r"/klas/([^/]+)/ws"), class_join),
    )

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        # A reconnecting school's screens are answered with the same few markers.
        self._marker = functools.lru_cache(maxsize=1024)(self._marker_frame)

    def _marker_frame(self, locale: str, since: int, version: int) -> Outgoing:
        return Outgoing(self.renderer.marker(locale, since, version))

    def warm_up(self) -> None:
        self.renderer.warm_up()

    def open(self, topic: int) -> BoardChannel:
        return BoardChannel(topic)

    def closing(self, change: BoardChange) -> Closing | None:
        """A revoked display link's screens; the screens of a member who lost the board (a care
        board's member removed, a person removed from the school or no longer let in), who are
        told so instead of reconnecting."""
        if change.entity == "screen_link" and change.kind == "revoked":
            link = change.entity_id
            return Closing(
                lambda screen: screen.kind == KIND and screen.link_id == link, SCREEN_REVOKED
            )
        if (change.entity, change.kind) in ACCESS_REMOVALS:
            return Closing(
                lambda screen: (
                    screen.kind == KIND
                    and screen.topic == change.board_id
                    and screen.user_id == change.entity_id
                ),
                ACCESS_ENDED,
            )
        return None

    def deliver(self, hub: Hub, changes: list[BoardChange]) -> None:
        open_boards = hub.channels[KIND]
        for change in changes:
            channel = open_boards.get(change.board_id)
            if not isinstance(channel, BoardChannel) or change.version <= channel.version:
                continue  # no screens here, or already in what the screens were sent
            sections = frozenset(change.sections)
            if change.version in channel.pending:
                sections |= channel.pending[change.version]
            channel.pending[change.version] = sections
            if change.cards:
                channel.carried.setdefault(change.version, {}).update(change.cards)
            channel.wake.set()

    def who_changed(self, channel: Channel) -> None:
        assert isinstance(channel, BoardChannel)
        channel.presence_dirty = True

    def catch_up(self, hub: Hub, channel: Channel, screen: Screen, since: int) -> None:
        """Bring the screen to the current state, sending nothing it has been sent already."""
        hello, screen.greeted = not screen.greeted, True
        if hello and since == screen.version > 0 and screen.base in (-1, since):
            # from the version it joined at, with no change sent to it since: as up to date as
            # a screen that said nothing (0 asks for the whole board)
            wanted = HELLO
        else:
            # every frame from `base` on has been sent to it: from there it needs only what is new
            wanted = since if screen.base < 0 or since < screen.base else OWN
        if screen in channel.joins:
            waiting = channel.joins[screen]
            channel.joins[screen] = wanted if waiting is None else _earliest(waiting, wanted)
            return
        hub.rejoin(channel, screen, wanted)

    def resync(self, hub: Hub, channel: Channel) -> None:
        for screen in channel.all_screens():
            hub.rejoin(channel, screen, OWN)

    def close(self, channel: Channel) -> None:
        assert isinstance(channel, BoardChannel)
        if channel.presence_timer:
            channel.presence_timer.cancel()

    # --- the worker's step -----------------------------------------------------------------------

    async def step(self, hub: Hub, channel: Channel) -> None:
        assert isinstance(channel, BoardChannel)
        if channel.pending and channel.screens:
            await self._changes(hub, channel)
        if channel.joins:
            channel.joining, channel.joins = channel.joins, {}
            try:
                await self._join(hub, channel, channel.joining)
            finally:
                channel.joining = {}
        if channel.presence_dirty and channel.screens:
            await self._presence(hub, channel)
        if channel.pending and channel.screens:
            channel.wake.set()  # delivered while joining, or before the first screen joined

    async def _changes(self, hub: Hub, channel: BoardChannel) -> None:
        since = channel.version
        sections = frozenset().union(*channel.pending.values())
        known = since
        while known + 1 in channel.pending:
            known += 1
        variants = list(channel.screens)
        carried = self._carried(channel, since, known)
        at_once = carried and self.renderer.carried(carried, variants, since, known)
        if at_once:
            version, frames = known, at_once
        else:
            asked = (channel.topic, sections, variants, since, known)
            found = self.renderer.changes_at_once(*asked)
            version, frames = (
                found if found is not None else await hub.call(self.renderer.changes, *asked)
            )
        if version > channel.version:
            self._advance(channel, version)
            outgoing = {v: Outgoing(text) for v, text in frames.items()}
            for screen in await hub.fan_out(channel, outgoing):
                screen.version = version
        else:
            channel.pending.clear()  # the board is gone: nothing to send
            channel.carried.clear()

    @staticmethod
    def _carried(channel: BoardChannel, since: int, known: int) -> dict[str, Any] | None:
        """The cards to send from `since` to `known` when every version in between was
        delivered with its cards, and named nothing else; each card as its latest change
        wrote it. None when anything has to be read (a version not delivered yet, a section)."""
        if since < 0 or not channel.carried or max(channel.pending) != known:
            return None
        cards: dict[str, Any] = {}
        for version in range(since + 1, known + 1):
            carried = channel.carried.get(version, {})
            if not channel.pending[version] <= carried.keys():
                return None
            cards.update(carried)
        return cards

    @staticmethod
    def _advance(channel: BoardChannel, version: int) -> None:
        channel.version = version
        for done in [v for v in channel.pending if v <= version]:
            del channel.pending[done]
        for done in [v for v in channel.carried if v <= version]:
            del channel.carried[done]

    async def _presence(self, hub: Hub, channel: BoardChannel) -> None:
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
        frames = await hub.call(
            self.renderer.presence, channel.topic, names, displays, channel.version, list(variants)
        )
        channel.presence_frames = {v: Outgoing(text) for v, text in frames.items()}
        await hub.fan_out(channel, channel.presence_frames)

    @staticmethod
    def _presence_due(channel: BoardChannel) -> None:
        channel.presence_timer = None
        channel.wake.set()

    async def _join(self, hub: Hub, channel: BoardChannel, joins: dict[Screen, int | None]) -> None:
        current: list[tuple[Screen, bool]] = []
        by_since: dict[int, list[Screen]] = {}
        for screen, since in joins.items():
            if not screen.live:
                continue
            if since is None or since == HELLO:
                current.append((screen, since == HELLO))
            else:
                since = screen.version if since == OWN else since
                by_since.setdefault(since, []).append(screen)
        if current:
            # A screen that said nothing, or said hello, is sent every change after the version
            # read when it connected (screen.version): joined where the other screens are, or
            # caught up from there when changes went out meanwhile. Nothing to read for it
            # otherwise; a hello is answered with the version marker alone.
            if channel.version < 0:
                # a change delivered before the board had a channel here was not kept
                self._advance(channel, await hub.call(self.renderer.board_version, channel.topic))
            for screen, asked in current:
                if screen.version < channel.version:
                    by_since.setdefault(screen.version, []).append(screen)
                    continue
                screen.base = channel.version
                marker = None
                if asked:
                    marker = self._marker(screen.variant.locale, screen.version, screen.version)
                await self._joined(hub, channel, screen, channel.version, marker)
        for since, waiting in by_since.items():
            variants = list({s.variant for s in waiting})
            version, frames = await hub.call(self.renderer.catch_up, channel.topic, since, variants)
            self._read(hub, channel, version)
            outgoing = {v: Outgoing(text) for v, text in frames.items()}
            for screen in waiting:
                if screen.live and await self._joined(
                    hub, channel, screen, version, outgoing[screen.variant]
                ):
                    screen.base = since if screen.base < 0 else min(screen.base, since)

    def _read(self, hub: Hub, channel: BoardChannel, version: int) -> None:
        """A join read the board at `version`."""
        if version <= channel.version:
            return
        if channel.version >= 0:
            # The database is ahead of the frames this board has sent (a change whose delivery
            # is still on its way, and will now be skipped as old): the screens already here
            # catch up from their own version, as after a gap.
            for behind in channel.all_screens():
                if behind.version < version:
                    hub.rejoin(channel, behind, OWN)
        self._advance(channel, version)

    async def _joined(
        self,
        hub: Hub,
        channel: BoardChannel,
        screen: Screen,
        version: int,
        first: Outgoing | None = None,
    ) -> bool:
        """Send the screen `first` (its catch-up, or its hello's marker) and the presence bar
        as it is, in one write, and count it among the channel's screens at `version`."""
        frames = [first] if first is not None else []
        presence = channel.presence_frames.get(screen.variant)
        if presence is not None:
            frames.append(presence)
        if frames and not await hub.send(screen, *frames):
            return False  # dropped
        if not screen.live:
            return False  # gone while its frames were being written
        screen.version = version
        channel.screens.setdefault(screen.variant, set()).add(screen)
        return True
