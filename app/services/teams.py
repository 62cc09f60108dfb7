"""A school's teams managed by its leader: renamed, archived (with their boards) and restored."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app import clock
from app.errors import Invalid
from app.models import Board, School, Team, User
from app.models.school import TeamUpdate
from app.security import policy
from app.services import boards


def update_team(session: Session, user: User, team_id: int, data: TeamUpdate) -> Team:
    """Rename, archive or restore. Archiving a team archives its boards at the same instant;
    restoring it brings back those boards (not those archived on their own before)."""
    team = policy.managed_team(session, user, team_id)
    asked = data.model_dump(exclude_unset=True)
    if "name" in asked:
        if asked["name"] is None:
            raise Invalid("name", "may not be empty", kind="missing")
        if asked["name"] != team.name:
            _check_unique_name(session, team, asked["name"])
            team.name = asked["name"]
    archive = asked.get("archived")
    if archive is True and not team.archived:
        _archive(session, user, team)
    elif archive is False and team.archived:
        _restore(session, user, team)
    session.add(team)
    session.flush()
    return team


def _check_unique_name(session: Session, team: Team, name: str) -> None:
    other = session.exec(
        select(Team.id).where(Team.school_id == team.school_id, Team.name == name)
    ).first()
    if other is not None and other != team.id:
        raise Invalid("name", "a team with this name exists", kind="team_name_taken")


def _archive(session: Session, user: User, team: Team) -> None:
    now = clock.now()
    team.archived_at = now
    for board in _boards(session, team, archived=False):
        boards.set_archived(session, user, board, now)


def _restore(session: Session, user: User, team: Team) -> None:
    archived_with_team = team.archived_at
    team.archived_at = None
    for board in _boards(session, team, archived=True):
        if board.archived_at == archived_with_team:
            boards.set_archived(session, user, board, None)


def _boards(session: Session, team: Team, *, archived: bool) -> list[Board]:
    column = col(Board.archived_at)
    return list(
        session.exec(
            select(Board)
            .where(Board.team_id == team.id, column.is_not(None) if archived else column.is_(None))
            .order_by(col(Board.id))
        )
    )


@dataclass
class TeamRow:
    team: Team
    boards: list[Board]  # the boards the user may open: a leader does not see care boards
    archived_boards: list[Board]


@dataclass
class SchoolTeams:
    """What the leader's teams page shows: the teams in use and, apart, the archived ones."""

    school: School
    teams: list[TeamRow]
    archived: list[Team]


def school_teams(session: Session, user: User, school_id: int) -> SchoolTeams:
    school = policy.led_school(session, user, school_id)
    teams = session.exec(
        select(Team).where(col(Team.school_id) == school.id).order_by(col(Team.name), col(Team.id))
    ).all()
    active = [t for t in teams if not t.archived]
    boards = session.exec(
        select(Board)
        .where(col(Board.team_id).in_([t.id for t in active]), policy.boards_clause(user))
        .order_by(col(Board.title), col(Board.id))
    ).all()
    rows = [
        TeamRow(
            team,
            [b for b in boards if b.team_id == team.id and not b.archived],
            [b for b in boards if b.team_id == team.id and b.archived],
        )
        for team in active
    ]
    return SchoolTeams(school, rows, [t for t in teams if t.archived])
