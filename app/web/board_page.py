"""The team board's page pieces that several routers render: the template, its areas (URL,
block, card id prefix and form fields per kind of card) and the contexts its blocks render from."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Literal

from fastapi.encoders import jsonable_encoder
from sqlmodel import Session, SQLModel

from app import formatting
from app.models import Board, User
from app.models.action import ActionCreate, ActionUpdate
from app.models.goal import GoalCreate, GoalUpdate
from app.models.notes import (
    HelpRequestCreate,
    HelpRequestUpdate,
    IdeaCreate,
    IdeaUpdate,
    PlanItemCreate,
    PlanItemUpdate,
    SuccessCreate,
    SuccessUpdate,
)
from app.models.rows import require_id
from app.security import policy
from app.services import board_view, school_time

TEMPLATE = "pages/board/board.html"
SECTIONS = ("successes", "goals", "actions", "plan", "ideas", "help")
SectionName = Literal["successes", "goals", "actions", "plan", "ideas", "help"]


@dataclass(frozen=True)
class Area:
    """One area of the board as the web sees it: its URL, block, card id prefix and form fields."""

    slug: str  # URL segment, as in the JSON API
    section: str  # block name, and the ids section-<section> / list-<section>
    prefix: str  # card ids: <prefix>-<id>
    entity: str  # services.items kind, or "action"
    create: type[SQLModel]
    update: type[SQLModel]
    fields: tuple[str, ...]
    optional: tuple[str, ...] = ()  # sent empty, they are none (numbers are, by their type)

    def card_id(self, item_id: int) -> str:
        return f"{self.prefix}-{item_id}"

    def url(self, item_id: int) -> str:
        return f"/{self.slug}/{item_id}"


AREAS = (
    Area(
        "successes",
        "successes",
        "success",
        "success",
        SuccessCreate,
        SuccessUpdate,
        ("text", "goal_id"),
    ),
    Area(
        "goals",
        "goals",
        "goal",
        "goal",
        GoalCreate,
        GoalUpdate,
        ("title", "metric", "unit", "baseline", "target", "target_date"),
        optional=("target_date",),
    ),
    Area(
        "actions",
        "actions",
        "action",
        "action",
        ActionCreate,
        ActionUpdate,
        ("title", "owner", "due", "goal_id"),
        optional=("due",),
    ),
    Area(
        "plan-items",
        "plan",
        "plan",
        "plan_item",
        PlanItemCreate,
        PlanItemUpdate,
        ("date", "kind", "text", "who"),
    ),
    Area("ideas", "ideas", "idea", "idea", IdeaCreate, IdeaUpdate, ("text",)),
    Area(
        "help-requests",
        "help",
        "help",
        "help_request",
        HelpRequestCreate,
        HelpRequestUpdate,
        ("text",),
    ),
)
BY_SECTION = {area.section: area for area in AREAS}


def board_context(
    session: Session,
    user: User,
    board: Board,
    sections: Iterable[str] | None = None,
    *,
    with_session: bool = False,
) -> dict[str, Any]:
    """What the section blocks render from: no request, nothing per user but the two flags.
    With `sections`, only what those sections show is read (services/board_view.py)."""
    view = board_view.load_board(session, board, sections, with_session=with_session)
    return view_context(view, policy.leads_board_school(session, user, board))


def view_context(view: board_view.BoardView, can_answer: bool) -> dict[str, Any]:
    archived = view.board.archived_at is not None  # read-only: no edit controls for anyone
    return {
        "view": view,
        "board": view.board,
        "variant": "display" if archived else "member",
        "can_answer": can_answer and not archived,
        "goals": [g.goal for g in view.goals],
        "today": view.today,
        "values": {},
        "errors": {},
    }


def form_context(session: Session, board: Board, **extra: Any) -> dict[str, Any]:
    """What a form block needs: the board, its goals (to link an action to) and today."""
    today = school_time.board_today(session, board)
    goals = [g.goal for g in board_view.goal_views(session, require_id(board), today)]
    return {
        "board": board,
        "goals": goals,
        "today": today,
        "variant": "member",
        "values": {},
        "errors": {},
        **extra,
    }


def field_text(value: Any, locale: str) -> str:
    """A stored value as it goes back into a form field."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return formatting.number(value, locale)
    return str(value)


def values_of(row: Any, fields: tuple[str, ...], locale: str) -> dict[str, str]:
    data = row if isinstance(row, dict) else jsonable_encoder(row)
    result = {}
    for name in fields:
        value = data.get(name)
        if isinstance(value, float) or name in ("baseline", "target"):
            value = float(value) if value is not None else None
        result[name] = field_text(value, locale)
    return result
