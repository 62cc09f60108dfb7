"""Lesbezoek + feedbackgesprek: planning a visit, the visitor's feedback, the visited teacher's
reflection, and a lesson learned shared to the board as a success.

A visit is read only by its two teachers: to anyone else (a colleague on the same board, the
school's leader, an admin) it does not exist. The board's planning shows who visits whom and when
(board_view.planned_visits), read column by column so that the kijkvraag and the feedback never
enter what the board page, a display screen or a push renders. A board event names the visit and
what happened ("planned", "feedback", "reflected", "deleted"), never what was written.
"""

import datetime
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app import clock
from app.errors import Conflict, Invalid, NotFound
from app.models import (
    Action,
    ActionStatus,
    Board,
    BoardKind,
    Goal,
    School,
    Success,
    Team,
    TeamMember,
    User,
)
from app.models.notes import SuccessCreate
from app.models.rows import require_id, select_columns
from app.models.visit import (
    FeedbackCreate,
    FeedbackPublic,
    ReflectionCreate,
    Visit,
    VisitCreate,
    VisitPublic,
    VisitShare,
)
from app.security.policy import boards_clause, visible_board
from app.services import changes, item_kinds, items

ENTITY = "visit"
SECTIONS = ("plan",)  # the planning shows the visit (and whether it was held)


@dataclass(frozen=True)
class MyVisit:
    """A visit on the "Mijn lesbezoeken" page of one of its teachers."""

    id: int
    board_id: int
    board: str
    date: date
    group: str
    visiting: bool  # the reader visits (else: is visited)
    other: str  # the other teacher's name
    held: bool
    reflected: bool
    today: datetime.date  # the board's school's

    @property
    def upcoming(self) -> bool:
        return self.date >= self.today and not self.held and not self.feedback_due

    @property
    def feedback_due(self) -> bool:
        """The reader visited and still owes the feedback."""
        return self.visiting and not self.held and self.date <= self.today


# --- reading ------------------------------------------------------------------------------------


def get_visit(session: Session, user: User, visit_id: int) -> tuple[Visit, Board]:
    """The visit, for one of its two teachers on a board they still open; NotFound otherwise."""
    visit = session.get(Visit, visit_id)
    if visit is None or user.id not in (visit.visitor_id, visit.visited_id):
        raise NotFound()
    return visit, visible_board(session, user, visit.board_id)


def visit_public(session: Session, visit: Visit) -> VisitPublic:
    visitor, visited = session.get(User, visit.visitor_id), session.get(User, visit.visited_id)
    feedback = None
    if visit.feedback_at is not None:
        feedback = FeedbackPublic(
            seen=visit.seen or "",
            effect=visit.effect or "",
            tip=visit.tip or "",
            top=visit.top or "",
            written_at=visit.feedback_at,
        )
    return VisitPublic.model_validate(
        {
            **visit.model_dump(),
            "visitor": visitor.name if visitor else "",
            "visited": visited.name if visited else "",
            "feedback": feedback,
        }
    )


def my_visits(session: Session, user: User) -> list[MyVisit]:
    """The visits the user makes and receives, on boards they still open, by date."""
    other = aliased(User)
    visiting = col(Visit.visitor_id) == user.id
    rows = session.exec(
        select_columns(
            col(Visit.id),
            col(Visit.board_id),
            col(Board.title),
            col(Visit.date),
            col(Visit.group),
            visiting,
            col(other.name),
            col(Visit.feedback_at).is_not(None),
            col(Visit.reflected_at).is_not(None),
            col(School.time_zone),
        )
        .join(Board, col(Board.id) == col(Visit.board_id))
        .join(Team, col(Team.id) == col(Board.team_id))
        .join(School, col(School.id) == col(Team.school_id))
        .join(
            other,
            or_(
                and_(visiting, col(other.id) == col(Visit.visited_id)),
                and_(~visiting, col(other.id) == col(Visit.visitor_id)),
            ),
        )
        .where(
            or_(visiting, col(Visit.visited_id) == user.id),
            boards_clause(user),
            col(Board.kind) != BoardKind.care,
        )
        .order_by(col(Visit.date), col(Visit.id))
    )
    return [
        MyVisit(id_, board_id, board, on, group, visiting, other, held, reflected, today=today)
        for id_, board_id, board, on, group, visiting, other, held, reflected, tz in rows
        for today in [clock.today(clock.zone(tz))]
    ]


# --- changing -----------------------------------------------------------------------------------


def _team_member(session: Session, team_id: int, user_id: int) -> bool:
    return (
        session.exec(
            select(TeamMember.id).where(
                TeamMember.team_id == team_id, TeamMember.user_id == user_id
            )
        ).first()
        is not None
    )


def _check_reference(
    session: Session, board: Board, field: str, model: type[Goal] | type[Action], ref: int | None
) -> None:
    if ref is not None:
        row = session.get(model, ref)
        if row is None or row.board_id != board.id:
            raise Invalid(field, "unknown item on this board", "unknown_item")


