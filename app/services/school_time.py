"""Which clock a board's or a school's days run on: its school's time zone (`School.time_zone`).

The rules themselves ("today", late, this week) live in app/clock.py and services/deadlines.py and
take the zone; this module only finds it, in one small query.
"""

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app import clock
from app.models import Board, School, Team
from app.services import prebuilt


def school_zone(school: School) -> ZoneInfo:
    return clock.zone(school.time_zone)


_ZONE_OF_TEAM = (
    select(School.time_zone)
    .join(Team, col(Team.school_id) == col(School.id))
    .where(col(Team.id) == bindparam("team_id"))
)


def board_zone(session: Session, board: Board) -> ZoneInfo:
    return clock.zone(prebuilt.scalar(session, _ZONE_OF_TEAM, team_id=board.team_id))


def board_today(session: Session, board: Board) -> date:
    """Today as the board's school sees it."""
    return clock.today(board_zone(session, board))
