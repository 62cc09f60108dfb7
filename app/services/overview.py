"""The school leader's overview: per team, its actions, stand-ups, goals and help requests.

Only team boards count (never care boards: their content stays on the care board). Every figure
comes from an aggregate query over all teams at once (GROUP BY), so the cost grows with the number
of teams and weeks shown, not with the number of actions a school has ever had.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, or_
from sqlmodel import Session, col, select

from app import clock
from app.errors import NotFound
from app.models import (
    Action,
    ActionStatus,
    Board,
    BoardKind,
    Goal,
    HelpRequest,
    HolidayWeek,
    Measurement,
    Membership,
    Role,
    School,
    StandUp,
    Team,
    User,
    Visit,
)
from app.models.holiday import HolidayWeekCreate
from app.models.overview import AttentionPublic
from app.models.rows import key_column, require_id, select_columns
from app.security.policy import led_school
from app.services import changes
from app.services.deadlines import late_clause, stuck_clause
from app.services.school_time import school_zone

HOLIDAY_WEEK = "holiday_week"  # the entity of the event that tells overviews about it

FINISHED_WEEKS = 12
SESSION_WEEKS = 8
VISIT_MONTHS = 3  # this month and the two before it
ATTENTION_LIMIT = 200


# "upcoming": this week or later, not held yet
DotState = Literal["held", "skipped", "holiday", "upcoming"]


@dataclass
class SessionDot:
    week: str
    monday: date
    state: DotState

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week


@dataclass
class GoalLine:
    goal_id: int
    board_id: int
    title: str
    unit: str
    target: float | None
    latest: float | None
    latest_date: date | None


@dataclass
class WaitingHelp:
    id: int
    board_id: int
    text: str
    version: int
    created_at: datetime


@dataclass
class TeamRow:
    team_id: int
    name: str
    board_id: int | None = None  # the team board a click opens; None when the team has none
    todo: int = 0
    doing: int = 0
    done: int = 0
    overdue: int = 0
    stuck: int = 0
    finished_per_week: list[int] = field(default_factory=list)
    sessions: list[SessionDot] = field(default_factory=list)
    goals: list[GoalLine] = field(default_factory=list)
    help_requests: list[WaitingHelp] = field(default_factory=list)
    # (first day of the month, lesbezoeken held in it), oldest first: a count, nothing more
    visits_held: list[tuple[date, int]] = field(default_factory=list)

    @property
    def sessions_held_8w(self) -> int:
        return sum(1 for dot in self.sessions if dot.state == "held")

    @property
    def sessions_skipped_8w(self) -> int:
        return sum(1 for dot in self.sessions if dot.state == "skipped")

    @property
    def open_help_requests(self) -> int:
        return len(self.help_requests)


@dataclass
class Overview:
    school: School
    today: date
    finished_weeks: list[date]  # the Mondays of the chart's weeks, oldest first
    teams: list[TeamRow]
    attention: list[AttentionPublic]
    holidays: list[HolidayWeek]

    @property
    def week_numbers(self) -> list[int]:
        return [monday.isocalendar().week for monday in self.finished_weeks]


@dataclass
class SchoolTotals:
    school: School
    teams: int
    todo: int
    doing: int
    done: int
    overdue: int
    stuck: int
    sessions_held_8w: int
    sessions_skipped_8w: int
    open_help_requests: int


# --- the queries --------------------------------------------------------------------------------


def _teams(session: Session, school_id: int, team_ids: Collection[int] | None) -> list[Team]:
    query = select(Team).where(Team.school_id == school_id)
    if team_ids is None:
        query = query.where(col(Team.archived_at).is_(None))  # an archived team leaves the lists
    else:
        query = query.where(col(Team.id).in_(list(team_ids)))
    return list(session.exec(query.order_by(col(Team.name), col(Team.id))))


def _team_boards(session: Session, team_ids: list[int]) -> dict[int, int]:
    """board id → team id, for the team boards (kind "team") of these teams."""
    rows = session.exec(
        select(key_column(Board), Board.team_id)
        .where(
            col(Board.team_id).in_(team_ids),
            Board.kind == BoardKind.team,
            col(Board.archived_at).is_(None),
        )
        .order_by(col(Board.id))
    )
    return {board_id: team_id for board_id, team_id in rows}


def _counts(
    session: Session, board_ids: list[int], today: date, tz: ZoneInfo, rows: dict[int, TeamRow]
) -> None:
    late = late_clause(Action, today)
    stale = stuck_clause(Action, today, tz)
    query = (
        select_columns(
            Board.team_id,
            Action.status,
            func.count(),
            func.sum(case((late, 1), else_=0)),
            func.sum(case((stale & ~late, 1), else_=0)),
        )
        .join(Board, col(Board.id) == col(Action.board_id))
        .where(col(Action.board_id).in_(board_ids))
        .group_by(col(Board.team_id), col(Action.status))
    )
    for team_id, status, count, overdue, stuck in session.exec(query):
        row = rows[team_id]
        setattr(row, ActionStatus(status).value, count)
        row.overdue += overdue or 0
        row.stuck += stuck or 0


def _finished(
    session: Session,
    board_ids: list[int],
    weeks: list[date],
    tz: ZoneInfo,
    rows: dict[int, TeamRow],
) -> None:
    # Each week runs from the school's Monday midnight to the next, as instants: a done_at is
    # compared as the moment it was, whatever the database's or the server's time zone.
    starts = [clock.start_of(monday, tz) for monday in weeks]
    end = clock.start_of(weeks[-1] + timedelta(weeks=1), tz)
    done_at = col(Action.done_at)
    week = case(*((done_at >= start, i) for i, start in reversed(list(enumerate(starts)))))
    query = (
        select(Board.team_id, week, func.count())
        .join(Board, col(Board.id) == col(Action.board_id))
        .where(col(Action.board_id).in_(board_ids), done_at >= starts[0], done_at < end)
        .group_by(col(Board.team_id), week)
    )
    for team_id, slot, count in session.exec(query):
        rows[team_id].finished_per_week[slot] += count


def visit_months(today: date) -> list[date]:
    """The first days of the months the overview counts lesbezoeken in, oldest first."""
    months = [today.replace(day=1)]
    for _ in range(VISIT_MONTHS - 1):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def _visits_held(
    session: Session, board_ids: list[int], today: date, rows: dict[int, TeamRow]
) -> None:
    """Lesbezoeken held (their feedback written) per team and month of the visit. Only the
    count: what the two teachers wrote is theirs, never the leader's."""
    months = visit_months(today)
    end = (months[-1] + timedelta(days=31)).replace(day=1)
    on = col(Visit.date)
    month = case(*((on >= start, i) for i, start in reversed(list(enumerate(months)))))
    query = (
        select(Board.team_id, month, func.count())
        .join(Board, col(Board.id) == col(Visit.board_id))
        .where(
            col(Visit.board_id).in_(board_ids),
            col(Visit.feedback_at).is_not(None),
            on >= months[0],
            on < end,
        )
        .group_by(col(Board.team_id), month)
    )
    counts = {(team_id, slot): count for team_id, slot, count in session.exec(query)}
    for team_id, row in rows.items():
        row.visits_held = [(m, counts.get((team_id, i), 0)) for i, m in enumerate(months)]