def plan_visit(session: Session, user: User, board_id: int, data: VisitCreate) -> Visit:
    """Two members of the board's team, one of them the planner: the kijkvraag is theirs."""
    board = visible_board(session, user, board_id)
    if board.kind == BoardKind.care:
        raise NotFound()  # a care board has no planning of lesson visits
    changes.begin(session, board)
    for field in ("visitor_id", "visited_id"):
        if not _team_member(session, board.team_id, getattr(data, field)):
            raise Invalid(field, "not a member of this board's team", "not_in_team")
    if data.visitor_id == data.visited_id:
        raise Invalid("visited_id", "a teacher does not visit themselves", "same_teacher")
    if user.id not in (data.visitor_id, data.visited_id):
        raise Invalid("visitor_id", "plan a visit you take part in", "not_taking_part")
    _check_reference(session, board, "goal_id", Goal, data.goal_id)
    _check_reference(session, board, "action_id", Action, data.action_id)
    visit = Visit(board_id=require_id(board), **data.model_dump())
    session.add(visit)
    session.flush()
    changes.record(session, board, user, "planned", ENTITY, visit.id, SECTIONS)
    return visit


def _locked(session: Session, user: User, visit_id: int, writer: str) -> tuple[Visit, Board]:
    """The visit under its board's lock, for the one teacher (`writer`: visitor_id or
    visited_id) who writes this part of it; to the other one writing it is out of reach."""
    visit, board = get_visit(session, user, visit_id)
    if getattr(visit, writer) != user.id:
        raise NotFound()
    changes.begin(session, board)
    session.refresh(visit)
    return visit, board


def write_feedback(session: Session, user: User, visit_id: int, data: FeedbackCreate) -> Visit:
    """The visitor's feedback, once."""
    visit, board = _locked(session, user, visit_id, "visitor_id")
    if visit.feedback_at is not None:
        raise Conflict(detail="The feedback on this visit has already been written")
    for name, value in data.model_dump().items():
        setattr(visit, name, value)
    visit.feedback_at = clock.now()
    _bump(session, visit)
    changes.record(session, board, user, "feedback", ENTITY, visit.id, SECTIONS)
    return visit


def write_reflection(session: Session, user: User, visit_id: int, data: ReflectionCreate) -> Visit:
    """What the visited teacher takes from the feedback; written again, it replaces the last."""
    visit, board = _locked(session, user, visit_id, "visited_id")
    if visit.feedback_at is None:
        raise Invalid("text", "the feedback has not been written yet", "no_feedback_yet")
    visit.reflection = data.text
    visit.reflected_at = clock.now()
    _bump(session, visit)
    changes.record(session, board, user, "reflected", ENTITY, visit.id, ())
    return visit


def _bump(session: Session, visit: Visit) -> None:
    visit.version += 1
    visit.updated_at = clock.now()
    session.add(visit)
    session.flush()


def cancel_visit(session: Session, user: User, visit_id: int, version: int | None) -> Board:
    """Either teacher calls a planned visit off; once held (the feedback written) it stays,
    as the record of the two."""
    visit, board = get_visit(session, user, visit_id)
    changes.begin(session, board)
    session.refresh(visit)
    if version is not None and visit.version != version:
        raise Conflict(detail="This visit was changed meanwhile")
    if visit.feedback_at is not None:
        raise Conflict(detail="A visit that was held is not called off")
    session.delete(visit)
    session.flush()
    changes.record(session, board, user, "deleted", ENTITY, visit_id, SECTIONS)
    return board


def share_success(session: Session, user: User, visit_id: int, data: VisitShare) -> Success:
    """A lesson learned on the board as a success: exactly the text given (the page shows it
    first), linked to the visit's goal or action; nothing else of the visit goes along."""
    visit, _board = get_visit(session, user, visit_id)
    success = SuccessCreate(text=data.text, goal_id=visit.goal_id, action_id=visit.action_id)
    return items.create_item(session, user, item_kinds.SUCCESS, visit.board_id, success)


@dataclass(frozen=True)
class PlanningChoices:
    """What the form that plans a visit on `board` offers."""

    board: Board
    people: list[tuple[int, str]]  # the team's members
    goals: list[tuple[int, str]]
    actions: list[tuple[int, str]]  # not done yet


def planning_choices(session: Session, user: User, board_id: int) -> PlanningChoices:
    board = visible_board(session, user, board_id)
    if board.kind == BoardKind.care:
        raise NotFound()
    people = session.exec(
        select_columns(col(User.id), col(User.name))
        .join(TeamMember, col(TeamMember.user_id) == col(User.id))
        .where(TeamMember.team_id == board.team_id)
        .order_by(col(User.name), col(User.id))
    ).all()
    goals = session.exec(
        select_columns(col(Goal.id), col(Goal.title))
        .where(Goal.board_id == board.id)
        .order_by(col(Goal.created_at), col(Goal.id))
    ).all()
    actions = session.exec(
        select_columns(col(Action.id), col(Action.title))
        .where(Action.board_id == board.id, Action.status != ActionStatus.done)
        .order_by(col(Action.status), col(Action.rank))
    ).all()
    return PlanningChoices(
        board,
        [(i, name) for i, name in people],
        [(i, title) for i, title in goals],
        [(i, title) for i, title in actions],
    )
