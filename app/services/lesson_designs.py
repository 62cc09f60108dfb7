"""Gezamenlijk lesontwerp: a team designs a lesson on its board, gives it, evaluates it, and
keeps what worked as a kwaliteitskaart of the school.

A design is read and written by those who open its board (policy.visible_board); a care board
has none. The board's planning shows its title and the day it is given
(board_view.planned_designs). The lesbezoeken that observe it are linked by id: the design shows
who visits whom and when, as the planning does, never what the two teachers wrote.

A kwaliteitskaart belongs to the school: every member of the school finds it (school_cards),
and `shareable` is what may leave the school, e.g. for a learning network.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, delete, select

from app import clock
from app.errors import Conflict, Invalid, NotFound
from app.models import (
    Board,
    BoardKind,
    Goal,
    LessonDesign,
    LessonDesignVisit,
    QualityCard,
    School,
    Team,
    TeamMember,
    User,
    Visit,
)
from app.models.lesson_design import (
    EvaluationCreate,
    LessonDesignCreate,
    LessonDesignPublic,
    LessonDesignUpdate,
    LinkedVisitPublic,
    QualityCardCreate,
    QualityCardPublic,
)
from app.models.rows import require_id, select_columns
from app.security.policy import school_of_board, visible_board, visible_school
from app.services import changes, school_time
from app.services.board_view import PlannedVisit, planned_visits

ENTITY = "lesson_design"
SECTIONS = ("plan",)  # the planning shows the design's title, day and whether it was evaluated
CARDS_SHOWN = 200
NOT_EVALUATED = "Evaluate the lesson before making its kwaliteitskaart"
HAS_CARD = "This lesson design already has its kwaliteitskaart"


# --- reading ------------------------------------------------------------------------------------


def design_board(session: Session, user: User, board_id: int) -> Board:
    """A board the user opens that may hold lesson designs (not a care board)."""
    board = visible_board(session, user, board_id)
    if board.kind == BoardKind.care:
        raise NotFound()
    return board


def get_design(session: Session, user: User, design_id: int) -> tuple[LessonDesign, Board]:
    design = session.get(LessonDesign, design_id)
    if design is None:
        raise NotFound()
    return design, design_board(session, user, design.board_id)


def linked_visits(session: Session, design_id: int) -> list[LinkedVisitPublic]:
    """Who visits whom and when: read column by column, so nothing the two wrote comes along."""
    visitor, visited = aliased(User), aliased(User)
    rows = session.exec(
        select_columns(col(Visit.id), col(Visit.date), col(visitor.name), col(visited.name))
        .join(LessonDesignVisit, col(LessonDesignVisit.visit_id) == col(Visit.id))
        .join(visitor, col(visitor.id) == col(Visit.visitor_id))
        .join(visited, col(visited.id) == col(Visit.visited_id))
        .where(LessonDesignVisit.design_id == design_id)
        .order_by(col(Visit.date), col(Visit.id))
    )
    return [LinkedVisitPublic(id=i, date=d, visitor=a, visited=b) for i, d, a, b in rows]


def school_id_of(session: Session, board: Board) -> int:
    return school_of_board(session, board)


def card_of(session: Session, design_id: int) -> QualityCard | None:
    return session.exec(select(QualityCard).where(QualityCard.design_id == design_id)).first()


def design_public(session: Session, design: LessonDesign) -> LessonDesignPublic:
    teacher = session.get(User, design.teacher_id) if design.teacher_id else None
    card = card_of(session, require_id(design))
    return LessonDesignPublic.model_validate(
        {
            **design.model_dump(),
            "teacher": teacher.name if teacher else None,
            "visits": linked_visits(session, require_id(design)),
            "quality_card_id": card.id if card else None,
        }
    )


def board_designs(session: Session, user: User, board_id: int) -> tuple[Board, list[LessonDesign]]:
    """The board's designs, the next one to give first, those without a day last."""
    board = design_board(session, user, board_id)
    designs = session.exec(
        select(LessonDesign)
        .where(LessonDesign.board_id == board.id, col(LessonDesign.archived_at).is_(None))
        .order_by(col(LessonDesign.date).is_(None), col(LessonDesign.date), col(LessonDesign.id))
    ).all()
    return board, list(designs)


@dataclass(frozen=True)
class DesignChoices:
    """What the design form offers on `board`."""

    board: Board
    goals: list[tuple[int, str]]
    people: list[tuple[int, str]]  # the team's members
    visits: list[PlannedVisit]  # the board's lesbezoeken: who visits whom and when


def design_choices(session: Session, user: User, board_id: int) -> DesignChoices:
    board = design_board(session, user, board_id)
    goals = session.exec(
        select_columns(col(Goal.id), col(Goal.title))
        .where(Goal.board_id == board.id, col(Goal.archived_at).is_(None))
        .order_by(col(Goal.created_at), col(Goal.id))
    ).all()
    people = session.exec(
        select_columns(col(User.id), col(User.name))
        .join(TeamMember, col(TeamMember.user_id) == col(User.id))
        .where(TeamMember.team_id == board.team_id)
        .order_by(col(User.name), col(User.id))
    ).all()
    visits = planned_visits(session, require_id(board))
    return DesignChoices(board, [(i, t) for i, t in goals], [(i, n) for i, n in people], visits)


# --- changing -----------------------------------------------------------------------------------


