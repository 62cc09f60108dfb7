"""Reading a whole board: one query per section, shared by the page, the API and the pushes.

The board is what the team is working on: archived items are left out here (they are in the
board's archive), deleted ones everywhere (models/item.py)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app import clock
from app.models import (
    Action,
    ActionStatus,
    Board,
    Goal,
    HelpRequest,
    Idea,
    LessonDesign,
    Measurement,
    PlanItem,
    Success,
    User,
    Visit,
)
from app.models.action import ActionPublic
from app.models.goal import GoalPublic, MeasurementPublic
from app.models.item import BoardItem
from app.models.rows import require_id, select_columns
from app.models.standup import StandUp
from app.services import goal_progress, school_time
from app.services.deadlines import is_late
from app.services.goal_progress import Chart, MonthValue, Progress

Item = TypeVar("Item", bound=BoardItem)


@dataclass
class GoalView:
    goal: Goal
    today: date  # the school's: how far the goal should be by now
    measurements: list[Measurement] = field(default_factory=list)
    celebrated: bool = False  # a success on the board names this goal
    team_goal: str | None = None  # a class goal: the title of the team goal it serves

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def progress(self) -> Progress | None:
        return goal_progress.progress(self.goal, self.measurements, self.today)

    @property
    def chart(self) -> Chart | None:
        return goal_progress.chart(self.goal, self.measurements)

    def by_month(self, months: list[date]) -> list[MonthValue]:
        """A leadership board's dashboard of the goal (board_sections names the months)."""
        return goal_progress.by_month(self.goal, self.measurements, months)


@dataclass(frozen=True)
class PlannedVisit:
    """A lesbezoek as the board's planning shows it: who visits whom and when, whether it was
    held (the feedback is written), and nothing the two teachers wrote."""

    id: int
    date: date
    visitor: str
    visited: str
    held: bool


@dataclass(frozen=True)
class PlannedDesign:
    """A gezamenlijk lesontwerp on the planning: its title, the day it is given, and whether
    the team evaluated it."""

    id: int
    date: date
    design_title: str
    evaluated: bool


@dataclass
class BoardView:
    board: Board
    columns: dict[ActionStatus, list[Action]]
    goals: list[GoalView]
    successes: list[Success]
    plan_items: list[PlanItem]
    ideas: list[Idea]
    help_requests: list[HelpRequest]
    today: date
    # This week's stand-up (for the "Acties van vorige week" strip) and, when the session panel
    # is rendered, everything it shows (services/standups.py SessionView).
    stand_up: StandUp | None = None
    session: Any = None
    visits: list[PlannedVisit] = field(default_factory=list)
    lesson_designs: list[PlannedDesign] = field(default_factory=list)

    @property
    def planning(self) -> list[PlanItem | PlannedVisit | PlannedDesign]:
        """The plan items, the visits and the lesson designs, by date."""
        lines: list[PlanItem | PlannedVisit | PlannedDesign] = [
            *self.plan_items,
            *self.visits,
            *self.lesson_designs,
        ]
        return sorted(lines, key=lambda item: item.date)

    @property
    def in_session(self) -> bool:
        return self.stand_up is not None and self.stand_up.ended_at is None

    @property
    def carried_over(self) -> list[Action]:
        """Actions due by the end of this week and not done: discussed first in the session."""
        sunday = clock.sunday(self.today)
        due = [a for a in self.actions if a.due and a.due <= sunday]
        return sorted(
            (a for a in due if a.status != ActionStatus.done), key=lambda a: (a.due, a.id)
        )

    @property
    def actions(self) -> list[Action]:
        return [a for status in ActionStatus for a in self.columns[status]]


def action_columns(session: Session, board_id: int) -> dict[ActionStatus, list[Action]]:
    columns: dict[ActionStatus, list[Action]] = {s: [] for s in ActionStatus}
    rows = session.exec(
        select(Action)
        .where(Action.board_id == board_id, col(Action.archived_at).is_(None))
        .order_by(Action.status, Action.rank)
    )
    for action in rows:
        columns[action.status].append(action)
    return columns