def _sessions(
    session: Session, school_id: int, board_ids: list[int], today: date, rows: dict[int, TeamRow]
) -> None:
    mondays = [clock.monday(today) - timedelta(weeks=n) for n in range(SESSION_WEEKS - 1, -1, -1)]
    for team_id, dots in session_dots(session, school_id, board_ids, rows, mondays, today).items():
        rows[team_id].sessions = dots


def session_dots(
    session: Session,
    school_id: int,
    board_ids: list[int],
    team_ids: Collection[int],
    mondays: list[date],
    today: date,
) -> dict[int, list[SessionDot]]:
    """Each team's bordsessie in each week (given by its Monday), read from its team boards
    (`board_ids`): held (a stand-up was started that week), a holiday week, still to come (this
    week or later), or skipped. The one rule for "was this week's session held"."""
    weeks = [clock.iso_week(m) for m in mondays]
    held = set(
        session.exec(
            select(Board.team_id, StandUp.week)
            .join(Board, col(Board.id) == col(StandUp.board_id))
            .where(col(StandUp.board_id).in_(board_ids), col(StandUp.week).in_(weeks))
            .group_by(col(Board.team_id), col(StandUp.week))
        )
    )
    holidays = set(
        session.exec(
            select(HolidayWeek.week).where(
                HolidayWeek.school_id == school_id, col(HolidayWeek.week).in_(weeks)
            )
        )
    )
    this_monday = clock.monday(today)

    def state(team_id: int, week: str, monday: date) -> DotState:
        if (team_id, week) in held:
            return "held"
        if week in holidays:
            return "holiday"
        return "upcoming" if monday >= this_monday else "skipped"

    return {
        team_id: [
            SessionDot(week, monday, state(team_id, week, monday))
            for week, monday in zip(weeks, mondays, strict=True)
        ]
        for team_id in team_ids
    }


