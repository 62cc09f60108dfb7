"""A school's people, as its leader manages them: role, teams, unlocking, taking access away.

Two leaders editing the same person: the last write wins, field by field. A change names only
the fields it sets (`role`, or the whole set of `team_ids`), so a role change and a team change
made at the same time both stay. The last leader of a school can never be demoted or removed:
the school's leader memberships are locked (PostgreSQL; SQLite has one writer anyway) while the
rule is checked, so two leaders demoting each other at once cannot leave the school without one.

A change of who may open which board travels the one path of every change: each board whose
screens it concerns gets a version and an event (`school_member`), and the hub on every
instance closes the screens of a board the person may no longer open.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.config import Settings
from app.errors import Invalid, NotFound
from app.models import (
    Board,
    BoardKind,
    BoardMember,
    Membership,
    Role,
    Team,
    TeamMember,
    User,
    UserSession,
)
from app.models.people import PersonPublic, PersonTeam, PersonUpdate
from app.models.rows import key_column, require_id
from app.security.policy import boards_clause, led_school
from app.services import accounts, changes

ENTITY = "school_member"
REMOVED = "removed"  # the hub closes the person's screens of the board
CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Person:
    user: User
    membership: Membership


def people_of(
    session: Session, actor: User, school_id: int, settings: Settings
) -> list[PersonPublic]:
    led_school(session, actor, school_id)
    rows = session.exec(
        select(User, Membership)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.school_id == school_id)
        .order_by(col(User.name), col(User.id))
    ).all()
    return _public(session, school_id, settings, [Person(u, m) for u, m in rows])


def describe(session: Session, school_id: int, settings: Settings, found: Person) -> PersonPublic:
    """A person as the list shows them (reach was checked when they were found)."""
    return _public(session, school_id, settings, [found])[0]


def update_person(
    session: Session, actor: User, school_id: int, user_id: int, data: PersonUpdate
) -> Person:
    found = _person(session, actor, school_id, user_id)
    team_ids = None if data.team_ids is None else set(data.team_ids)
    if team_ids:
        known = set(
            session.exec(
                select(Team.id).where(Team.school_id == school_id, col(Team.id).in_(team_ids))
            )
        )
        if known != team_ids:
            raise Invalid("team_ids", "unknown team in this school")
    demoted = data.role is not None and data.role != found.membership.role
    if demoted and found.membership.role == Role.leader:
        _keep_a_leader(session, school_id, "role")
    before = _open_boards(session, found.user, school_id)
    touched: set[int] = set()
    if data.role is not None and data.role != found.membership.role:
        found.membership.role = data.role
        session.add(found.membership)
    if team_ids is not None:
        touched = _set_teams(session, school_id, require_id(found.user), team_ids)
    session.flush()
    announce(session, actor, found.user, school_id, before, touched)
    return found


def unlock(session: Session, actor: User, school_id: int, user_id: int) -> Person:
    found = _person(session, actor, school_id, user_id)
    accounts.unlock(session, found.user.email)
    return found


def remove(session: Session, actor: User, school_id: int, user_id: int) -> Person:
    """The person leaves the school: their membership, teams and care boards here end; with no
    other school left, so do their logins and API tokens. What they wrote stays, with their
    name."""
    found = _person(session, actor, school_id, user_id)
    if found.membership.role == Role.leader:
        _keep_a_leader(session, school_id, "user_id")
    before = _open_boards(session, found.user, school_id)
    touched = _set_teams(session, school_id, require_id(found.user), set())
    for row in session.exec(
        select(BoardMember)
        .join(Board, col(Board.id) == col(BoardMember.board_id))
        .join(Team, col(Team.id) == col(Board.team_id))
        .where(BoardMember.user_id == found.user.id, Team.school_id == school_id)
    ):
        session.delete(row)
    session.delete(found.membership)
    session.flush()
    others = session.exec(select(Membership.id).where(Membership.user_id == found.user.id)).first()
    if others is None and not found.user.is_admin:
        accounts.end_logins(session, found.user)
        accounts.revoke_tokens(session, found.user)
    announce(session, actor, found.user, school_id, before, touched)
    return found


# --- helpers ----------------------------------------------------------------------------------


def _person(session: Session, actor: User, school_id: int, user_id: int) -> Person:
    led_school(session, actor, school_id)
    row = session.exec(
        select(User, Membership)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.school_id == school_id, User.id == user_id)
    ).first()
    if row is None:
        raise NotFound()
    return Person(row[0], row[1])


def _keep_a_leader(session: Session, school_id: int, field: str) -> None:
    leaders = session.exec(
        select(Membership.id)
        .where(Membership.school_id == school_id, Membership.role == Role.leader)
        .with_for_update()
    ).all()
    if len(leaders) <= 1:
        raise Invalid(field, "the last leader of a school cannot be demoted or removed")


def _set_teams(session: Session, school_id: int, user_id: int, wanted: set[int]) -> set[int]:
    """Make the user a member of exactly the `wanted` teams of the school; returns the teams
    whose membership changed."""
    current = {
        row.team_id: row
        for row in session.exec(
            select(TeamMember)
            .join(Team, col(Team.id) == col(TeamMember.team_id))
            .where(TeamMember.user_id == user_id, Team.school_id == school_id)
        )
    }
    for team_id in set(current) - wanted:
        session.delete(current[team_id])
    for team_id in wanted - set(current):
        session.add(TeamMember(team_id=team_id, user_id=user_id))
    return set(current) ^ wanted


def _open_boards(session: Session, user: User, school_id: int) -> set[int]:
    """The boards of the school the user may open now."""
    return set(
        session.exec(
            select(key_column(Board))
            .join(Team, col(Team.id) == col(Board.team_id))
            .where(Team.school_id == school_id, boards_clause(user))
        )
    )


def announce(
    session: Session,
    actor: User,
    user: User,
    school_id: int,
    before: set[int],
    touched_teams: set[int],
) -> None:
    """One version and event on every board the change concerns: those the user may no longer
    open (their screens there close), and the team boards whose team changed (the session
    panel names the team)."""
    lost = before - _open_boards(session, user, school_id)
    boards = session.exec(
        select(Board)
        .where(col(Board.id).in_(lost) | col(Board.team_id).in_(touched_teams))
        .order_by(col(Board.id))  # one order for every writer: row locks never deadlock
    ).all()
    for board in boards:
        changes.begin(session, board, archived_ok=True)  # taking access away is always possible
        sections = ("session",) if board.kind != BoardKind.care else ()
        kind = REMOVED if board.id in lost else CHANGED
        changes.record(session, board, actor, kind, ENTITY, user.id, sections)


def _public(
    session: Session, school_id: int, settings: Settings, people: list[Person]
) -> list[PersonPublic]:
    ids = [p.user.id for p in people]
    teams: dict[int, list[PersonTeam]] = {}
    for user_id, team_id, name in session.exec(
        select(TeamMember.user_id, key_column(Team), Team.name)
        .join(Team, col(Team.id) == col(TeamMember.team_id))
        .where(Team.school_id == school_id, col(TeamMember.user_id).in_(ids))
        .order_by(Team.name)
    ):
        teams.setdefault(user_id, []).append(PersonTeam(id=team_id, name=name))
    signed_in: dict[int, datetime] = dict(
        session.exec(
            select(UserSession.user_id, func.max(UserSession.created_at))
            .where(col(UserSession.user_id).in_(ids))
            .group_by(col(UserSession.user_id))
        ).all()
    )
    locked = accounts.locked_emails(session, settings, [p.user.email for p in people])
    return [
        PersonPublic(
            user_id=require_id(p.user),
            name=p.user.name,
            email=p.user.email,
            role=p.membership.role,
            teams=teams.get(require_id(p.user), []),
            locked=p.user.email in locked,
            last_sign_in=signed_in.get(require_id(p.user)),
        )
        for p in people
    ]
