"""The leader overview's live channel: `/schools/{id}/overview/ws`, for the school's leaders.

One channel per school with an overview open on this instance, run by the hub like a board's.
A change on a team board of the school updates that team's card: the channel maps the changed
boards to their school and team (team boards only; care boards never reach an overview),
renders the affected cards once per language and sends the same bytes to every overview screen
of the school. A screen that joins, or an instance whose bus reconnected, gets the whole
overview, so the channel needs no versions.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import col, select

from app import i18n
from app.db import Database
from app.errors import NotFound
from app.models import Board, BoardKind, School, Team
from app.models.change import BoardChange
from app.models.rows import key_column
from app.models.types import MAX_ID
from app.realtime.channel import (
    Channel,
    ChannelKind,
    Connection,
    Credential,
    Mount,
    Screen,
    Variant,
)
from app.realtime.connection import Outgoing
from app.realtime.hub import Hub
from app.security.policy import led_school
from app.services import accounts
from app.services import overview as service
from app.templating import render_string

KIND = "overview"
TEMPLATE = "pages/overview/overview.html"
UNKNOWN = (0, 0)  # a board not looked up yet


class OverviewRenderer:
    """Reads the database; runs in a worker thread."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # board id → (school id, team id), or None for a board no overview shows (care, class…)
        self.boards: dict[int, tuple[int, int] | None] = {}

    def route(self, board_ids: set[int]) -> dict[int, set[int]]:
        """school id → the teams whose cards these boards' changes touch."""
        missing = [b for b in board_ids if b not in self.boards]
        if missing:
            with self.db.session(write=False) as session:
                rows = session.exec(
                    select(key_column(Board), Board.kind, key_column(Team), Team.school_id)
                    .join(Team, col(Team.id) == col(Board.team_id))
                    .where(col(Board.id).in_(missing))
                )
                for board_id, kind, team_id, school_id in rows:
                    self.boards[board_id] = (school_id, team_id) if kind == BoardKind.team else None
        touched: dict[int, set[int]] = {}
        for board_id in board_ids:
            found = self.boards.get(board_id)
            if found is not None:
                touched.setdefault(found[0], set()).add(found[1])
        return touched

    def teams(self, school_id: int, team_ids: set[int], locales: list[str]) -> dict[str, str]:
        """The cards of these teams and the late/stuck list, out of band."""
        with self.db.session(write=False) as session:
            school = session.get(School, school_id)
            if school is None:
                return {}
            view = service.load(session, school, team_ids=team_ids)
        frames = {}
        for locale in locales:
            parts = [
                render_string(locale, TEMPLATE, "team", overview=view, row=row, oob=True)
                for row in view.teams
            ]
            parts.append(render_string(locale, TEMPLATE, "attention", overview=view, oob=True))
            frames[locale] = "".join(parts)
        return frames

    def whole(self, school_id: int, locales: list[str]) -> dict[str, str]:
        with self.db.session(write=False) as session:
            school = session.get(School, school_id)
            if school is None:
                return {}
            view = service.load(session, school)
        return {
            locale: render_string(locale, TEMPLATE, "teams", overview=view, oob=True)
            + render_string(locale, TEMPLATE, "attention", overview=view, oob=True)
            for locale in locales
        }


@dataclass(eq=False)
class OverviewChannel(Channel):
    pending: set[int] = field(default_factory=set)  # changed boards, not yet sent
    holidays: set[int] = field(default_factory=set)  # boards a holiday week was marked on
    whole: bool = False  # send every screen the whole overview


def leader_join(
    db: Database, credential: Credential | None, path_id: str, connection: Connection
) -> Screen | None:
    """A leader of the school, in their language; None for anyone else."""
    if credential is None or not (path_id.isascii() and path_id.isdigit()):
        return None
    school_id = int(path_id)
    if not 0 < school_id <= MAX_ID:
        return None
    with db.session(write=False) as session:
        if credential.token:
            user = accounts.token_user(session, credential.secret)
        else:
            found = accounts.session_user(session, credential.secret)
            user = found[0] if found else None
        if user is None:
            return None
        try:
            led_school(session, user, school_id)
        except NotFound:
            return None
        variant = Variant("leader", i18n.pick_locale(user.locale))
        return Screen(connection, school_id, variant, kind=KIND, user_id=user.id)


class OverviewChannels(ChannelKind):
    name = KIND
    mounts = (Mount(re.compile(r"/schools/([^/]+)/overview/ws"), leader_join),)

    def __init__(self, renderer: OverviewRenderer) -> None:
        self.renderer = renderer

    def open(self, topic: int) -> OverviewChannel:
        return OverviewChannel(topic)

    def deliver(self, hub: Hub, changes: list[BoardChange]) -> None:
        """Cards are read from the database, so the order of deliveries does not matter."""
        schools = hub.channels[KIND]
        for change in changes:
            found = self.renderer.boards.get(change.board_id, UNKNOWN)
            if found is None:
                continue  # a board no overview shows
            # a board not looked up yet: every open overview looks (the lookup is kept)
            targets = schools.values() if found == UNKNOWN else [schools.get(found[0])]
            for channel in targets:
                if isinstance(channel, OverviewChannel):
                    if change.entity == service.HOLIDAY_WEEK:
                        channel.holidays.add(change.board_id)  # every card and the list
                    else:
                        channel.pending.add(change.board_id)
                    channel.wake.set()

    def resync(self, hub: Hub, channel: Channel) -> None:
        assert isinstance(channel, OverviewChannel)
        channel.whole = True
        channel.wake.set()

    async def step(self, hub: Hub, channel: Channel) -> None:
        assert isinstance(channel, OverviewChannel)
        if channel.holidays:
            boards, channel.holidays = channel.holidays, set()
            if channel.topic in await hub.call(self.renderer.route, boards):
                channel.whole = True
        if channel.whole:
            channel.whole = False
            for screen in channel.all_screens():
                hub.rejoin(channel, screen, None)
        if channel.pending:
            boards, channel.pending = channel.pending, set()
            touched = await hub.call(self.renderer.route, boards)
            team_ids = touched.get(channel.topic)
            if team_ids and channel.screens:
                frames = await hub.call(
                    self.renderer.teams,
                    channel.topic,
                    team_ids,
                    [variant.locale for variant in channel.screens],
                )
                await hub.fan_out(channel, _by_variant(frames))
        if channel.joins:
            channel.joining, channel.joins = channel.joins, {}
            try:
                await self._join(hub, channel, list(channel.joining))
            finally:
                channel.joining = {}

    async def _join(self, hub: Hub, channel: Channel, joins: list[Screen]) -> None:
        """Send each new screen the whole overview; a change committed meanwhile is pending
        and reaches them in the next step."""
        waiting = [screen for screen in joins if screen.live]
        if not waiting:
            return
        frames = await hub.call(self.renderer.whole, channel.topic, _locales(waiting))
        outgoing = _by_variant(frames)
        for screen in waiting:
            frame = outgoing.get(screen.variant)
            if screen.live and frame is not None and await hub.send(screen, frame):
                channel.screens.setdefault(screen.variant, set()).add(screen)


def _locales(screens: Iterable[Screen]) -> list[str]:
    return list({screen.variant.locale for screen in screens})


def _by_variant(frames: dict[str, str]) -> dict[Variant, Outgoing]:
    return {Variant("leader", locale): Outgoing(text) for locale, text in frames.items()}
