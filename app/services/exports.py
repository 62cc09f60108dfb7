"""What the downloads read: a school's actions for its leader (the overview's export) and a
board's actions for whoever may open the board.

The school's export reads its team boards, as the overview counts them; a board's export reads
any board the user may open but a care board: a care board's content never leaves by an export
(404 here, as outside one's reach).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case
from sqlmodel import Session, col

from app import clock
from app.errors import NotFound
from app.models import Action, ActionStatus, Board, BoardKind, Goal, School, Team, User
from app.models.rows import select_columns
from app.security.policy import led_school, visible_board
from app.services.school_time import board_zone, school_zone

Row = tuple[Any, ...]
# the board's order: to do, doing, done
STATUS_ORDER = case(
    (col(Action.status) == ActionStatus.todo, 0),
    (col(Action.status) == ActionStatus.doing, 1),
    else_=2,
)


@dataclass(frozen=True)
class SchoolActions:
    school: School
    zone: ZoneInfo
    today: date
    rows: Sequence[Row]  # team, board, action, status, owner, due, created, finished


@dataclass(frozen=True)
class BoardActions:
    """A board's actions in the board's order, and those in its archive (most recently
    archived first)."""

    board: Board
    zone: ZoneInfo
    today: date
    actions: Sequence[Row]  # wat, wie, wanneer, status, goal, created, finished
    archived: Sequence[Row]  # the same, and archived


def school_actions(session: Session, user: User, school_id: int) -> SchoolActions:
    """One row per action on the school's team boards (not archived), per team and board."""
    school = led_school(session, user, school_id)
    query = (
        select_columns(
            Team.name,
            Board.title,
            Action.title,
            Action.status,
            Action.owner,
            Action.due,
            Action.created_at,
            Action.done_at,
        )
        .join(Board, col(Board.team_id) == col(Team.id))
        .join(Action, col(Action.board_id) == col(Board.id))
        .where(
            Team.school_id == school_id,
            Board.kind == BoardKind.team,
            col(Board.archived_at).is_(None),
            col(Action.archived_at).is_(None),  # off the board (deleted ones: never read)
        )
        .order_by(col(Team.name), col(Board.id), STATUS_ORDER, col(Action.rank), col(Action.id))
    )
    zone = school_zone(school)
    return SchoolActions(school, zone, clock.today(zone), session.exec(query).all())


def board_actions(session: Session, user: User, board_id: int) -> BoardActions:
    board = visible_board(session, user, board_id)
    if board.kind == BoardKind.care:
        raise NotFound()
    zone = board_zone(session, board)
    return BoardActions(
        board,
        zone,
        clock.today(zone),
        _board_rows(session, board_id),
        _board_rows(session, board_id, archived=True),
    )


def _board_rows(session: Session, board_id: int, archived: bool = False) -> Sequence[Row]:
    """The board's actions, or its archived ones with the moment each was archived; deleted
    ones are never read (models/item.py)."""
    columns: list[Any] = [
        Action.title,
        Action.owner,
        Action.due,
        Action.status,
        Goal.title,
        Action.created_at,
        Action.done_at,
    ]
    query = select_columns(*columns, *([Action.archived_at] if archived else []))
    query = query.outerjoin(Goal, col(Goal.id) == col(Action.goal_id))
    if archived:
        query = query.where(Action.board_id == board_id, col(Action.archived_at).is_not(None))
        query = query.order_by(col(Action.archived_at).desc(), col(Action.id).desc())
    else:
        query = query.where(Action.board_id == board_id, col(Action.archived_at).is_(None))
        query = query.order_by(STATUS_ORDER, col(Action.rank), col(Action.id))
    return session.exec(query).all()


def board_title_and_today(session: Session, board_id: int) -> tuple[str, date]:
    """What a download from a board (read already within the user's reach) is named after."""
    board = session.get_one(Board, board_id)
    return board.title, clock.today(board_zone(session, board))
