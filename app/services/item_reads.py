"""How a board reads each kind of item, and writes it in the board's JSON: the functions the
registry names (services/item_kinds.py), which board_view puts together into a whole board.

One query per kind (a goal's measurements, celebrations and team goals one more each); archived
items are left out here (they are in the board's archive), deleted ones everywhere
(models/item.py)."""

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import groupby
from typing import TypeVar

from sqlalchemy import bindparam
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Action, ActionStatus, Goal, Measurement, PlanItem, Success
from app.models.action import ActionPublic
from app.models.goal import GoalPublic, MeasurementPublic
from app.models.item import BoardItem
from app.services import goal_progress
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


def newest_first(session: Session, model: type[Item], board_id: int) -> list[Item]:
    """A kind's items as a board lists them unless its entry says otherwise."""
    return list(session.exec(_newest_first(model), params={"board_id": board_id}))


@cache
def _newest_first(model: type[Item]) -> SelectOfScalar[Item]:
    return (
        select(model)
        .where(col(model.board_id) == bindparam("board_id"), col(model.archived_at).is_(None))
        .order_by(col(model.id).desc())
    )


# The reads of every push of these sections, built once (models/item.hide_deleted caches its
# criteria per statement, so a constant statement keeps its compiled form).
_ACTIONS = (
    select(Action)
    .where(col(Action.board_id) == bindparam("board_id"), col(Action.archived_at).is_(None))
    .order_by(col(Action.status), col(Action.rank))
)
_GOALS = (
    select(Goal)
    .where(col(Goal.board_id) == bindparam("board_id"), col(Goal.archived_at).is_(None))
    .order_by(col(Goal.created_at), col(Goal.id))
)


def actions(session: Session, board_id: int, today: date) -> list[Action]:
    """The actions column by column (todo, doing, done), each column in its order."""
    columns: dict[ActionStatus, list[Action]] = {s: [] for s in ActionStatus}
    rows = session.exec(_ACTIONS, params={"board_id": board_id})
    for action in rows:
        columns[action.status].append(action)
    return [action for column in columns.values() for action in column]


def goal_views(session: Session, board_id: int, today: date) -> list[GoalView]:
    goals = session.exec(_GOALS, params={"board_id": board_id}).all()
    views = {g.id: GoalView(g, today) for g in goals}
    if views:
        for m in session.exec(
            select(Measurement)
            .where(col(Measurement.goal_id).in_(list(views)))
            .order_by(col(Measurement.date), col(Measurement.id))
        ):
            views[m.goal_id].measurements.append(m)
    return list(views.values())


def goals(session: Session, board_id: int, today: date) -> list[GoalView]:
    """The goals as their cards show them: with whether they were celebrated and, on a class
    board, the title of the team goal each serves."""
    views = goal_views(session, board_id, today)
    if not views:
        return views
    celebrated = _celebrated(session, board_id)
    team_goals = _team_goal_titles(session, views)
    for gv in views:
        gv.celebrated = gv.goal.id in celebrated
        gv.team_goal = team_goals.get(gv.goal.team_goal_id or 0)
    return views


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


def plan_items(session: Session, board_id: int, today: date) -> list[PlanItem]:
    return list(
        session.exec(
            select(PlanItem)
            .where(PlanItem.board_id == board_id, col(PlanItem.archived_at).is_(None))
            .order_by(col(PlanItem.date), col(PlanItem.id))
        )
    )


def goal_view(session: Session, goal: Goal, today: date) -> GoalView:
    """One goal with its measurements, oldest first."""
    measurements = session.exec(
        select(Measurement)
        .where(Measurement.goal_id == goal.id)
        .order_by(col(Measurement.date), col(Measurement.id))
    ).all()
    return GoalView(goal, today, list(measurements))


def action_public(action: Action, position: int, today: date) -> ActionPublic:
    return ActionPublic.model_validate(
        {**action.model_dump(), "position": position, "late": is_late(action, today)}
    )


def actions_public(in_columns: list[Action], today: date) -> list[SQLModel]:
    """Actions in column order; `position` is the index within the column."""
    return [
        action_public(action, position, today)
        for _, column in groupby(in_columns, key=lambda a: a.status)
        for position, action in enumerate(column)
    ]


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


def goals_public(goals: list[GoalView], today: date) -> list[SQLModel]:
    return [goal_public(gv) for gv in goals]
