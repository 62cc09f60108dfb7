"""One card of a team board, read for a push of an edit that changed only what the card shows.

An edit of an item's in-place fields (`ItemKind.in_place`: an action's title or owner) leaves
its place in its list, the counts and every other section as they were: its change names the
card (`ItemKind.card_section`) instead of the section, and a push renders that card alone. It
is read with a few plain prebuilt reads (app/plain_reads.py) instead of the section's, and the
frame carries one card however long the list is.

Where the card is not all there is to repaint (the item left the board meanwhile, or a running
bordsessie lists it among last week's actions too), the read answers None and the push sends
the item's section instead.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlmodel import col

from app import clock
from app.db import Database
from app.models import Action, Board, BoardKind, Goal, School, Team
from app.models.rows import select_columns
from app.models.standup import StandUp
from app.services.deadlines import is_carried_over


@dataclass(frozen=True, slots=True)
class PushedBoard:
    """The board as a push of its cards needs it: no ORM object, no session."""

    id: int
    version: int
    kind: BoardKind
    archived_at: datetime | None
    today: date  # the school's


_BOARD = (
    select_columns(
        col(Board.id),
        col(Board.version),
        col(Board.kind),
        col(Board.archived_at),
        col(School.time_zone),
    )
    .join(Team, col(Team.id) == col(Board.team_id))
    .join(School, col(School.id) == col(Team.school_id))
    .where(col(Board.id) == bindparam("board_id"))
)


def pushed_board(db: Database, board_id: int) -> PushedBoard | None:
    row = db.first(_BOARD, {"board_id": board_id})
    if row is None:
        return None
    today = clock.today(clock.zone(row.time_zone))
    return PushedBoard(row.id, row.version, row.kind, row.archived_at, today)


# --- the kinds' cards ----------------------------------------------------------------------------

_ACTION = (
    select_columns(
        col(Action.id),
        col(Action.title),
        col(Action.owner),
        col(Action.due),
        col(Action.status),
        col(Action.notes),
        col(Action.goal_id),
        col(Action.version),
        col(Goal.title).label("goal_title"),
    )
    .outerjoin(
        Goal,
        and_(
            col(Goal.id) == col(Action.goal_id),
            col(Goal.archived_at).is_(None),
            col(Goal.deleted_at).is_(None),
        ),
    )
    .where(
        col(Action.id) == bindparam("item_id"),
        col(Action.board_id) == bindparam("board_id"),
        col(Action.archived_at).is_(None),
        col(Action.deleted_at).is_(None),
    )
)
_RUNNING_STAND_UP = select(col(StandUp.id)).where(
    col(StandUp.board_id) == bindparam("board_id"),
    col(StandUp.week) == bindparam("week"),
    col(StandUp.ended_at).is_(None),
)


def action_card(db: Database, board: PushedBoard, action_id: int) -> dict[str, Any] | None:
    """An action's card (kinds/actions.html `card`): the action, and its goal's title."""
    action = db.first(_ACTION, {"item_id": action_id, "board_id": board.id})
    if action is None:
        return None
    if is_carried_over(action, board.today):
        running = {"board_id": board.id, "week": clock.iso_week(board.today)}
        if db.first(_RUNNING_STAND_UP, running) is not None:
            return None  # the session's "Acties van vorige week" names it too
    goal_titles = {action.goal_id: action.goal_title} if action.goal_title is not None else {}
    return {"item": action, "goal_titles": goal_titles}