def _goals(
    session: Session, board_ids: list[int], boards: dict[int, int], rows: dict[int, TeamRow]
) -> None:
    # the newest measurement of each goal: one index seek per goal (ix_measurement_goal_date)
    newest = (
        select(Measurement.id)
        .where(Measurement.goal_id == Goal.id)
        .order_by(col(Measurement.date).desc(), col(Measurement.id).desc())
        .limit(1)
        .correlate(Goal)
        .scalar_subquery()
    )
    query = (
        select_columns(
            Goal.id,
            Goal.board_id,
            Goal.title,
            Goal.unit,
            Goal.target,
            Measurement.value,
            Measurement.date,
        )
        .outerjoin(Measurement, col(Measurement.id) == newest)
        .where(col(Goal.board_id).in_(board_ids))
        .order_by(col(Goal.created_at), col(Goal.id))
    )
    for goal_id, board_id, title, unit, target, value, measured_on in session.exec(query):
        rows[boards[board_id]].goals.append(
            GoalLine(goal_id, board_id, title, unit, target, value, measured_on)
        )


def _waiting_help(
    session: Session, board_ids: list[int], boards: dict[int, int], rows: dict[int, TeamRow]
) -> None:
    query = (
        select(HelpRequest)
        .where(col(HelpRequest.board_id).in_(board_ids), col(HelpRequest.answer).is_(None))
        .order_by(col(HelpRequest.created_at), col(HelpRequest.id))
    )
    for h in session.exec(query):
        rows[boards[h.board_id]].help_requests.append(
            WaitingHelp(require_id(h), h.board_id, h.text, h.version, h.created_at)
        )


def attention(session: Session, school_id: int, today: date, tz: ZoneInfo) -> list[AttentionPublic]:
    """Late actions, then stuck ones (not done, untouched for three weeks), on team boards."""
    late = late_clause(Action, today)
    stale = stuck_clause(Action, today, tz)
    query = (
        select_columns(
            Action.id,
            Action.board_id,
            Team.id,
            Team.name,
            Action.title,
            Action.owner,
            Action.due,
            Action.status,
            late,
        )
        .join(Board, col(Board.id) == col(Action.board_id))
        .join(Team, col(Team.id) == col(Board.team_id))
        .where(
            Team.school_id == school_id,
            Board.kind == BoardKind.team,
            or_(late, stale),
        )
        .order_by(
            case((late, 0), else_=1),
            col(Action.due).is_(None),
            col(Action.due),
            col(Action.updated_at),
            col(Action.id),
        )
        .limit(ATTENTION_LIMIT)
    )
    return [
        AttentionPublic(
            action_id=action_id,
            board_id=board_id,
            team_id=team_id,
            team=team_name,
            title=title,
            owner=owner,
            due=due,
            status=ActionStatus(status),
            late=bool(overdue),
        )
        for action_id, board_id, team_id, team_name, title, owner, due, status, overdue in (
            session.exec(query)
        )
    ]


def team_rows(
    session: Session, school: School, today: date, team_ids: Collection[int] | None = None
) -> list[TeamRow]:
    """The overview's rows for the school's teams (or only those in `team_ids`), by name.
    `today` is the school's (`school_today`)."""
    school_id = require_id(school)
    tz = school_zone(school)
    teams = _teams(session, school_id, team_ids)
    rows = {
        require_id(t): TeamRow(require_id(t), t.name, finished_per_week=[0] * FINISHED_WEEKS)
        for t in teams
    }
    if not rows:
        return []
    boards = _team_boards(session, list(rows))
    for board_id, team_id in boards.items():
        if rows[team_id].board_id is None:
            rows[team_id].board_id = board_id
    board_ids = list(boards)
    if board_ids:
        _counts(session, board_ids, today, tz, rows)
        _finished(session, board_ids, finished_weeks(today), tz, rows)
        _goals(session, board_ids, boards, rows)
        _waiting_help(session, board_ids, boards, rows)
    _visits_held(session, board_ids, today, rows)
    _sessions(session, school_id, board_ids, today, rows)
    return list(rows.values())


def school_today(school: School) -> date:
    return clock.today(school_zone(school))


def finished_weeks(today: date) -> list[date]:
    this_monday = clock.monday(today)
    return [this_monday - timedelta(weeks=n) for n in range(FINISHED_WEEKS - 1, -1, -1)]


