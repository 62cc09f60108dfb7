"""Which clock a board's or a school's days run on: its school's time zone (`School.time_zone`).

The rules themselves ("today", late, this week) live in app/clock.py and services/deadlines.py and
take the zone; this module only finds it, in one small query.
"""

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app import clock
from app.models import Board, School, Team, prebuilt


def school_zone(school: School) -> ZoneInfo:
    return clock.zone(school.time_zone)


_ZONE_OF_TEAM = (
    select(School.time_zone)
    .join(Team, col(Team.school_id) == col(School.id))
    .where(col(Team.id) == bindparam("team_id"))
)


_KNOWN_ZONES = "school_time.zones"  # session.info: the zone's name by team, read this request


def remember_zone(session: Session, board: Board, name: str) -> None:
    """The zone of `board`'s school, read along with the board (services/items.get_item): the
    answer of the same request needs no query of its own."""
    session.info.setdefault(_KNOWN_ZONES, {})[board.team_id] = name


def board_zone(session: Session, board: Board) -> ZoneInfo:
    name = session.info.get(_KNOWN_ZONES, {}).get(board.team_id)
    if name is None:
        name = prebuilt.scalar(session, _ZONE_OF_TEAM, team_id=board.team_id)
    return clock.zone(name)


def board_today(session: Session, board: Board) -> date:
    """Today as the board's school sees it."""
    return clock.today(board_zone(session, board))
