"""What a live channel is made of, whatever it shows: screens, variants, a kind.

A *kind* of live channel (the board, the leader overview, …) is one `ChannelKind` registered
with the hub (app/realtime/kinds.py). It says where it is mounted and who may join (`mounts`),
which open channels a committed change concerns and what to send them (`deliver`, `step`). The
hub (app/realtime/hub.py) runs every channel the same way: one worker task per open channel,
screens grouped by variant, every frame rendered once per variant and written to each screen of
that variant in a plain loop, slow screens dropped.
"""

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from app.models.change import BoardChange
from app.realtime.connection import Outgoing

if TYPE_CHECKING:
    from app.db import Database
    from app.realtime.hub import Hub


# The close code that tells a page its person may no longer open it: the page says so instead of
# reconnecting (app-defined codes are 4000-4999).
ACCESS_ENDED = 4403
# The close code that tells a display screen its link was revoked: the page says so calmly and
# stops reconnecting.
SCREEN_REVOKED = 4410


@dataclass(frozen=True, slots=True)
class Closing:
    """The screens a change takes away, and the close code their sockets get (None: a plain
    drop; the page reconnects and its join is checked again)."""

    applies: Callable[["Screen"], bool]
    code: int | None = None


@dataclass(frozen=True, slots=True)
class Variant:
    """What decides how a fragment looks: the audience and the language (and, for frames that
    carry an absolute link such as a poll's QR code, the address the screen came in on)."""

    audience: str  # "member" | "leader" | "display"
    locale: str
    origin: str = ""


class Connection(Protocol):
    @property
    def origin(self) -> str:
        """The address the socket came in on (http or https, host, no trailing slash)."""
        ...

    async def send(self, *frames: Outgoing) -> None:
        """The frames in order (written at once where the socket allows)."""
        ...

    def backlogged(self) -> bool: ...
    def drop(self) -> None: ...
    def close(self, code: int) -> None: ...


@dataclass(eq=False, slots=True)
class Screen:
    """One open socket on one channel."""

    connection: Connection
    topic: int  # what the channel is about: a board id for "board", a school id for "overview"
    variant: Variant
    name: str = ""  # the member's name for presence; empty for display screens
    # The version this screen has been brought to (channels with versions); when it joins, the
    # version read as it connected.
    version: int = 0
    # From this version on, every change has been sent to the screen (the frames form one chain):
    # a catch-up request from it, or later, needs nothing older.
    base: int = -1
    greeted: bool = False  # whether it has asked to be caught up yet (its hello)
    live: bool = True
    link_id: int | None = None  # the display link a display screen came through
    user_id: int | None = None  # the person behind the screen; None for a display link
    kind: str = "board"  # the ChannelKind.name of its channel


@dataclass(eq=False)
class Channel:
    """One open live channel on this instance: a board's screens, a school's overviews."""

    topic: int
    screens: dict[Variant, set[Screen]] = field(default_factory=dict)
    # Screens waiting to be joined or caught up, with what the kind needs to do it (for boards:
    # the version to catch them up from).
    joins: dict[Screen, int | None] = field(default_factory=dict)
    joining: dict[Screen, int | None] = field(default_factory=dict)  # the joins being handled
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None

    def all_screens(self) -> list[Screen]:
        return [s for group in self.screens.values() for s in group]


@dataclass(frozen=True, slots=True)
class Credential:
    """Who a WebSocket says it is: an API token (Authorization: Bearer) or the session cookie
    (only from a page of the same origin)."""

    secret: str
    token: bool


# A join's reach check: the one read that says who joins, and whether they may. It runs on the
# event loop with SQLite and in a worker thread otherwise (app/routers/ws.py). None: refused,
# answered 404 like everything out of reach.
Join = Callable[["Database", Credential | None, str, Connection], Screen | None]


@dataclass(frozen=True, slots=True)
class Mount:
    """A WebSocket path of a kind: `path`'s one group is handed to `join`, with the
    connection the screen will be sent its frames on."""

    path: re.Pattern[str]
    join: Join


class ChannelKind:
    """One kind of live channel. The hub calls these on the event loop; anything that reads the
    database goes through `hub.call`, which runs it in a worker thread."""

    name: str
    mounts: tuple[Mount, ...]

    def open(self, topic: int) -> Channel:
        """A new channel's state, when its first screen arrives."""
        raise NotImplementedError

    def deliver(self, hub: "Hub", changes: list[BoardChange]) -> None:
        """One commit's changes: note them in the open channels they concern, and wake those.
        Not called while the kind has no open channel on this instance."""
        raise NotImplementedError

    async def step(self, hub: "Hub", channel: Channel) -> None:
        """The channel's worker, once per wake: send what was noted, join who is waiting."""
        raise NotImplementedError

    def who_changed(self, channel: Channel) -> None:
        """A screen arrived or left."""

    def catch_up(self, hub: "Hub", channel: Channel, screen: Screen, since: int) -> None:
        """The screen says it shows version `since`; channels without versions ignore it."""

    def resync(self, hub: "Hub", channel: Channel) -> None:
        """The bus may have lost changes: bring every screen of the channel to the current
        state. By default each screen joins again."""
        for screen in channel.all_screens():
            hub.rejoin(channel, screen, None)

    def warm_up(self) -> None:
        """Compile what a push renders, so the first change after a start is as quick as the
        others. Runs in a worker thread as the app starts."""

    def close(self, channel: Channel) -> None:
        """The app is stopping: cancel whatever the channel has scheduled."""

    def closing(self, change: BoardChange) -> "Closing | None":
        """The screens a change takes away (a revoked display link's, say), on every channel."""
        return None