# --- what the routers call ----------------------------------------------------------------------


def overview(session: Session, user: User, school_id: int) -> Overview:
    school = led_school(session, user, school_id)
    return load(session, school)


def load(
    session: Session,
    school: School,
    today: date | None = None,
    team_ids: Collection[int] | None = None,
) -> Overview:
    """The overview (only the cards of `team_ids`, if given), without a policy check: the live
    channel checks its screens when they connect."""
    today = today or school_today(school)
    return Overview(
        school=school,
        today=today,
        finished_weeks=finished_weeks(today),
        teams=team_rows(session, school, today, team_ids),
        attention=attention(session, require_id(school), today, school_zone(school)),
        holidays=holidays_of(session, require_id(school)),
    )


def led_schools(session: Session, user: User) -> list[School]:
    """The schools this user leads (every school, for an admin), by name."""
    query = select(School).order_by(col(School.name), col(School.id))
    if not user.is_admin:
        query = query.join(Membership, col(Membership.school_id) == col(School.id)).where(
            Membership.user_id == user.id, Membership.role == Role.leader
        )
    return list(session.exec(query))


def overview_link(session: Session, user: User) -> str | None:
    """Where "Overzicht" in the navigation leads: one school's overview, or the roll-up."""
    schools = led_schools(session, user)
    if not schools:
        return None
    if len(schools) == 1 and not user.is_admin:
        return f"/schools/{schools[0].id}/overview"
    return "/overview"


def rollup(session: Session, user: User) -> list[SchoolTotals]:
    """A bestuur's view: one line per school this user leads."""
    schools = led_schools(session, user)
    if not schools:
        raise NotFound()
    totals = []
    for school in schools:
        rows = team_rows(session, school, school_today(school))
        totals.append(
            SchoolTotals(
                school=school,
                teams=len(rows),
                todo=sum(r.todo for r in rows),
                doing=sum(r.doing for r in rows),
                done=sum(r.done for r in rows),
                overdue=sum(r.overdue for r in rows),
                stuck=sum(r.stuck for r in rows),
                sessions_held_8w=sum(r.sessions_held_8w for r in rows),
                sessions_skipped_8w=sum(r.sessions_skipped_8w for r in rows),
                open_help_requests=sum(r.open_help_requests for r in rows),
            )
        )
    return totals


# --- holiday weeks ------------------------------------------------------------------------------


def holidays_of(session: Session, school_id: int) -> list[HolidayWeek]:
    return list(
        session.exec(
            select(HolidayWeek)
            .where(HolidayWeek.school_id == school_id)
            .order_by(col(HolidayWeek.week).desc())
        )
    )


def list_holidays(session: Session, user: User, school_id: int) -> list[HolidayWeek]:
    led_school(session, user, school_id)
    return holidays_of(session, school_id)


def mark_holiday(
    session: Session, user: User, school_id: int, data: HolidayWeekCreate
) -> HolidayWeek:
    """Mark a week as a holiday week; marking it again changes its label."""
    led_school(session, user, school_id)
    row = session.exec(
        select(HolidayWeek).where(HolidayWeek.school_id == school_id, HolidayWeek.week == data.week)
    ).first()
    if row is None:
        row = HolidayWeek(school_id=school_id, week=data.week, label=data.label)
    else:
        row.label = data.label
    session.add(row)
    session.flush()
    _announce_holiday(session, user, school_id, "marked")
    return row


def _announce_holiday(session: Session, user: User, school_id: int, kind: str) -> None:
    """A holiday week changes every team's session dots: one event on each team board, so the
    school's open overviews follow on every instance, the way every change travels."""
    boards = session.exec(
        select(Board)
        .join(Team, col(Team.id) == Board.team_id)
        .where(
            Team.school_id == school_id,
            Board.kind == BoardKind.team,
            col(Board.archived_at).is_(None),  # read-only, and out of the overview
        )
        .order_by(col(Board.id))
    ).all()
    for board in boards:
        changes.begin(session, board)
        changes.record(session, board, user, kind, HOLIDAY_WEEK, None, ())


def unmark_holiday(session: Session, user: User, school_id: int, week: str) -> None:
    led_school(session, user, school_id)
    row = session.exec(
        select(HolidayWeek).where(HolidayWeek.school_id == school_id, HolidayWeek.week == week)
    ).first()
    if row is None:
        raise NotFound()
    session.delete(row)
    session.flush()
    _announce_holiday(session, user, school_id, "unmarked")
