"""Schools, teams, their members and their boards."""

from sqlalchemy import ColumnElement
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
from app.models.school import MemberAdd, SchoolCreate, SchoolUpdate, TeamCreate
from app.security.policy import (
    boards_clause,
    led_school,
    managed_team,
    may_create_board,
    school_role,
    visible_school,
    visible_team,
    writable_team,
)
from app.services import templates


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
    _check_unique(session, None, data.slug, data.brin)
    school = School(name=data.name, slug=data.slug, brin=data.brin, time_zone=data.time_zone)
    session.add(school)
    session.flush()
    return school


def update_school(session: Session, user: User, school_id: int, data: SchoolUpdate) -> School:
    """The installation's admin changes a school's name, slug, BRIN code or time zone."""
    school = session.get(School, school_id)
    if school is None or not user.is_admin:
        raise NotFound()
    changed = data.model_dump(exclude_unset=True)
    for field in ("name", "slug", "time_zone"):
        if field in changed and changed[field] is None:
            raise Invalid(field, "may not be empty", kind="missing")
    _check_unique(session, school.id, changed.get("slug"), changed.get("brin"))
    for field, value in changed.items():
        setattr(school, field, value)
    session.add(school)
    session.flush()
    return school


def _check_unique(
    session: Session, school_id: int | None, slug: str | None, brin: str | None
) -> None:
    for field, column, value in (("slug", School.slug, slug), ("brin", School.brin, brin)):
        if value is None:
            continue
        other = session.exec(select(School.id).where(column == value)).first()
        if other is not None and other != school_id:
            raise Invalid(field, f"a school with this {field} exists", kind=f"{field}_taken")


def all_schools(session: Session, user: User) -> list[School]:
    """The installation's schools, for its admin."""
    if not user.is_admin:
        raise NotFound()
    return list(session.exec(select(School).order_by(School.name)))


def teams_of(session: Session, user: User, school_id: int, *, archived: bool = False) -> list[Team]:
    """Leaders see every team of their school; teachers only their own. Archived teams only
    when asked for (`archived`), and then only those."""
    visible_school(session, user, school_id)
    query = (
        select(Team)
        .where(Team.school_id == school_id, _archived(Team.archived_at, archived))
        .order_by(Team.name)
    )
    if not user.is_admin and school_role(session, user, school_id) != Role.leader:
        query = query.join(TeamMember, col(TeamMember.team_id) == col(Team.id)).where(
            TeamMember.user_id == user.id
        )
    return list(session.exec(query))


def _archived(column: object, archived: bool) -> ColumnElement[bool]:
    return col(column).is_not(None) if archived else col(column).is_(None)


def create_team(session: Session, user: User, school_id: int, data: TeamCreate) -> Team:
    led_school(session, user, school_id)
    exists = session.exec(
        select(Team.id).where(Team.school_id == school_id, Team.name == data.name)
    ).first()
    if exists:
        raise Invalid("name", "a team with this name exists", kind="team_name_taken")
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


def boards_of_team(
    session: Session, user: User, team_id: int, *, archived: bool = False
) -> list[Board]:
    """The team's boards the user may open: the archived ones only when asked for."""
    visible_team(session, user, team_id)
    return list(
        session.exec(
            select(Board)
            .where(
                Board.team_id == team_id,
                boards_clause(user),
                _archived(Board.archived_at, archived),
            )
            .order_by(col(Board.id))
        )
    )


def create_board(session: Session, user: User, team_id: int, data: BoardCreate) -> Board:
    """A member of the team (or its school's leader) makes a board. A care board belongs to an
    IB'er: one makes it for themselves, or a leader names them with `ib_email`."""
    team = writable_team(visible_team(session, user, team_id))
    template = templates.resolve(session, team.school_id, data.template) if data.template else None
    if template is not None:
        if "kind" in data.model_fields_set and data.kind != template.kind:
            raise Invalid("kind", "does not match the template", kind="template_kind")
        data.kind = template.kind
    care_owner = _care_owner(session, user, team, data) if data.kind == BoardKind.care else None
    board = Board(
        team_id=require_id(team), title=data.title, kind=data.kind, created_by_id=require_id(user)
    )
    session.add(board)
    session.flush()
    if care_owner is not None:
        session.add(BoardMember(board_id=require_id(board), user_id=require_id(care_owner)))
        session.flush()
    if template is not None:
        templates.apply(session, user, board, template)
    return board


def _care_owner(session: Session, user: User, team: Team, data: BoardCreate) -> User:
    if data.ib_email is None:
        if not may_create_board(session, user, team, data.kind):
            raise Invalid(
                "kind", "only an IB'er can create a care board", kind="care_board_needs_ib"
            )
        return user
    if not (user.is_admin or school_role(session, user, team.school_id) == Role.leader):
        raise Invalid(
            "ib_email", "only a leader names the IB'er of a care board", kind="leader_names_ib"
        )
    owner = session.exec(
        select(User)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(
            User.email == data.ib_email.lower(),
            Membership.school_id == team.school_id,
            Membership.role == Role.ib,
        )
    ).first()
    if owner is None:
        raise Invalid("ib_email", "no IB'er of this school has this email", kind="unknown_ib")
    return owner


def home_listing(
    session: Session, user: User
) -> list[tuple[School, list[tuple[Team, list[Board]]]]]:
    """My schools, with the teams and boards I may open, for the start page."""
    rows = session.exec(
        select(School, Team, Board)
        .join(Team, col(Team.school_id) == col(School.id))
        .join(Board, col(Board.team_id) == col(Team.id))
        .where(
            boards_clause(user), col(Team.archived_at).is_(None), col(Board.archived_at).is_(None)
        )
        .order_by(col(School.name), col(Team.name), col(Board.id))
    ).all()
    listing: dict[int, tuple[School, dict[int, tuple[Team, list[Board]]]]] = {}
    for school, team, board in rows:
        teams = listing.setdefault(require_id(school), (school, {}))[1]
        teams.setdefault(require_id(team), (team, []))[1].append(board)
    for school in schools_of(session, user):
        listing.setdefault(require_id(school), (school, {}))
    return [(s, list(t.values())) for s, t in sorted(listing.values(), key=lambda e: e[0].name)]
