"""Board templates: the four built-in ones and a school's own, saved from one of its boards.

A board made from a template gets the template's kind and stand-up agenda, and (from a school's
own template) its goals, without measurements; people and items never travel with a template.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import Invalid, NotFound
from app.models import Board, BoardKind, Goal, User
from app.models.goal import GoalCreate
from app.models.rows import require_id
from app.models.standup import DEFAULT_AGENDA
from app.models.template import BoardTemplate, TemplateCreate
from app.security.policy import led_school, led_school_of_board, visible_board, visible_school
from app.services import item_kinds, items, standups


@dataclass(frozen=True)
class Template:
    kind: BoardKind
    agenda: list[dict]
    goals: list[dict]


# A leadership board looks at its month's dashboard where a team board looks at weekly goals.
LEADERSHIP_AGENDA: list[dict] = [
    {"part": "Check-in", "minutes": 1},
    {"part": "Successen", "minutes": 2},
    {"part": "Maanddashboard", "minutes": 5},
    {"part": "Acties", "minutes": 4},
    {"part": "Planning", "minutes": 2},
    {"part": "Hulp en afsluiting", "minutes": 1},
]
CLASS_AGENDA: list[dict] = [
    {"part": "Check-in", "minutes": 2},
    {"part": "Successen", "minutes": 3},
    {"part": "Doelen", "minutes": 3},
    {"part": "Acties", "minutes": 5},
    {"part": "Afsluiting", "minutes": 2},
]
CARE_AGENDA: list[dict] = [
    {"part": "Check-in", "minutes": 1},
    {"part": "Nieuwe zorgen", "minutes": 5},
    {"part": "Afspraken", "minutes": 5},
    {"part": "Evaluatie", "minutes": 3},
    {"part": "Afsluiting", "minutes": 1},
]
BUILT_IN: dict[str, Template] = {
    "teambord": Template(BoardKind.team, DEFAULT_AGENDA, []),
    "bord-in-de-klas": Template(BoardKind.klas, CLASS_AGENDA, []),
    "leiderschapsbord": Template(BoardKind.leadership, LEADERSHIP_AGENDA, []),
    "zorgbord": Template(BoardKind.care, CARE_AGENDA, []),
}
GOAL_FIELDS = ("title", "metric", "unit", "baseline", "target")


def resolve(session: Session, school_id: int, name: str) -> Template:
    """A built-in template by name, or one of this school's own by id (422 `template` else)."""
    if name in BUILT_IN:
        return BUILT_IN[name]
    own = (
        session.get(BoardTemplate, int(name))
        if name.isascii() and name.isdigit() and len(name) < 10
        else None
    )
    if own is None or own.school_id != school_id:
        raise Invalid("template", "unknown template", kind="unknown_template")
    return Template(own.kind, own.agenda, own.goals)


def apply(session: Session, user: User, board: Board, template: Template) -> None:
    """Give a new board its template's agenda and goals, in the transaction that made it."""
    board.agenda = [dict(part) for part in template.agenda]
    session.add(board)
    session.flush()
    for goal in template.goals:
        items.create_item(session, user, item_kinds.GOAL, require_id(board), GoalCreate(**goal))


def save(session: Session, user: User, board_id: int, data: TemplateCreate) -> BoardTemplate:
    """The school's leader (or an admin) saves a board they can open as a template; a care
    board's template keeps its kind and agenda only."""
    board = visible_board(session, user, board_id)
    school = led_school_of_board(session, user, board)
    # Every member of the school reads its templates: a care board's goals stay on the board.
    shared = board.kind != BoardKind.care
    query = select(Goal).where(Goal.board_id == board.id).order_by(col(Goal.id))
    goals = list(session.exec(query)) if shared else []
    template = BoardTemplate(
        school_id=require_id(school),
        name=data.name,
        kind=board.kind,
        agenda=standups.board_agenda(session, board),
        goals=[{field: getattr(goal, field) for field in GOAL_FIELDS} for goal in goals],
    )
    session.add(template)
    session.flush()
    return template


def of_school(session: Session, user: User, school_id: int) -> list[BoardTemplate]:
    """Every member of the school sees its templates, to start a board from one."""
    visible_school(session, user, school_id)
    query = select(BoardTemplate).where(BoardTemplate.school_id == school_id)
    return list(session.exec(query.order_by(col(BoardTemplate.name), col(BoardTemplate.id))))


def delete(session: Session, user: User, template_id: int) -> BoardTemplate:
    # Locked: of two deletes at once, the second finds it gone (404).
    query = select(BoardTemplate).where(BoardTemplate.id == template_id).with_for_update()
    template = session.exec(query).first()
    if template is None:
        raise NotFound()
    led_school(session, user, template.school_id)
    session.delete(template)
    session.flush()
    return template
