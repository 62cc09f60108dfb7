"""Bord in de Klas: the class's first names and the pupil roles that rotate through them weekly.

Only first names, kept by the teacher for one school year: the daily job removes them once the
school year they were entered in has ended (services/deadlines.school_year).
"""

import logging
from datetime import date

from sqlmodel import Session, select

from app import clock
from app.db import Database
from app.errors import Invalid
from app.models import Board, BoardKind, ClassPupils, User
from app.models.klas import PupilRole
from app.models.rows import require_id
from app.security.policy import visible_board
from app.services import changes
from app.services.deadlines import school_year
from app.services.school_time import board_today, board_zone

log = logging.getLogger(__name__)
ENTITY = "class_pupils"
# The pupil roles of a class board, in the order they are handed out.
ROLES = ("bordleider", "schrijver", "tijdbewaker", "materiaalbeheerder")


def roles_of_week(names: list[str], week: int) -> list[PupilRole]:
    """This week's roles: role i goes to the name `week + i` places along the list, so every
    role moves on one name each ISO week. The one definition, for every screen."""
    if not names:
        return []
    return [
        PupilRole(role=role, name=names[(week + i) % len(names)])
        for i, role in enumerate(ROLES[: len(names)])
    ]


def class_board(session: Session, user: User, board_id: int) -> Board:
    """A class board the user may open; another kind of board has no pupils (422)."""
    board = visible_board(session, user, board_id)
    require_class(board)
    return board


def require_class(board: Board) -> Board:
    if board.kind != BoardKind.klas:
        raise Invalid("board_id", "only a class board has pupils", kind="not_class_board")
    return board


def names_of(session: Session, board: Board) -> list[str]:
    row = session.get(ClassPupils, board.id)
    if row is None or row.school_year != school_year(board_today(session, board)):
        return []  # last school year's names are no longer used, even before the job ran
    return list(row.names)


def get_names(session: Session, user: User, board_id: int) -> list[str]:
    return names_of(session, class_board(session, user, board_id))


def set_names(session: Session, user: User, board_id: int, names: list[str]) -> list[str]:
    """Replace the list; blank and repeated names are left out, the order is kept."""
    board = class_board(session, user, board_id)
    changes.begin(session, board)
    cleaned = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    row = session.get(ClassPupils, require_id(board)) or ClassPupils(
        board_id=require_id(board), school_year=0
    )
    row.names = cleaned
    row.school_year = school_year(board_today(session, board))
    row.updated_at = clock.now()
    session.add(row)
    session.flush()
    changes.record(session, board, user, "updated", ENTITY, board.id, ())
    return cleaned


def week_roles(session: Session, board: Board, today: date | None = None) -> list[PupilRole]:
    today = today or board_today(session, board)
    return roles_of_week(names_of(session, board), today.isocalendar()[1])


def purge_ended_years(db: Database) -> int:
    """Remove the names of every class whose school year has ended (the school's today);
    returns how many classes lost them."""
    removed = 0
    with db.session() as session:
        for row in list(session.exec(select(ClassPupils))):
            board = session.get(Board, row.board_id)
            if board is None:
                continue
            this_year = school_year(clock.today(board_zone(session, board)))
            if row.school_year < this_year:
                # a board change like any other, so that pages read for its version are redone
                changes.begin(session, board, archived_ok=True)
                session.delete(row)
                session.flush()
                changes.record(session, board, None, "removed", ENTITY, board.id, ())
                removed += 1
    if removed:
        log.info("removed the pupils' names of %d classes after their school year", removed)
    return removed
