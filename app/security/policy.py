"""Who may see and change what (CONTRACT.md §2). Everything out of reach is NotFound."""

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    ScalarSelect,
    Select,
    and_,
    bindparam,
    exists,
    false,
    func,
    null,
    or_,
    true,
)
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import Session, col, select

from app.errors import Archived, NotFound
from app.models import (
    Board,
    BoardKind,
    BoardMember,
    Membership,
    Role,
    School,
    Team,
    TeamMember,
    User,
    prebuilt,
)
from app.models.rows import select_columns

if TYPE_CHECKING:
    from app.db import Database


def school_role(session: Session, user: User, school_id: int) -> Role | None:
    return session.exec(
        select(col(Membership.role)).where(
            Membership.user_id == user.id, Membership.school_id == school_id
        )
    ).first()


def visible_school(session: Session, user: User, school_id: int) -> School:
    school = session.get(School, school_id)
    if school is None or not (user.is_admin or school_role(session, user, school_id)):
        raise NotFound()
    return school


def led_school(session: Session, user: User, school_id: int) -> School:
    """A school the user leads (or any school, for an admin)."""
    school = session.get(School, school_id)
    if school is None:
        raise NotFound()
    if not user.is_admin and school_role(session, user, school_id) != Role.leader:
        raise NotFound()
    return school


# Asked on every read of a team: built once (app/models/prebuilt.py).
_TEAM_MEMBER = select(col(TeamMember.id)).where(
    col(TeamMember.team_id) == bindparam("team_id"),
    col(TeamMember.user_id) == bindparam("user_id"),
)


def is_team_member(session: Session, user: User, team_id: int) -> bool:
    found = prebuilt.first(session, _TEAM_MEMBER, team_id=team_id, user_id=user.id)
    return found is not None