def goal_views(session: Session, board_id: int, today: date) -> list[GoalView]:
    goals = session.exec(
        select(Goal)
        .where(col(Goal.board_id) == board_id, col(Goal.archived_at).is_(None))
        .order_by(col(Goal.created_at), col(Goal.id))
    ).all()
    views = {g.id: GoalView(g, today) for g in goals}
    if views:
        for m in session.exec(
            select(Measurement)
            .where(col(Measurement.goal_id).in_(list(views)))
            .order_by(col(Measurement.date), col(Measurement.id))
        ):
            views[m.goal_id].measurements.append(m)
    return list(views.values())


def plan_items(session: Session, board_id: int) -> list[PlanItem]:
    return list(
        session.exec(
            select(PlanItem)
            .where(PlanItem.board_id == board_id, col(PlanItem.archived_at).is_(None))
            .order_by(col(PlanItem.date), col(PlanItem.id))
        )
    )


def planned_visits(session: Session, board_id: int) -> list[PlannedVisit]:
    """The board's visits for its planning, by date: read column by column, so that the
    kijkvraag and the feedback never enter what a board page, a screen or a push renders."""
    visitor, visited = aliased(User), aliased(User)
    rows = session.exec(
        select_columns(
            col(Visit.id),
            col(Visit.date),
            col(visitor.name),
            col(visited.name),
            col(Visit.feedback_at).is_not(None),
        )
        .join(visitor, col(visitor.id) == col(Visit.visitor_id))
        .join(visited, col(visited.id) == col(Visit.visited_id))
        .where(Visit.board_id == board_id)
        .order_by(col(Visit.date), col(Visit.id))
    )
    return [PlannedVisit(*row) for row in rows]


def planned_designs(session: Session, board_id: int) -> list[PlannedDesign]:
    """The board's lesson designs that have a day, for its planning."""
    rows = session.exec(
        select_columns(
            col(LessonDesign.id),
            col(LessonDesign.date),
            col(LessonDesign.title),
            col(LessonDesign.evaluated_at).is_not(None),
        )
        .where(
            LessonDesign.board_id == board_id,
            col(LessonDesign.date).is_not(None),
            col(LessonDesign.archived_at).is_(None),
        )
        .order_by(col(LessonDesign.date), col(LessonDesign.id))
    )
    return [PlannedDesign(*row) for row in rows]


def _newest_first(session: Session, model: type[Item], board_id: int) -> list[Item]:
    return list(
        session.exec(
            select(model)
            .where(model.board_id == board_id, col(model.archived_at).is_(None))
            .order_by(col(model.id).desc())
        )
    )


def _team_goal_titles(session: Session, goals: list[GoalView]) -> dict[int, str]:
    """The titles of the team goals the class goals name (a deleted one is left out)."""
    ids = [gv.goal.team_goal_id for gv in goals if gv.goal.team_goal_id is not None]
    if not ids:
        return {}
    rows = session.exec(select(Goal.id, Goal.title).where(col(Goal.id).in_(ids)))
    return {goal_id: title for goal_id, title in rows if goal_id is not None}


def _celebrated(session: Session, board_id: int) -> set[int]:
    """The goals a success names, also an archived one: a goal is celebrated once."""
    return {
        goal_id
        for goal_id in session.exec(
            select(Success.goal_id).where(
                Success.board_id == board_id, col(Success.goal_id).is_not(None)
            )
        )
        if goal_id is not None
    }


def this_weeks_stand_up(session: Session, board_id: int, on: date) -> StandUp | None:
    year, week, _ = on.isocalendar()
    return session.exec(
        select(StandUp).where(StandUp.board_id == board_id, StandUp.week == f"{year}-W{week:02d}")
    ).first()


