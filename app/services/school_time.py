"""Which clock a board's or a school's days run on: its school's time zone (`School.time_zone`).

The rules themselves ("today", late, this week) live in app/clock.py and services/deadlines.py and
take the zone; this module only finds it, in one small query.
"""

from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app import clock
from app.models import Board, School, Team


def school_zone(school: School) -> ZoneInfo:
    return clock.zone(school.time_zone)


def board_zone(session: Session, board: Board) -> ZoneInfo:
    name = session.exec(
        select(School.time_zone)
        .join(Team, col(Team.school_id) == col(School.id))
        .where(Team.id == board.team_id)
    ).first()
    return clock.zone(name)


def board_today(session: Session, board: Board) -> date:
    """Today as the board's school sees it."""
    return clock.today(board_zone(session, board))