def visible_team(session: Session, user: User, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound()
    if user.is_admin or is_team_member(session, user, team_id):
        return team
    if school_role(session, user, team.school_id) == Role.leader:
        return team
    raise NotFound()


def managed_team(session: Session, user: User, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound()
    led_school(session, user, team.school_id)
    return team


def managed_board(session: Session, user: User, board_id: int) -> Board:
    """A board the user may rename, archive and restore: the school's leader (or an admin)
    for a team, class or leadership board; a care board's own members for a care board."""
    board = visible_board(session, user, board_id)
    if board.kind != BoardKind.care:
        led_school_of_board(session, user, board)
    return board


def visible_board(session: Session, user: User, board_id: int) -> Board:
    """The board if the user may open it (care boards only for their own members), read with
    the rule in one query."""
    row = session.execute(_BOARD_OPENED, {"board_id": board_id, "user_id": user.id}).first()
    if row is None or not row[1]:
        raise NotFound()
    board: Board = row[0]
    return board


def writable(board: Board) -> Board:
    """An archived board is read-only: no change of it or of anything on it. Checked by
    services.changes.begin, the step every change of a board takes, on the row it has just
    locked, so an archive and a change that race cannot both land."""
    if board.archived_at is not None:
        raise Archived()
    return board


def writable_team(team: Team) -> Team:
    if team.archived_at is not None:
        raise Archived("This team is archived")
    return team


def may_create_board(session: Session, user: User, team: Team, kind: BoardKind) -> bool:
    role = school_role(session, user, team.school_id)
    if kind == BoardKind.care:
        return role == Role.ib or user.is_admin
    return True  # visible_team has already established reach


def boards_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting the boards `user` may open (`_opening_rules`); for listings."""
    return _opening_rules(user.id, true() if user.is_admin else false())[1]


def led_school_of_board(session: Session, user: User, board: Board) -> School:
    team = session.get(Team, board.team_id)
    if team is None:
        raise NotFound()
    return led_school(session, user, team.school_id)


def leads_board_school(session: Session, user: User, board: Board) -> bool:
    """Whether the user leads the board's school (or is an admin): they answer help requests."""
    if user.is_admin:
        return True
    team = session.get(Team, board.team_id)
    return team is not None and school_role(session, user, team.school_id) == Role.leader


@dataclass(frozen=True, slots=True)
class BoardReach:
    """What a live screen needs to know about its user on one board."""

    user_id: int
    name: str
    locale: str
    leads: bool  # leads the board's school (or is an admin): sees the answer form on help requests
    version: int  # the board's version as the screen connects


def board_reach(
    db: "Database", user_id: ScalarSelect[int], board_id: int, params: dict[str, Any]
) -> BoardReach | None:
    """The user behind `user_id` (a subquery such as accounts.TOKEN_USER_ID, bound by `params`)
    on board `board_id`, or None when there is no such user or the board is out of their reach.
    The rules of `visible_board` and `leads_board_school` in one query: a reconnect storm of a
    whole school costs one round trip per screen."""
    row = db.first(_reach_statement(user_id), {**params, "board_id": board_id})
    return BoardReach(row[0], row[1], row[2], bool(row[3]), row[4]) if row else None


@cache
def opens_board() -> ColumnElement[bool]:
    """Who may open the board (`_opening_rules`) as SQL over a joined User and Board, for a
    read that joins them: the check costs no round trip of its own (services/items.get_item)."""
    return _opening_rules(col(User.id), col(User.is_admin))[1]


def _opening_rules(
    user_id: SQLCoreOperations[Any] | int | None, is_admin: SQLCoreOperations[Any]
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The one definition of who may open a board, as SQL over Board (its Team read in the
    rule, or correlated where the query joins it) for the user `user_id` (a joined User's
    column, or a value): (leads the board's school, may open the board).

    A care board opens for its own members only, administrators included; any other board
    for an administrator, a member of its team and a leader of its school."""
    leader = exists().where(
        col(Team.id) == col(Board.team_id),
        col(Membership.school_id) == col(Team.school_id),
        col(Membership.user_id) == user_id,
        col(Membership.role) == Role.leader,
    )
    care_member = exists().where(
        col(BoardMember.board_id) == col(Board.id), col(BoardMember.user_id) == user_id
    )
    team_member = exists().where(
        col(TeamMember.team_id) == col(Board.team_id), col(TeamMember.user_id) == user_id
    )
    opens = or_(
        and_(col(Board.kind) == BoardKind.care, care_member),
        and_(col(Board.kind) != BoardKind.care, or_(is_admin, team_member, leader)),
    )
    return leader, opens


_BOARD_OPENED = (
    select(Board, opens_board())
    .join(Team, col(Team.id) == col(Board.team_id))
    .join(User, col(User.id) == bindparam("user_id"))
    .where(col(Board.id) == bindparam("board_id"))
)


@cache
def _reach_statement(user_id: ScalarSelect[int]) -> Select:
    leader, opens = _opening_rules(col(User.id), col(User.is_admin))
    return (
        select_columns(
            col(User.id),
            col(User.name),
            col(User.locale),
            or_(col(User.is_admin), leader),
            col(Board.version),
        )
        .select_from(User)
        .join(Board, col(Board.id) == bindparam("board_id"))
        .join(Team, col(Team.id) == col(Board.team_id))
        .where(User.id == user_id, opens)
    )


def care_board(session: Session, user: User, board_id: int) -> Board:
    """A care board the user is a member of; any other board (or none) is NotFound."""
    board = visible_board(session, user, board_id)
    if board.kind != BoardKind.care:
        raise NotFound()
    return board


def school_of_board(session: Session, board: Board) -> int:
    team = session.get(Team, board.team_id)
    if team is None:
        raise NotFound()
    return team.school_id


def is_privacy_officer(session: Session, user: User, school_id: int) -> bool:
    """A leader of the school flagged as its privacy officer: reads the care audit log."""
    return (
        session.exec(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.school_id == school_id,
                Membership.role == Role.leader,
                Membership.privacy_officer,
            )
        ).first()
        is not None
    )


@dataclass(frozen=True, slots=True)
class BoardRead:
    """Who reads board `board_id` and what the answer depends on, from one query
    (`board_read`). `version` is None when the board is out of the reader's reach."""

    user_id: int
    name: str
    locale: str
    is_admin: bool
    leads: bool  # leads the board's school (or is an admin)
    csrf_token: str | None  # the login's, for a cookie session
    version: int | None
    kind: BoardKind | None
    team: str
    school: str
    school_id: int | None
    time_zone: str | None  # the board's school's: its "today" (lateness, this week)
    led_schools: int  # how many schools the reader leads: where "Overzicht" leads
    people: tuple[int, int]  # (count, newest) of the team's members: the session panel's names


def board_read(
    session: Session | Connection,
    user_id: ScalarSelect[int],
    board_id: int,
    params: dict[str, Any],
    *,
    page: bool = False,
    login: ScalarSelect[str] | None = None,
) -> BoardRead | None:
    """The reader behind `user_id` (a subquery such as accounts.TOKEN_USER_ID, bound by
    `params`) and board `board_id` as they may see it, or None when there is no such reader.
    The rules of `visible_board`, `leads_board_school` and the board's version in one round
    trip: a board read is then answered from what was rendered for that version.
    A `page` also reads what its header and session panel show, and with `login` (such as
    accounts.SESSION_CSRF) the login's CSRF token."""
    statement = board_read_statement(user_id, page, login)
    return board_read_of(session.execute(statement, {**params, "board_id": board_id}).first())


def _board_kind(stored: BoardKind | str) -> BoardKind:
    """The kind as SQLAlchemy reads it, or as a raw driver does: the enum's name."""
    return stored if isinstance(stored, BoardKind) else BoardKind[stored]


def board_read_of(row: Any) -> BoardRead | None:
    """The reader in a row of `board_read_statement` (None: no such reader)."""
    if row is None:
        return None
    opens = bool(row.opens) and row.version is not None
    return BoardRead(
        user_id=row.id,
        name=row.name,
        locale=row.locale,
        is_admin=bool(row.is_admin),
        leads=bool(row.leads),
        csrf_token=row.csrf,
        version=row.version if opens else None,
        kind=_board_kind(row.kind) if opens else None,
        team=row.team or "",
        school=row.school or "",
        school_id=row.school_id,
        time_zone=row.time_zone,
        led_schools=row.led or 0,
        people=(row.people or 0, row.newest or 0),
    )


@cache
def board_read_statement(
    user_id: ScalarSelect[int], page: bool, login: ScalarSelect[str] | None
) -> Select:
    leader, opens = _opening_rules(col(User.id), col(User.is_admin))
    columns: list[SQLCoreOperations[Any]] = [
        col(User.id),
        col(User.name),
        col(User.locale),
        col(User.is_admin),
        or_(col(User.is_admin), leader).label("leads"),
        opens.label("opens"),
        col(Board.version),
        col(Board.kind),
        col(School.time_zone),
    ]
    columns.append((login if login is not None else null()).label("csrf"))
    if page:
        members = select(TeamMember.id).where(TeamMember.team_id == Board.team_id)
        columns += [
            col(Team.name).label("team"),
            col(School.name).label("school"),
            col(School.id).label("school_id"),
            select(func.count(col(Membership.id)))
            .where(Membership.user_id == User.id, Membership.role == Role.leader)
            .scalar_subquery()
            .label("led"),
            members.with_only_columns(func.count(col(TeamMember.id)))
            .scalar_subquery()
            .label("people"),
            members.with_only_columns(func.max(col(TeamMember.id)))
            .scalar_subquery()
            .label("newest"),
        ]
    else:
        names = ("team", "school", "school_id", "led", "people", "newest")
        columns += [null().label(name) for name in names]
    return (
        select_columns(*columns)
        .select_from(User)
        .outerjoin(Board, col(Board.id) == bindparam("board_id"))
        .outerjoin(Team, col(Team.id) == col(Board.team_id))
        .outerjoin(School, col(School.id) == col(Team.school_id))
        .where(User.id == user_id)
    )
