"""One card of a team board, read for a push of an edit that changed only what the card shows.

An edit of an item's in-place fields (`ItemKind.in_place`: an action's title or owner) leaves
its place in its list, the counts and every other section as they were: its change names the
card (`ItemKind.card_section`) instead of the section, and a push renders that card alone. It
is read with one plain prebuilt read (app/plain_reads.py) that brings the board's version, kind
and school day along, instead of the section's reads, and the frame carries one card however
long the list is.

Where the card is not all there is to repaint (the item left the board meanwhile, or a running
bordsessie lists it among last week's actions too), the read answers None and the push sends
the item's section instead.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Select, and_, bindparam, select
from sqlmodel import Session, SQLModel, col

from app import clock
from app.db import Database
from app.models import Action, Board, BoardKind, Goal, School, Team
from app.models.rows import select_columns
from app.models.standup import StandUp
from app.plain_reads import first_in
from app.services.deadlines import is_carried_over


@dataclass(frozen=True, slots=True)
class PushedBoard:
    """The board as a push of its cards needs it: no ORM object, no session."""

    id: int
    version: int
    kind: BoardKind
    archived_at: datetime | None
    today: date  # the school's


# The board's columns a push needs, labelled apart from an item's own (read with a card).
_BOARD_COLUMNS: tuple[Any, ...] = (
    col(Board.id).label("board_id_"),
    col(Board.version).label("board_version_"),
    col(Board.kind).label("board_kind_"),
    col(Board.archived_at).label("board_archived_at_"),
    col(School.time_zone).label("board_time_zone_"),
)

_BOARD = (
    select_columns(*_BOARD_COLUMNS)
    .join(Team, col(Team.id) == col(Board.team_id))
    .join(School, col(School.id) == col(Team.school_id))
    .where(col(Board.id) == bindparam("board_id"))
)


def _board_of(row: Any) -> PushedBoard:
    today = clock.today(clock.zone(row.board_time_zone_))
    return PushedBoard(
        row.board_id_, row.board_version_, row.board_kind_, row.board_archived_at_, today
    )


def pushed_board(db: Database, board_id: int) -> PushedBoard | None:
    row = db.first(_BOARD, {"board_id": board_id})
    return _board_of(row) if row is not None else None


# --- the kinds' cards ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PushedCard:
    """One item's card as a push renders it alone: the board as read with it (the same
    snapshot), and what its template's `pushed` needs besides."""

    board: PushedBoard
    card: dict[str, Any]


class Reads(Protocol):
    """Where a card is read: the database after the commit (`Database.first`), or the edit's
    own unit of work before it (`InTransaction`)."""

    def first(self, statement: Select, params: dict[str, Any]) -> Any: ...


class InTransaction:
    """Reads in a unit of work's transaction: the card as the edit wrote it and will commit it."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def first(self, statement: Select, params: dict[str, Any]) -> Any:
        return first_in(self._session.connection(), statement, params)


# A kind's card reader: (where, board id, item id) → the card, or None when more than the
# card must be repainted (or it is no longer on the board).
CardRead = Callable[[Reads, int, int], PushedCard | None]


@cache
def _card_statement(model: type[SQLModel], with_goal: bool) -> Select:
    """An item still on the board (not archived, not deleted: a plain read says so itself),
    every column of it, the title of the goal it names (`goal_title`) when it may name one,
    and the board's columns a push needs (one read, one snapshot). Built once per kind, so it
    is compiled once too (app/plain_reads.py)."""
    item = model.__table__.c  # type: ignore[attr-defined]
    extra: list[Any] = [col(Goal.title).label("goal_title")] if with_goal else []
    statement = (
        select_columns(*item, *extra, *_BOARD_COLUMNS)
        .join(Board, col(Board.id) == item.board_id)
        .join(Team, col(Team.id) == col(Board.team_id))
        .join(School, col(School.id) == col(Team.school_id))
    )
    if with_goal:
        statement = statement.outerjoin(
            Goal,
            and_(
                col(Goal.id) == item.goal_id,
                col(Goal.archived_at).is_(None),
                col(Goal.deleted_at).is_(None),
            ),
        )
    return statement.where(
        item.id == bindparam("item_id"),
        item.board_id == bindparam("board_id"),
        item.archived_at.is_(None),
        item.deleted_at.is_(None),
    )


def _read(db: Reads, model: type[SQLModel], board_id: int, item_id: int) -> Any:
    with_goal = "goal_id" in model.__table__.c  # type: ignore[attr-defined]
    return db.first(_card_statement(model, with_goal), {"item_id": item_id, "board_id": board_id})


def _card(item: Any) -> PushedCard:
    """The board, and what a kind's `pushed` macro is given besides: the item, and the title
    of the goal it names, as its list gives it."""
    title = getattr(item, "goal_title", None)
    goal_titles = {item.goal_id: title} if title is not None else {}
    return PushedCard(_board_of(item), {"item": item, "goal_titles": goal_titles})


def item_card(model: type[SQLModel]) -> CardRead:
    """A kind whose card shows the item alone (and its goal's title)."""

    def read(db: Reads, board_id: int, item_id: int) -> PushedCard | None:
        item = _read(db, model, board_id, item_id)
        return _card(item) if item is not None else None

    return read


_RUNNING_STAND_UP = select(col(StandUp.id)).where(
    col(StandUp.board_id) == bindparam("board_id"),
    col(StandUp.week) == bindparam("week"),
    col(StandUp.ended_at).is_(None),
)


def action_card(db: Reads, board_id: int, action_id: int) -> PushedCard | None:
    """An action's card, unless a running bordsessie lists it among last week's actions too."""
    action = _read(db, Action, board_id, action_id)
    if action is None:
        return None
    found = _card(action)
    today = found.board.today
    if is_carried_over(action, today):
        running = {"board_id": board_id, "week": clock.iso_week(today)}
        if db.first(_RUNNING_STAND_UP, running) is not None:
            return None  # the session's "Acties van vorige week" names it too
    return found
