"""Frames for the hub: board sections rendered once per variant as out-of-band fragments.

Every frame starts with the version marker `<div id="board-version" data-from=".." data-to="..">`
so a screen can ignore frames it has already seen and notice a gap; then each changed section
as a block of the board page with `hx-swap-oob`.
"""

from sqlmodel import Session, col, select

from app import i18n
from app.db import Database
from app.models import Board, BoardEvent, BoardKind
from app.realtime import care_fragments
from app.realtime.channel import Variant
from app.services import board_sections, item_kinds
from app.services.board_view import load_board
from app.templating import render_string, templates_for

LIVE_TEMPLATE = "partials/_live.html"
SECTIONS = item_kinds.SECTIONS
# Beyond this many events a screen gets the whole board rather than a list of changes.
CATCH_UP_LIMIT = 500


def sections_since(session: Session, board_id: int, since: int) -> frozenset[str]:
    """The sections the board's changes after version `since` touched, as their events
    recorded them (an event from before they were recorded: the whole board)."""
    rows = session.exec(
        select(BoardEvent.sections)
        .where(BoardEvent.board_id == board_id, col(BoardEvent.version) > since)
        .limit(CATCH_UP_LIMIT + 1)
    ).all()
    if len(rows) > CATCH_UP_LIMIT or any(sections is None for sections in rows):
        return frozenset(SECTIONS)
    return frozenset(name for sections in rows for name in sections or ())


class BoardRenderer:
    def __init__(self, db: Database) -> None:
        self.db = db

    def warm_up(self) -> None:
        """Compile the templates a push renders, so the first change after a start is as quick
        as the others (compiling the board page takes longer than a whole fan-out)."""
        kind_templates = [kind.template for kind in item_kinds.KINDS]
        for locale in i18n.LOCALES:
            env = templates_for(locale).env
            for template in (board_sections.TEMPLATE, LIVE_TEMPLATE, *kind_templates):
                env.get_template(template)

    def _frames(
        self,
        board: Board,
        sections: frozenset[str],
        variants: list[Variant],
        since: int,
        session: Session,
    ) -> dict[Variant, str]:
        if board.kind == BoardKind.care:
            return care_fragments.frames(session, board, sections, variants, since)
        wanted = [name for name in SECTIONS if name in sections]
        # A screen that is already up to date (a reconnect storm) costs no board read at all.
        view = load_board(session, board, wanted) if wanted else None
        frames = {}
        for variant in variants:
            parts = [self.marker(variant.locale, since, board.version)]
            if view is not None:
                context = board_sections.context(view, variant.audience)
                parts += [
                    board_sections.render(variant.locale, name, context, oob=True)
                    for name in wanted
                ]
            frames[variant] = "".join(parts)
        return frames

    def marker(self, locale: str, since: int, version: int) -> str:
        return render_string(locale, LIVE_TEMPLATE, "version_marker", since=since, version=version)

    def board_version(self, board_id: int) -> int:
        with self.db.read() as connection:
            found = connection.execute(select(Board.version).where(Board.id == board_id)).first()
        return found[0] if found else 0

    def changes(
        self,
        board_id: int,
        sections: frozenset[str],
        variants: list[Variant],
        since: int,
        known: int,
    ) -> tuple[int, dict[Variant, str]]:
        with self.db.session(write=False) as session:
            board = session.get(Board, board_id)
            if board is None:
                return since, {}
            if board.version > known:
                # a newer version than those delivered in order (a delivery still on its way, or
                # committed meanwhile): its sections come from the board's events
                sections |= sections_since(session, board_id, known)
            return board.version, self._frames(board, sections, variants, since, session)

    def catch_up(
        self, board_id: int, since: int, variants: list[Variant]
    ) -> tuple[int, dict[Variant, str]]:
        with self.db.session(write=False) as session:
            board = session.get(Board, board_id)
            if board is None:
                return since, {v: "" for v in variants}
            if since <= 0 or since > board.version:
                sections = frozenset(SECTIONS)
            elif since == board.version:
                sections = frozenset()  # up to date (a reconnect storm): nothing to look up
            else:
                sections = sections_since(session, board_id, since)
            return board.version, self._frames(board, sections, variants, since, session)

    def presence(
        self, board_id: int, names: list[str], displays: int, version: int, variants: list[Variant]
    ) -> dict[Variant, str]:
        return {
            v: render_string(
                v.locale, LIVE_TEMPLATE, "presence", names=names, displays=displays, oob=True
            )
            for v in variants
        }
