"""Reading a whole board, shared by the page, the API and the pushes: each kind of item as its
registry entry reads it (services/item_kinds.py, services/item_reads.py), and the parts of the
board that are not items (this week's stand-up, the visits and lesson designs on the planning).

The board is what the team is working on: archived items are left out here (they are in the
board's archive), deleted ones everywhere (models/item.py)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app import clock
from app.models import Action, ActionStatus, Board, LessonDesign, PlanItem, User, Visit
from app.models.rows import require_id, select_columns
from app.models.standup import StandUp
from app.services import school_time
from app.services.deadlines import is_carried_over
from app.services.item_kinds import ACTION, GOAL, HEADING, KINDS, PLAN_ITEM, SESSION
from app.services.item_reads import GoalView


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


def this_weeks_stand_up(session: Session, board_id: int, on: date) -> StandUp | None:
    return session.exec(
        select(StandUp).where(StandUp.board_id == board_id, StandUp.week == clock.iso_week(on))
    ).first()


def _no_items() -> dict[str, list[Any]]:
    return {kind.key: [] for kind in KINDS}


@dataclass
class BoardView:
    board: Board
    today: date
    # Each kind's list by its key (item_kinds.ItemKind.key) as its section shows it: the goals
    # as GoalViews, the actions column by column. A section not read has an empty list.
    items: dict[str, list[Any]] = field(default_factory=_no_items)
    # This week's stand-up (for the "Acties van vorige week" strip) and, when the session panel
    # is rendered, everything it shows (services/standups.py SessionView).
    stand_up: StandUp | None = None
    session: Any = None
    visits: list[PlannedVisit] = field(default_factory=list)
    lesson_designs: list[PlannedDesign] = field(default_factory=list)

    @property
    def goals(self) -> list[GoalView]:
        """The goals: the actions and the successes show their titles, the forms offer them."""
        return self.items[GOAL.key]

    @property
    def actions(self) -> list[Action]:
        return self.items[ACTION.key]

    @cached_property
    def columns(self) -> dict[ActionStatus, list[Action]]:
        columns: dict[ActionStatus, list[Action]] = {s: [] for s in ActionStatus}
        for action in self.actions:
            columns[action.status].append(action)
        return columns

    @property
    def planning(self) -> list[PlanItem | PlannedVisit | PlannedDesign]:
        """The plan items, the visits and the lesson designs, by date."""
        lines: list[PlanItem | PlannedVisit | PlannedDesign] = [
            *self.items[PLAN_ITEM.key],
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
        due = [a for a in self.actions if is_carried_over(a, self.today)]
        return sorted(due, key=lambda a: (a.due, a.id))


# The parts of a board that are not a kind's list, read only when a section shows them.
STAND_UP, VISITS, LESSON_DESIGNS = "stand_up", "visits", "lesson_designs"
PARTS = frozenset({STAND_UP, VISITS, LESSON_DESIGNS, *(kind.key for kind in KINDS)})
# What each section of the board page reads: a push of one section loads only that.
SECTION_PARTS: dict[str, frozenset[str]] = {
    HEADING: frozenset(),  # the title and the archived banner: the board row itself
    SESSION: frozenset({STAND_UP}),
    **{kind.section: frozenset({kind.key, *kind.shows}) for kind in KINDS},
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
    parts = PARTS if sections is None else frozenset().union(*(SECTION_PARTS[s] for s in sections))
    with_session = with_session or (sections is not None and SESSION in sections)
    board_id = require_id(board)
    on = today or school_time.board_today(session, board)
    view = BoardView(
        board=board,
        today=on,
        items={
            kind.key: kind.board_items(session, board_id, on) if kind.key in parts else []
            for kind in KINDS
        },
        stand_up=this_weeks_stand_up(session, board_id, on) if STAND_UP in parts else None,
        visits=planned_visits(session, board_id) if VISITS in parts else [],
        lesson_designs=planned_designs(session, board_id) if LESSON_DESIGNS in parts else [],
    )
    if with_session:
        from app.services.standups import session_view  # standups reads boards too

        view.session = session_view(session, board, view.stand_up, on)
    return view


def week_ahead(items: list[Any], on: date) -> list[Any]:
    """Plan items (and visits) from the start of this ISO week on."""
    monday = on - timedelta(days=on.weekday())
    return [i for i in items if i.date >= monday]