# What each section of the board page reads (the actions show their goal's title, a goal whether
# a success names it, a success its goal's title): a push of one section loads only that.
SECTION_PARTS: dict[str, frozenset[str]] = {
    "session": frozenset({"stand_up"}),
    "actions": frozenset({"columns", "goals", "stand_up"}),
    "goals": frozenset({"goals", "successes"}),
    "successes": frozenset({"successes", "goals"}),
    "plan": frozenset({"plan_items", "visits", "lesson_designs"}),
    "ideas": frozenset({"ideas"}),
    "help": frozenset({"help_requests"}),
    "heading": frozenset(),  # the title and the archived banner: the board row itself
}


def load_board(
    session: Session,
    board: Board,
    sections: Iterable[str] | None = None,
    *,
    with_session: bool = False,
    today: date | None = None,
) -> BoardView:
    """The whole board, or only what the named sections show (the others stay empty).

    The session panel's contents are read when the "session" section is named or
    `with_session` is set (the board page). `today` is the board's school's (read when not
    given)."""
    parts = None if sections is None else frozenset().union(*(SECTION_PARTS[s] for s in sections))
    with_session = with_session or (sections is not None and "session" in sections)

    def wanted(part: str) -> bool:
        return parts is None or part in parts

    on = today or school_time.board_today(session, board)
    successes = _newest_first(session, Success, require_id(board)) if wanted("successes") else []
    goals = goal_views(session, require_id(board), on) if wanted("goals") else []
    celebrated = _celebrated(session, require_id(board)) if goals else set()
    team_goals = _team_goal_titles(session, goals)
    for gv in goals:
        gv.celebrated = gv.goal.id in celebrated
        gv.team_goal = team_goals.get(gv.goal.team_goal_id or 0)
    view = BoardView(
        board=board,
        columns=action_columns(session, require_id(board))
        if wanted("columns")
        else {s: [] for s in ActionStatus},
        goals=goals,
        successes=successes,
        plan_items=plan_items(session, require_id(board)) if wanted("plan_items") else [],
        ideas=_newest_first(session, Idea, require_id(board)) if wanted("ideas") else [],
        help_requests=_newest_first(session, HelpRequest, require_id(board))
        if wanted("help_requests")
        else [],
        visits=planned_visits(session, require_id(board)) if wanted("visits") else [],
        lesson_designs=planned_designs(session, require_id(board))
        if wanted("lesson_designs")
        else [],
        today=on,
        stand_up=this_weeks_stand_up(session, require_id(board), on)
        if wanted("stand_up")
        else None,
    )
    if with_session:
        from app.services.standups import session_view  # standups reads boards too

        view.session = session_view(session, board, view.stand_up, on)
    return view


def week_ahead(items: list[Any], on: date) -> list[Any]:
    """Plan items (and visits) from the start of this ISO week on."""
    monday = on - timedelta(days=on.weekday())
    return [i for i in items if i.date >= monday]


def action_public(action: Action, position: int, today: date) -> ActionPublic:
    return ActionPublic.model_validate(
        {**action.model_dump(), "position": position, "late": is_late(action, today)}
    )


def measurement_public(m: Measurement) -> MeasurementPublic:
    return MeasurementPublic.model_validate(m.model_dump())


def goal_public(view: GoalView) -> GoalPublic:
    return GoalPublic.model_validate(
        {
            **view.goal.model_dump(),
            "latest": measurement_public(view.latest) if view.latest else None,
            "measurements": [measurement_public(m) for m in view.measurements],
        }
    )


def goal_view(session: Session, goal: Goal, today: date) -> GoalView:
    """One goal with its measurements, oldest first."""
    measurements = session.exec(
        select(Measurement)
        .where(Measurement.goal_id == goal.id)
        .order_by(col(Measurement.date), col(Measurement.id))
    ).all()
    return GoalView(goal, today, list(measurements))
