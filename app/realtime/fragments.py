"""Frames for the hub: board sections rendered once per variant as out-of-band fragments.

Every frame starts with the version marker `<div id="board-version" data-from=".." data-to="..">`
so a screen can ignore frames it has already seen and notice a gap; then each changed section
as a block of the board page with `hx-swap-oob`.
"""

from dataclasses import replace
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app import i18n
from app.db import SQLITE_BUSY, Database
from app.models import Board, BoardEvent, BoardKind
from app.realtime import care_fragments
from app.realtime.channel import Variant
from app.services import board_sections, item_kinds
from app.services.board_cards import PushedBoard, PushedCard, pushed_board
from app.services.board_view import load_board
from app.services.item_kinds import ItemKind
from app.templating import render_macro, render_string, templates_for

LIVE_TEMPLATE = "partials/_live.html"
MARKER_TEMPLATE = "components/live.html"
SECTIONS = item_kinds.SECTIONS
# Beyond this many events a screen gets the whole board rather than a list of changes.
CATCH_UP_LIMIT = 500


def sections_since(session: Session | Connection, board_id: int, since: int) -> frozenset[str]:
    """The sections the board's changes after version `since` touched, as their events
    recorded them (an event from before they were recorded: the whole board)."""
    rows = (
        session.execute(
            select(BoardEvent.sections)
            .where(BoardEvent.board_id == board_id, col(BoardEvent.version) > since)
            .limit(CATCH_UP_LIMIT + 1)
        )
        .scalars()
        .all()
    )
    if len(rows) > CATCH_UP_LIMIT or any(sections is None for sections in rows):
        return frozenset(SECTIONS)
    return frozenset(name for sections in rows for name in sections or ())


Cards = dict[tuple[ItemKind[Any], int], dict[str, Any]]


class ReadCards(NamedTuple):
    board: PushedBoard | None  # as read with the first card (None: no card read)
    whole: set[str]  # the sections to render whole
    cards: Cards  # the cards to render alone


def read_cards(db: Database, board_id: int, sections: frozenset[str]) -> ReadCards:
    """The sections to render whole, and the cards to render alone (read now): a card whose
    section is rendered anyway, or that cannot be repainted alone, is left to its section.
    Each card is read with the board's columns; the first card's board is the frame's."""
    whole = {name for name in sections if name in SECTIONS}
    board = None
    cards: Cards = {}
    for name in sections:
        named = item_kinds.card_named(name)
        if named is None or named[0].section in whole:
            continue
        found = item_kinds.read_card(db, board_id, *named)
        if found is None:
            whole.add(named[0].section)
        else:
            board = board or found.board
            cards[named] = found.card
    alone = {card: read for card, read in cards.items() if card[0].section not in whole}
    return ReadCards(board, whole, alone)


