"""The team board's page pieces that several routers render: the template, the sections of its kinds
of item (services/item_kinds.py) and the contexts its blocks render from."""

from collections.abc import Iterable
from datetime import date
from enum import Enum, StrEnum
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from sqlmodel import Session
from starlette.responses import HTMLResponse

from app import formatting
from app.models import Board, User
from app.models.rows import require_id
from app.security import policy
from app.services import board_sections, board_view, item_kinds, item_reads, school_time
from app.web.common import locale_of

TEMPLATE = board_sections.TEMPLATE
# The sections one can ask for by URL (after a cancelled edit, a failed move).
SectionName = StrEnum(  # type: ignore[misc]
    "SectionName", {name: name for name in item_kinds.ITEM_SECTIONS}
)


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
    return board_sections.context(view, "leader" if can_answer else "member")


def board_fragments(
    request: Request,
    context: dict[str, Any],
    main: Iterable[str] = (),
    oob: Iterable[str] = (),
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Sections of the board (and its other blocks, by name): `main` for htmx's target, `oob`
    swapped out of band by id; rendered as a push renders them."""
    locale = locale_of(request)
    ctx = {k: v for k, v in context.items() if k not in ("locale", "oob")}
    parts = [board_sections.render(locale, name, ctx, oob=False) for name in main]
    parts += [board_sections.render(locale, name, ctx, oob=True) for name in oob]
    return HTMLResponse("".join(parts), status_code=status_code, headers=headers)


def form_context(session: Session, board: Board, **extra: Any) -> dict[str, Any]:
    """What a form block needs: the board, its goals (to link an action to) and today."""
    today = school_time.board_today(session, board)
    goals = [g.goal for g in item_reads.goal_views(session, require_id(board), today)]
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
