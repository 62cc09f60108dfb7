"""Live leader overviews: a change on any team board of a school updates that team's card.

Fed by the same bus deliveries as the board hub. One worker handles every overview screen on
this instance in order: it maps the changed boards to their school and team (team boards only;
care boards never reach an overview), renders each affected team card once per language and
sends the same bytes to every overview screen of that school. A screen that joins, or an
instance whose bus reconnected, gets the whole overview.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlmodel import col, select

from app.db import Database
from app.models import Board, BoardKind, School, Team
from app.models.change import BoardChange
from app.realtime.connection import Outgoing
from app.realtime.hub import Connection
from app.services import overview as service
from app.templating import render_string

log = logging.getLogger(__name__)
TEMPLATE = "pages/overview/overview.html"


@dataclass(eq=False, slots=True)
class OverviewScreen:
    connection: Connection
    school_id: int
    locale: str
    live: bool = True


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
                    select(Board.id, Board.kind, Team.id, Team.school_id)
                    .join(Team, Team.id == Board.team_id)
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


class OverviewHub:
    def __init__(
        self,
        renderer: OverviewRenderer,
        run_in_thread: Callable[..., Awaitable] = asyncio.to_thread,
    ) -> None:
        self.renderer = renderer
        self.screens: dict[int, dict[str, set[OverviewScreen]]] = {}
        self.pending: set[int] = set()
        self.pending_whole: set[int] = set()  # boards whose school's overviews are sent whole
        self.joins: list[OverviewScreen] = []
        self._run = run_in_thread
        self._joining = 0  # screens being sent their whole overview right now
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    # --- the WebSocket endpoint ------------------------------------------------------------------

    def attach(self, screen: OverviewScreen) -> None:
        self.joins.append(screen)
        self._start()

    def detach(self, screen: OverviewScreen) -> None:
        screen.live = False
        group = self.screens.get(screen.school_id, {}).get(screen.locale)
        if group is not None:
            group.discard(screen)
            if not group:
                del self.screens[screen.school_id][screen.locale]
                if not self.screens[screen.school_id]:
                    del self.screens[screen.school_id]

    # --- the bus ---------------------------------------------------------------------------------

    def deliver(self, changes: list[BoardChange]) -> None:
        """One commit's changes. Cards are read from the database, so their order does not
        matter."""
        if not self.screens and not self.joins and not self._joining:
            return  # nobody is watching an overview on this instance: costs nothing
        for change in changes:
            if change.entity == service.HOLIDAY_WEEK:
                self.pending_whole.add(change.board_id)  # every card and the holiday list
            else:
                self.pending.add(change.board_id)
        self._start()

    def resync_all(self) -> None:
        """The bus may have lost changes: send every overview screen its whole overview."""
        for by_locale in self.screens.values():
            for group in by_locale.values():
                self.joins.extend(group)
        self._start()

    async def close(self) -> None:
        if self._task:
            self._task.cancel()
        self.screens.clear()

    # --- the worker ------------------------------------------------------------------------------

    def _start(self) -> None:
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._work())

    async def _work(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - one bad render must not stop the overviews
                log.exception("overview: step failed")

    async def _step(self) -> None:
        if self.pending_whole:
            boards, self.pending_whole = self.pending_whole, set()
            for school_id in await self._run(self.renderer.route, boards):
                for group in self.screens.get(school_id, {}).values():
                    self.joins.extend(group)
        if self.pending:
            boards, self.pending = self.pending, set()
            touched = await self._run(self.renderer.route, boards)
            for school_id, team_ids in touched.items():
                by_locale = self.screens.get(school_id)
                if not by_locale:
                    continue
                frames = await self._run(self.renderer.teams, school_id, team_ids, list(by_locale))
                await self._fan_out(school_id, frames)
        if self.joins:
            joins, self.joins = self.joins, []
            self._joining = len(joins)
            try:
                await self._join(joins)
            finally:
                self._joining = 0

    async def _join(self, joins: list[OverviewScreen]) -> None:
        """Send each new screen the whole overview; a change committed meanwhile is pending
        and reaches them in the next step."""
        by_school: dict[int, list[OverviewScreen]] = {}
        for screen in joins:
            if screen.live:
                by_school.setdefault(screen.school_id, []).append(screen)
        for school_id, screens in by_school.items():
            locales = list({s.locale for s in screens})
            frames = await self._run(self.renderer.whole, school_id, locales)
            outgoing = {locale: Outgoing(text) for locale, text in frames.items()}
            for screen in screens:
                frame = outgoing.get(screen.locale)
                if screen.live and frame is not None and await self._send(screen, frame):
                    group = self.screens.setdefault(school_id, {})
                    group.setdefault(screen.locale, set()).add(screen)

    async def _fan_out(self, school_id: int, frames: dict[str, str]) -> None:
        for locale, text in frames.items():
            frame = Outgoing(text)
            for screen in list(self.screens.get(school_id, {}).get(locale, ())):
                await self._send(screen, frame)

    async def _send(self, screen: OverviewScreen, frame: Outgoing) -> bool:
        if screen.connection.backlogged():
            screen.connection.drop()
            self.detach(screen)
            return False
        try:
            await screen.connection.send(frame)
            return True
        except Exception:  # noqa: BLE001 - a dead socket is dropped; it reconnects and resyncs
            screen.connection.drop()
            self.detach(screen)
            return False
