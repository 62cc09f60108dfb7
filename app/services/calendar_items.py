"""What a calendar feed holds, read in one place: a user's own agenda (the due dates of their
open actions, the plan items they are in and the bordsessies of their teams' boards) and a
board's (its plan items and bordsessies).

Whose: the boards of the teams the user belongs to, never a care board and never an archived
board or team (`_shown_boards`); on those, an action or plan item is the user's when its owner
or `who` names them (services/owners.py). Which items: `_shown_actions`, `_shown_plan_items` and
`_shown_sessions` are the only filters; an item state that must stay out of calendars is one
more condition there.
A feed looks back `HISTORY` days and has no end ahead. Each row carries its school's time zone.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select
from sqlmodel import Session, col, select

from app import clock
from app.models import (
    Action,
    ActionStatus,
    Board,
    BoardKind,
    Membership,
    PlanItem,
    PlanKind,
    School,
    StandUp,
    Team,
    TeamMember,
    User,
)
from app.models.rows import require_id, select_columns
from app.models.standup import DEFAULT_AGENDA
from app.services.owners import names_me
from app.services.school_time import board_zone

HISTORY = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class Where:
    """The board an item is on."""

    board_id: int
    board: str
    team: str
    zone: ZoneInfo


@dataclass(frozen=True, slots=True)
class DueAction:
    id: int
    title: str
    owner: str
    due: date
    at: Where
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Planned:
    id: int
    text: str
    day: date
    kind: PlanKind
    who: str
    at: Where
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Held:
    """A bordsessie: from its start to its end (a running one: the end its agenda plans)."""

    id: int
    start: datetime
    end: datetime
    bordleider: str | None
    at: Where
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Agenda:
    zone: ZoneInfo  # the calendar's own: the (first) school's
    actions: list[DueAction]
    plans: list[Planned]
    sessions: list[Held]


def _shown_boards() -> list[ColumnElement[bool]]:
    """The boards any feed may read: no care board (care data never leaves by a calendar), no
    archived board or team."""
    return [
        col(Board.kind) != BoardKind.care,
        col(Board.archived_at).is_(None),
        col(Team.archived_at).is_(None),
    ]


def _shown_actions() -> list[ColumnElement[bool]]:
    """Open actions with a due date, on the board (not in its archive)."""
    return [
        col(Action.due).is_not(None),
        col(Action.status) != ActionStatus.done,
        col(Action.archived_at).is_(None),
    ]


def _shown_plan_items(since: date) -> list[ColumnElement[bool]]:
    return [col(PlanItem.date) >= since, col(PlanItem.archived_at).is_(None)]


def _shown_sessions(since: date) -> list[ColumnElement[bool]]:
    return [col(StandUp.started_at) >= clock.start_of(since)]


def my_agenda(session: Session, user: User) -> Agenda:
    boards = _team_boards(user)
    since = _since()
    actions = [
        DueAction(require_id(a), a.title, a.owner, a.due, where, a.updated_at)
        for a, where in _rows(session, Action, boards, _shown_actions())
        if names_me(a.owner, user)
    ]
    plans = [
        _planned(p, where)
        for p, where in _rows(session, PlanItem, boards, _shown_plan_items(since))
        if names_me(p.who, user)
    ]
    sessions = _held(session, boards, since)
    return Agenda(_home_zone(session, user), actions, plans, sessions)


def board_agenda(session: Session, board: Board) -> Agenda:
    """The board's planning and bordsessies (reach checked by the caller; a care or archived
    board shows nothing)."""
    boards = [require_id(board)]
    since = _since()
    plans = [
        _planned(p, where)
        for p, where in _rows(session, PlanItem, boards, _shown_plan_items(since))
    ]
    return Agenda(board_zone(session, board), [], plans, _held(session, boards, since))


def fingerprint(session: Session, user: User, board: Board | None = None) -> str:
    """What a feed's contents depend on, in two small queries: the reader's name and language,
    today (the window moves daily), the calendar's zone, and per board the feed reads its version
    (every change of an item moves it: services/changes.py), title, kind and archived state, its
    team's name and archived state and its school's zone. Equal fingerprints make equal feeds."""
    boards = [require_id(board)] if board is not None else _team_boards(user)
    rows = session.exec(
        select_columns(
            Board.id,
            Board.version,
            Board.title,
            Board.kind,
            Board.archived_at,
            Team.name,
            Team.archived_at,
            School.time_zone,
        )
        .join(Team, col(Team.id) == col(Board.team_id))
        .join(School, col(School.id) == col(Team.school_id))
        .where(col(Board.id).in_(boards))
        .order_by(col(Board.id))
    ).all()
    zone = board_zone(session, board) if board is not None else _home_zone(session, user)
    parts = (user.name, user.locale, clock.today(), zone.key, [tuple(row) for row in rows])
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --- inside -------------------------------------------------------------------------------------


def _since() -> date:
    return clock.today() - HISTORY


def _home_zone(session: Session, user: User) -> ZoneInfo:
    """The time zone of the user's first school (the default without one)."""
    name = session.exec(
        select(School.time_zone)
        .join(Membership, col(Membership.school_id) == col(School.id))
        .where(Membership.user_id == user.id)
        .order_by(col(School.id))
    ).first()
    return clock.zone(name)


def _team_boards(user: User) -> Select:
    return (
        select(Board.id)
        .join(TeamMember, col(TeamMember.team_id) == col(Board.team_id))
        .where(TeamMember.user_id == user.id)
    )


def _rows(
    session: Session,
    model: type[Action] | type[PlanItem] | type[StandUp],
    boards: Select | list[int],
    conditions: list[ColumnElement[bool]],
) -> list[tuple[Any, Where]]:
    """The rows of `model` on `boards` that a feed may show, each with the board it is on."""
    entity: Any = model  # one of three tables, each with its board_id
    rows = session.exec(
        select(entity, Board.title, Team.name, School.time_zone)
        .join(Board, col(Board.id) == col(entity.board_id))
        .join(Team, col(Team.id) == col(Board.team_id))
        .join(School, col(School.id) == col(Team.school_id))
        .where(col(Board.id).in_(boards), *_shown_boards(), *conditions)
    ).all()
    return [
        (item, Where(item.board_id, board, team, clock.zone(zone)))
        for item, board, team, zone in rows
    ]


def _planned(item: PlanItem, where: Where) -> Planned:
    return Planned(
        require_id(item), item.text, item.date, item.kind, item.who, where, item.updated_at
    )


def _held(session: Session, boards: Select | list[int], since: date) -> list[Held]:
    rows = _rows(session, StandUp, boards, _shown_sessions(since))
    return [
        Held(
            require_id(s),
            s.started_at,
            _end(s),
            s.bordleider,
            where,
            s.updated_at,
        )
        for s, where in rows
    ]


def _end(stand_up: StandUp) -> datetime:
    planned = stand_up.started_at + timedelta(minutes=_minutes(stand_up.agenda or DEFAULT_AGENDA))
    ended = stand_up.ended_at
    return ended if ended is not None and ended > stand_up.started_at else planned


def _minutes(agenda: list[dict]) -> int:
    return sum(int(part.get("minutes", 0)) for part in agenda) or 15
