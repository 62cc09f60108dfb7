"""Schools, teams, their members and their boards."""

from sqlmodel import Session, col, select

from app.errors import Invalid, NotFound
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
)
from app.models.board import BoardCreate
from app.models.rows import require_id
from app.models.school import MemberAdd, SchoolCreate, TeamCreate
from app.security.policy import (
    boards_clause,
    led_school,
    managed_team,
    may_create_board,
    school_role,
    visible_school,
    visible_team,
)


def schools_of(session: Session, user: User) -> list[School]:
    query = select(School).order_by(School.name)
    if not user.is_admin:
        query = query.join(Membership, col(Membership.school_id) == col(School.id)).where(
            Membership.user_id == user.id
        )
    return list(session.exec(query))


def create_school(session: Session, user: User, data: SchoolCreate) -> School:
    if not user.is_admin:
        raise NotFound()
    if session.exec(select(School.id).where(School.slug == data.slug)).first():
        raise Invalid("slug", "a school with this slug exists")
    school = School(name=data.name, slug=data.slug)
    session.add(school)
    session.flush()
    return school


def teams_of(session: Session, user: User, school_id: int) -> list[Team]:
    """Leaders see every team of their school; teachers only their own."""
    visible_school(session, user, school_id)
    query = select(Team).where(Team.school_id == school_id).order_by(Team.name)
    if not user.is_admin and school_role(session, user, school_id) != Role.leader:
        query = query.join(TeamMember, col(TeamMember.team_id) == col(Team.id)).where(
            TeamMember.user_id == user.id
        )
    return list(session.exec(query))


def create_team(session: Session, user: User, school_id: int, data: TeamCreate) -> Team:
    led_school(session, user, school_id)
    exists = session.exec(
        select(Team.id).where(Team.school_id == school_id, Team.name == data.name)
    ).first()
    if exists:
        raise Invalid("name", "a team with this name exists")
    team = Team(school_id=school_id, name=data.name)
    session.add(team)
    session.flush()
    return team


def add_team_member(
    session: Session, user: User, team_id: int, data: MemberAdd
) -> tuple[Team, User, Membership]:
    """Add a user (found by email) to the team, and to the school with `role` if new there."""
    team = managed_team(session, user, team_id)
    member = session.exec(select(User).where(User.email == data.email.lower())).first()
    if member is None:
        raise Invalid("email", "no user with this email")
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == member.id, Membership.school_id == team.school_id
        )
    ).first()
    if membership is None:
        membership = Membership(
            user_id=require_id(member), school_id=team.school_id, role=data.role or Role.teacher
        )
        session.add(membership)
    elif data.role is not None:
        membership.role = data.role
        session.add(membership)
    if not _in_team(session, require_id(team), require_id(member)):
        session.add(TeamMember(team_id=require_id(team), user_id=require_id(member)))
    session.flush()
    return team, member, membership


def _in_team(session: Session, team_id: int, user_id: int) -> bool:
    return (
        session.exec(
            select(TeamMember.id).where(
                TeamMember.team_id == team_id, TeamMember.user_id == user_id
            )
        ).first()
        is not None
    )


def team_members(session: Session, team_id: int) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(TeamMember, col(TeamMember.user_id) == col(User.id))
            .where(TeamMember.team_id == team_id)
            .order_by(User.name)
        )
    )


def boards_of_team(session: Session, user: User, team_id: int) -> list[Board]:
    visible_team(session, user, team_id)
    return list(
        session.exec(
            select(Board)
            .where(col(Board.team_id) == team_id, boards_clause(user))
            .order_by(col(Board.id))
        )
    )


def create_board(session: Session, user: User, team_id: int, data: BoardCreate) -> Board:
    team = visible_team(session, user, team_id)
    if not may_create_board(session, user, team, data.kind):
        raise Invalid("kind", "only an IB'er can create a care board")
    board = Board(
        team_id=require_id(team), title=data.title, kind=data.kind, created_by_id=require_id(user)
    )
    session.add(board)
    session.flush()
    if data.kind == BoardKind.care:
        session.add(BoardMember(board_id=require_id(board), user_id=require_id(user)))
        session.flush()
    return board


def home_listing(
    session: Session, user: User
) -> list[tuple[School, list[tuple[Team, list[Board]]]]]:
    """My schools, with the teams and boards I may open, for the start page."""
    rows = session.exec(
        select(School, Team, Board)
        .join(Team, col(Team.school_id) == col(School.id))
        .join(Board, col(Board.team_id) == col(Team.id))
        .where(boards_clause(user))
        .order_by(col(School.name), col(Team.name), col(Board.id))
    ).all()
    listing: dict[int, tuple[School, dict[int, tuple[Team, list[Board]]]]] = {}
    for school, team, board in rows:
        teams = listing.setdefault(require_id(school), (school, {}))[1]
        teams.setdefault(require_id(team), (team, []))[1].append(board)
    for school in schools_of(session, user):
        listing.setdefault(require_id(school), (school, {}))
    return [(s, list(t.values())) for s, t in sorted(listing.values(), key=lambda e: e[0].name)]
