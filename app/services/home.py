"""The start page: my actions across my boards, my teams' bordsessies, the answers to my help
requests and, for a leader, the teams that need attention.

Each part is one or two queries whatever the number of boards (per school, for the parts that
depend on a school's calendar); every rule comes from where it is defined: late and this week
from services/deadlines.py, held sessions from services/overview.py (`session_dots`), a team's
figures from the overview's `team_rows`, reach from security/policy.py (`boards_clause`: a care
board's items only for its members).

Whose action: an action's owner is a name typed on the card (`Action.owner`), not a user. It is
mine when it reads as my full name or my first name, ignoring case and surrounding spaces (the
board's "Wie" field is usually a first name). Two colleagues with the same first name on one
board both see the action: better asked twice than forgotten.

Whose help request: a help request has no author column; who asked it is the actor of its
"created" event in the board's history (`BoardEvent`).
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Literal

from sqlalchemy import and_, func, literal
from sqlmodel import Session, col, select

from app import clock
from app.models import (
    Action,
    ActionStatus,
    Board,
    BoardEvent,
    BoardKind,
    HelpRequest,
    Membership,
    Role,
    School,
    Team,
    TeamMember,
    User,
)
from app.models.home import (
    AnsweredHelpPublic,
    HomePublic,
    MyActionPublic,
    TeamAttentionPublic,
    TeamSessionsPublic,
)
from app.models.rows import require_id
from app.security.policy import boards_clause
from app.services import overview, schools
from app.services.deadlines import is_due_this_week, is_late
from app.services.school_time import school_zone

ACTIONS_LIMIT = 100
ANSWERS_LIMIT = 10
LOOK_AHEAD_WEEKS = 6  # how far to look past holiday weeks for a team's next bordsessie


@dataclass
class MyAction:
    id: int
    board_id: int
    board: str
    team: str
    title: str
    due: date | None
    status: ActionStatus
    group: str  # "late" | "week" (due this week) | "later" (later, or no date)

    @property
    def url(self) -> str:
        return f"/boards/{self.board_id}#action-{self.id}"


@dataclass
class TeamSessions:
    team_id: int
    team: str
    board_id: int | None  # the team board, where the session is held
    this_week: Literal["held", "holiday", "upcoming"]  # "upcoming": not held yet
    next_monday: date | None  # the week of the next bordsessie; None: none planned soon


@dataclass
class AnsweredHelp:
    id: int
    board_id: int
    board: str
    text: str
    answer: str
    answered_at: datetime | None

    @property
    def url(self) -> str:
        return f"/boards/{self.board_id}#help-{self.id}"


@dataclass
class TeamAttention:
    row: overview.TeamRow
    skipped_last_week: bool

    @property
    def needs_attention(self) -> bool:
        r = self.row
        return bool(r.overdue or r.stuck or r.open_help_requests or self.skipped_last_week)


@dataclass
class SchoolAttention:
    school: School
    teams: list[TeamAttention] = field(default_factory=list)


@dataclass
class Home:
    listing: list
    actions: list[MyAction]
    sessions: list[TeamSessions]
    answers: list[AnsweredHelp]
    attention: list[SchoolAttention]

    @property
    def action_groups(self) -> list[tuple[str, list[MyAction]]]:
        return [(g, list(items)) for g, items in groupby(self.actions, key=lambda a: a.group)]


GROUP_ORDER = {"late": 0, "week": 1, "later": 2}


def my_actions(session: Session, user: User) -> list[MyAction]:
    """My open actions on every board I may open: late first, then due this week, then later
    or without a date; by due date within each."""
    full = user.name.strip()
    if not full:  # an owner left empty is nobody's
        return []
    names = [func.lower(literal(full))]
    if " " in full:
        names.append(func.lower(literal(full.split()[0])))
    rows = session.exec(
        select(Action, Board.title, Team.name, School.time_zone)
        .join(Board, col(Board.id) == col(Action.board_id))
        .join(Team, col(Team.id) == col(Board.team_id))
        .join(School, col(School.id) == col(Team.school_id))
        .where(
            boards_clause(user),
            col(Action.status) != ActionStatus.done,
            func.lower(func.trim(Action.owner)).in_(names),
        )
        .order_by(col(Action.due).is_(None), col(Action.due), col(Action.id))
        .limit(ACTIONS_LIMIT)
    ).all()
    mine = []
    for action, board, team, zone in rows:
        today = clock.today(clock.zone(zone))
        if is_late(action, today):
            group = "late"
        elif is_due_this_week(action, today):
            group = "week"
        else:
            group = "later"
        mine.append(
            MyAction(
                require_id(action),
                action.board_id,
                board,
                team,
                action.title,
                action.due,
                action.status,
                group,
            )
        )
    mine.sort(key=lambda a: GROUP_ORDER[a.group])  # stable: by due date within a group
    return mine


def my_team_sessions(session: Session, user: User) -> list[TeamSessions]:
    """For each of my teams: whether this week's bordsessie was held (on any of its team
    boards, as the overview counts), and when the next one is (this week while it has not been
    held, else the first later week that is no holiday week)."""
    rows = session.exec(
        select(Team, School, Board.id)
        .join(TeamMember, col(TeamMember.team_id) == col(Team.id))
        .join(School, col(School.id) == col(Team.school_id))
        .outerjoin(
            Board, and_(col(Board.team_id) == col(Team.id), col(Board.kind) == BoardKind.team)
        )
        .where(TeamMember.user_id == user.id)
        .order_by(col(School.name), col(Team.name), col(Team.id), col(Board.id))
    ).all()
    schools: dict[int, School] = {}
    teams: dict[int, dict[int, tuple[Team, list[int]]]] = defaultdict(dict)  # school → team
    for team, school, board_id in rows:
        schools[require_id(school)] = school
        _team, boards = teams[require_id(school)].setdefault(require_id(team), (team, []))
        if board_id is not None:
            boards.append(board_id)
    result = []
    for school_id, school_teams in teams.items():
        today = clock.today(school_zone(schools[school_id]))
        mondays = [clock.monday(today) + timedelta(weeks=n) for n in range(LOOK_AHEAD_WEEKS)]
        board_ids = [b for _team, boards in school_teams.values() for b in boards]
        dots = overview.session_dots(session, school_id, board_ids, school_teams, mondays, today)
        for team_id, (team, boards) in school_teams.items():
            this_week, *later = dots[team_id]
            if this_week.state == "skipped":
                raise RuntimeError("only a past week can have been skipped")
            coming = [dot for dot in (this_week, *later) if dot.state == "upcoming"]
            next_monday = coming[0].monday if coming and boards else None
            result.append(
                TeamSessions(
                    team_id, team.name, boards[0] if boards else None, this_week.state, next_monday
                )
            )
    return result


def answered_help(session: Session, user: User) -> list[AnsweredHelp]:
    """Help requests I asked that have been answered, the newest answer first."""
    asked = and_(
        col(BoardEvent.board_id) == col(HelpRequest.board_id),
        col(BoardEvent.entity) == "help_request",
        col(BoardEvent.entity_id) == col(HelpRequest.id),
        col(BoardEvent.kind) == "created",
    )
    rows = session.exec(
        select(HelpRequest, Board.title)
        .join(Board, col(Board.id) == col(HelpRequest.board_id))
        .join(BoardEvent, asked)
        .where(
            BoardEvent.actor_id == user.id,
            col(HelpRequest.answer).is_not(None),
            boards_clause(user),
        )
        .order_by(col(HelpRequest.answered_at).desc(), col(HelpRequest.id).desc())
        .limit(ANSWERS_LIMIT)
    ).all()
    return [
        AnsweredHelp(require_id(h), h.board_id, title, h.text, h.answer or "", h.answered_at)
        for h, title in rows
    ]


def teams_needing_attention(session: Session, user: User) -> list[SchoolAttention]:
    """For each school I lead: the teams with late or stuck actions, help requests waiting for
    an answer, or no bordsessie last week (by the overview's figures)."""
    led = session.exec(
        select(School)
        .join(Membership, col(Membership.school_id) == col(School.id))
        .where(Membership.user_id == user.id, Membership.role == Role.leader)
        .order_by(col(School.name), col(School.id))
    ).all()
    result = []
    for school in led:
        today = overview.school_today(school)
        teams = []
        for row in overview.team_rows(session, school, today):
            last_week = row.sessions[-2].state if len(row.sessions) > 1 else None
            item = TeamAttention(row, row.board_id is not None and last_week == "skipped")
            if item.needs_attention:
                teams.append(item)
        result.append(SchoolAttention(school, teams))
    return result


def public(session: Session, user: User) -> HomePublic:
    """The start page without the listing of boards, for `GET /api/v1/me/home`."""
    return HomePublic(
        actions=[MyActionPublic.model_validate(asdict(a)) for a in my_actions(session, user)],
        sessions=[
            TeamSessionsPublic(
                team_id=t.team_id,
                team=t.team,
                board_id=t.board_id,
                this_week=t.this_week,
                next_week=t.next_monday,
            )
            for t in my_team_sessions(session, user)
        ],
        answers=[
            AnsweredHelpPublic.model_validate(asdict(h)) for h in answered_help(session, user)
        ],
        attention=[
            TeamAttentionPublic(
                school_id=require_id(s.school),
                team_id=t.row.team_id,
                team=t.row.name,
                board_id=t.row.board_id,
                overdue=t.row.overdue,
                stuck=t.row.stuck,
                open_help_requests=t.row.open_help_requests,
                skipped_last_week=t.skipped_last_week,
            )
            for s in teams_needing_attention(session, user)
            for t in s.teams
        ],
    )


def home(session: Session, user: User) -> Home:
    return Home(
        listing=schools.home_listing(session, user),
        actions=my_actions(session, user),
        sessions=my_team_sessions(session, user),
        answers=answered_help(session, user),
        attention=teams_needing_attention(session, user),
    )