def _check_references(session: Session, board: Board, data: dict[str, Any]) -> None:
    goal_id = data.get("goal_id")
    if goal_id is not None:
        goal = session.get(Goal, goal_id)
        if goal is None or goal.board_id != board.id:
            raise Invalid("goal_id", "unknown goal on this board", "unknown_goal")
    teacher_id = data.get("teacher_id")
    if teacher_id is not None:
        member = session.exec(
            select(TeamMember.id).where(
                TeamMember.team_id == board.team_id, TeamMember.user_id == teacher_id
            )
        ).first()
        if member is None:
            raise Invalid("teacher_id", "not a member of this board's team", "not_in_team")
    for visit_id in data.get("visit_ids") or ():
        visit = session.get(Visit, visit_id)
        if visit is None or visit.board_id != board.id:
            raise Invalid("visit_ids", "unknown visit on this board", "unknown_item")


def _link_visits(session: Session, design_id: int, visit_ids: list[int]) -> None:
    session.exec(delete(LessonDesignVisit).where(col(LessonDesignVisit.design_id) == design_id))
    for visit_id in dict.fromkeys(visit_ids):
        session.add(LessonDesignVisit(design_id=design_id, visit_id=visit_id))


def create_design(
    session: Session, user: User, board_id: int, data: LessonDesignCreate
) -> LessonDesign:
    board = design_board(session, user, board_id)
    changes.begin(session, board)
    fields = data.model_dump(exclude={"visit_ids"})
    _check_references(session, board, data.model_dump())
    fields["structure"] = fields["structure"] or ""
    fields["watch_for"] = fields["watch_for"] or ""
    design = LessonDesign(board_id=require_id(board), **fields)
    session.add(design)
    session.flush()
    _link_visits(session, require_id(design), data.visit_ids)
    changes.record(session, board, user, "created", ENTITY, design.id, SECTIONS)
    return design


def _locked(
    session: Session, user: User, design_id: int, version: int | None
) -> tuple[LessonDesign, Board]:
    design, board = get_design(session, user, design_id)
    changes.begin(session, board)
    session.refresh(design)
    if version is not None and design.version != version:
        raise Conflict(current=design_public(session, design).model_dump(mode="json"))
    return design, board


def _bump(session: Session, design: LessonDesign) -> None:
    design.version += 1
    design.updated_at = clock.now()
    session.add(design)
    session.flush()


REQUIRED = ("title", "lesson_goal")  # sent as null, they stay as they are
BLANKABLE = ("structure", "watch_for", "group")  # sent as null, they are emptied


def update_design(
    session: Session, user: User, design_id: int, data: LessonDesignUpdate
) -> LessonDesign:
    """Change the fields sent, against the version the editor read (409 when stale)."""
    design, board = _locked(session, user, design_id, data.version)
    sent = data.model_dump(include=data.model_fields_set - {"version"})
    _check_references(session, board, sent)
    for name, value in sent.items():
        if name == "visit_ids":
            _link_visits(session, design_id, value or [])
        elif name in REQUIRED and value is None:
            continue
        else:
            setattr(design, name, "" if value is None and name in BLANKABLE else value)
    _bump(session, design)
    changes.record(session, board, user, "updated", ENTITY, design.id, SECTIONS)
    return design


def evaluate(session: Session, user: User, design_id: int, data: EvaluationCreate) -> LessonDesign:
    """What worked and what to change, once the lesson was given; written again, it replaces
    the last."""
    design, board = _locked(session, user, design_id, None)
    if design.date is None or design.date > school_time.board_today(session, board):
        raise Invalid("worked", "the lesson has not been given yet", "not_given_yet")
    design.worked, design.to_change = data.worked, data.to_change
    design.evaluated_at = clock.now()
    _bump(session, design)
    changes.record(session, board, user, "evaluated", ENTITY, design.id, SECTIONS)
    return design


def make_quality_card(
    session: Session, user: User, design_id: int, data: QualityCardCreate
) -> QualityCard:
    """The evaluated design as the school's kwaliteitskaart: one per design."""
    design, board = _locked(session, user, design_id, None)
    if design.evaluated_at is None:
        raise Conflict(detail=NOT_EVALUATED)
    if card_of(session, design_id) is not None:
        raise Conflict(detail=HAS_CARD)
    team = session.get(Team, board.team_id)
    if team is None:  # pragma: no cover - a board always has its team
        raise NotFound()
    card = QualityCard(
        school_id=team.school_id,
        design_id=design_id,
        subject=data.subject,
        works=data.works or design.worked or "",
        watch_for=design.watch_for,
        lesson_goal=design.lesson_goal,
        team=team.name[:120],
        created_by_id=user.id,
    )
    session.add(card)
    session.flush()
    changes.record(session, board, user, "quality_card", ENTITY, design.id, ())
    return card


# --- the school's kwaliteitskaarten -------------------------------------------------------------


def school_cards(
    session: Session, user: User, school_id: int, q: str = ""
) -> tuple[School, list[QualityCard]]:
    """The school's cards, newest first, for its members; `q` finds words in their texts."""
    school = visible_school(session, user, school_id)
    query = select(QualityCard).where(QualityCard.school_id == school.id)
    words = q.strip()
    if words:
        query = query.where(
            or_(
                *(
                    col(column).icontains(words, autoescape=True)
                    for column in (
                        QualityCard.subject,
                        QualityCard.works,
                        QualityCard.watch_for,
                        QualityCard.lesson_goal,
                    )
                )
            )
        )
    query = query.order_by(col(QualityCard.created_at).desc(), col(QualityCard.id).desc())
    return school, list(session.exec(query.limit(CARDS_SHOWN)))


def card_public(card: QualityCard) -> QualityCardPublic:
    return QualityCardPublic.model_validate(card.model_dump())


def shareable(card: QualityCard) -> dict[str, str]:
    """What of a card may leave the school (a learning network): the lesson, no names of
    people, team or school."""
    return {
        "subject": card.subject,
        "works": card.works,
        "watch_for": card.watch_for,
        "lesson_goal": card.lesson_goal,
    }
