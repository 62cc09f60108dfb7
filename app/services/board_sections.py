"""The sections of a team board as HTML: what they render from, and how one is rendered.

The board page, an htmx answer and a live push all build their context with `context` and
render a section with `render`, so the three can never disagree about a section.
"""

from typing import Any

from app.models import BoardKind
from app.services import goal_progress, item_kinds
from app.services.board_cards import PushedBoard
from app.services.board_view import BoardView
from app.services.item_kinds import ItemKind
from app.services.screens import for_display
from app.templating import render_macro, render_string

TEMPLATE = "pages/board/board.html"
FORM_PREFIX = "form_"  # form_<section>: the add form of a kind, as it was sent back


def context(view: BoardView, audience: str) -> dict[str, Any]:
    """What the board's blocks render from, for one audience: a member, a leader of the
    board's school (who may answer help requests) or a display screen (no controls, and only
    what a wall may show). An archived board is read-only: no edit controls for anyone."""
    board = view.board
    return {
        "view": for_display(view) if audience == "display" else view,
        "board": board,
        **_controls(board.archived_at is not None, audience),
        "goals": [g.goal for g in view.goals],
        # a leadership board shows each goal as a monthly dashboard (kinds/goals.html)
        "dashboard_months": goal_progress.dashboard_months(view.today)
        if board.kind == BoardKind.leadership
        else [],
        "today": view.today,
        "values": {},
        "errors": {},
    }


def _controls(archived: bool, audience: str) -> dict[str, Any]:
    return {
        "variant": "display" if audience == "display" or archived else "member",
        "can_answer": audience == "leader" and not archived,
    }


def card_context(board: PushedBoard, audience: str, read: dict[str, Any]) -> dict[str, Any]:
    """What one card pushed alone renders from (services/board_cards.py): what its kind read
    (`item` and the like), and the audience's controls as its section would give them."""
    return {**read, **_controls(board.archived_at is not None, audience), "today": board.today}


def render_card(locale: str, kind: ItemKind[Any], ctx: dict[str, Any]) -> str:
    """One card as an out-of-band swap of the card already shown (kinds/<section> `pushed`)."""
    return render_macro(locale, kind.template, "pushed", **ctx)


def block_of(name: str) -> tuple[str, dict[str, Any]]:
    """The block of the board template that renders section `name`, and what it adds to the
    context: an item kind's list or add form comes from its own template (kinds/<section>)."""
    kind = item_kinds.BY_SECTION.get(name)
    if kind is not None:
        return "kind_list", {"kind": kind}
    if name.startswith(FORM_PREFIX):
        kind = item_kinds.BY_SECTION.get(name.removeprefix(FORM_PREFIX))
        if kind is not None:
            return "kind_form", {"kind": kind}
    return name, {}


def render(locale: str, name: str, ctx: dict[str, Any], *, oob: bool) -> str:
    block, extra = block_of(name)
    return render_string(locale, TEMPLATE, block, **ctx, **extra, oob=oob)