class BoardRenderer:
    def __init__(self, db: Database) -> None:
        self.db = db

    def warm_up(self) -> None:
        """Compile the templates a push renders, so the first change after a start is as quick
        as the others (compiling the board page takes longer than a whole fan-out)."""
        kind_templates = [kind.template for kind in item_kinds.KINDS]
        for locale in i18n.LOCALES:
            env = templates_for(locale).env
            for template in (board_sections.TEMPLATE, LIVE_TEMPLATE):
                env.get_template(template)
            for template in (MARKER_TEMPLATE, *kind_templates):
                _ = env.get_template(template).module  # the macros a push calls

    def _frames(
        self, board: PushedBoard, sections: frozenset[str], variants: list[Variant], since: int
    ) -> dict[Variant, str]:
        """The marker from `since` to the board's version, then the changed sections and the
        cards that changed alone. Read after the version, they show that version or a newer
        one (which its own frame follows with)."""
        if board.kind == BoardKind.care:
            with self.db.session(write=False) as session:
                care_board = session.get(Board, board.id)
                if care_board is None:
                    return {v: "" for v in variants}
                # the version the sections were named for (a newer one follows in its frame)
                set_committed_value(care_board, "version", board.version)
                return care_fragments.frames(session, care_board, sections, variants, since)
        _, whole, cards = read_cards(self.db, board.id, sections)
        return self._render(board, whole, cards, variants, since)

    def _render(
        self, board: PushedBoard, whole: set[str], cards: Cards, variants: list[Variant], since: int
    ) -> dict[Variant, str]:
        wanted = [name for name in SECTIONS if name in whole]
        view = None  # a screen that is already up to date (a reconnect storm) reads nothing
        if wanted:
            with self.db.session(write=False) as session:
                found = session.get(Board, board.id)
                if found is not None:
                    view = load_board(session, found, wanted, today=board.today)
        frames = {}
        for variant in variants:
            parts = [self.marker(variant.locale, since, board.version)]
            if view is not None:
                context = board_sections.context(view, variant.audience)
                parts += [
                    board_sections.render(variant.locale, name, context, oob=True)
                    for name in wanted
                ]
            for (kind, _item_id), read in cards.items():
                context = board_sections.card_context(board, variant.audience, read)
                parts.append(board_sections.render_card(variant.locale, kind, context))
            frames[variant] = "".join(parts)
        return frames

    def marker(self, locale: str, since: int, version: int) -> str:
        return render_macro(locale, MARKER_TEMPLATE, "version_marker", since, version)

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
        board = pushed_board(self.db, board_id)
        if board is None:
            return since, {}
        if board.version > known:
            # a newer version than those delivered in order (a delivery still on its way, or
            # committed meanwhile): its sections come from the board's events
            with self.db.read() as connection:
                sections |= sections_since(connection, board_id, known)
        return board.version, self._frames(board, sections, variants, since)

    def changes_at_once(
        self,
        board_id: int,
        sections: frozenset[str],
        variants: list[Variant],
        since: int,
        known: int,
    ) -> tuple[int, dict[Variant, str]] | None:
        """Cards alone, on SQLite: a plain read of a local file per card (WAL: never waiting
        for a writer), which brings the board's version along, and a card's macro cost less on
        the event loop than the hop to a worker thread (measured: ~60 µs against ~270 µs for the
        hop alone). Anything more (a section, a version not delivered yet, a busy file) goes to
        a worker thread (`changes`)."""
        if not self.db.reads_on_loop or not sections:
            return None
        if not all(item_kinds.card_named(name) for name in sections):
            return None
        try:
            board, whole, cards = read_cards(self.db, board_id, sections)
        except SQLITE_BUSY:  # the file is busy (a checkpoint)
            return None
        if whole or board is None:
            return None  # a card needs its section after all
        if board.version > known or board.kind == BoardKind.care:
            return None
        return board.version, self._render(board, whole, cards, variants, since)

    def carried(
        self, cards: dict[str, PushedCard], variants: list[Variant], since: int, version: int
    ) -> dict[Variant, str] | None:
        """Team boards' cards as their edits' commits wrote them (their own transactions read
        them): rendered on the event loop, nothing read. The frame brings the screens to
        `version`, the last change delivered in order; a newer one follows in its own frame."""
        alone: Cards = {}
        board = None
        for name, found in cards.items():
            named = item_kinds.card_named(name)
            if named is None or found.board.kind == BoardKind.care:
                return None
            alone[named] = found.card
            board = found.board
        if board is None:
            return None
        return self._render(replace(board, version=version), set(), alone, variants, since)

    def catch_up(
        self, board_id: int, since: int, variants: list[Variant]
    ) -> tuple[int, dict[Variant, str]]:
        board = pushed_board(self.db, board_id)
        if board is None:
            return since, {v: "" for v in variants}
        if since <= 0 or since > board.version:
            sections = frozenset(SECTIONS)
        elif since == board.version:
            sections = frozenset()  # up to date (a reconnect storm): nothing to look up
        else:
            with self.db.read() as connection:
                sections = sections_since(connection, board_id, since)
        return board.version, self._frames(board, sections, variants, since)

    def presence(
        self, board_id: int, names: list[str], displays: int, version: int, variants: list[Variant]
    ) -> dict[Variant, str]:
        return {
            v: render_string(
                v.locale, LIVE_TEMPLATE, "presence", names=names, displays=displays, oob=True
            )
            for v in variants
        }
