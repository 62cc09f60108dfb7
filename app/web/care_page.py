"""The care board's page pieces: its template, the contexts its blocks render from, the page
itself (opened through the board's address) and its display-link page."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from app.models import Agreement, Board, School, Team, User
from app.models.item import BoardItem
from app.models.rows import require_id
from app.services import audit, trash
from app.services.care_view import load_care, load_display
from app.templating import render
from app.web.common import fragments
from app.web.undo import Undo

TEMPLATE = "pages/care/care.html"


def place(session: Session, board: Board) -> dict[str, Any]:
    team = session.get(Team, board.team_id)
    school = session.get(School, team.school_id) if team else None
    return {"team": team, "school": school}


def care_context(session: Session, board: Board, **extra: Any) -> dict[str, Any]:
    view = load_care(session, board)
    return {
        "view": view,
        "board": board,
        "variant": "member",
        "today": view.today,
        "values": {},
        "errors": {},
        **extra,
    }


def case_context(session: Session, board: Board, case_id: int, **extra: Any) -> dict[str, Any]:
    context = care_context(session, board, page="case", **extra)
    context["cv"] = context["view"].case(case_id)
    return context


def care_page(request: Request, session: Session, user: User, board: Board) -> Response:
    """The care board itself (called by the board page for boards of kind care)."""
    # The page is a read (no write transaction): its audit entry gets one of its own.
    with request.app.state.db.session() as trail:
        audit.record(trail, board, user, "board_viewed", None)
    context = care_context(session, board, page="board", **place(session, board))
    # after a case was erased (POST /cases/{id}/erase sends the browser here with ?erased=1)
    context["erased"] = request.query_params.get("erased") == "1"
    # or put in the prullenbak (?deleted=<its id>): "Ongedaan maken" while it waits there
    deleted = request.query_params.get("deleted", "")
    case = trash.waiting(session, board, "case", int(deleted)) if deleted.isdigit() else None
    if case is not None:
        context["undo"] = case_undo(case)
    return render(request, TEMPLATE, context)


def case_undo(case: BoardItem) -> Undo:
    return Undo("case", require_id(case), case.version, "#list-cases")


def agreement_undo(agreement: Agreement) -> Undo:
    return Undo("agreement", require_id(agreement), agreement.version, f"#case-{agreement.case_id}")


def undo_answer(
    request: Request, session: Session, board: Board, item: BoardItem, **kw: Any
) -> Response:
    """What "Ongedaan maken" answers on a care board (or, refused, how things are now): the
    case list on the board page, the case on its own page; the toast gone."""
    if isinstance(item, Agreement):
        context = case_context(session, board, item.case_id)
        if context["cv"] is None:  # its case went to the prullenbak meanwhile
            context["case_id"] = item.case_id
            return fragments(request, TEMPLATE, context, ["case_gone"], ["version", "toasts"], **kw)
        return fragments(request, TEMPLATE, context, ["case_detail"], ["version", "toasts"], **kw)
    context = care_context(session, board)
    return fragments(request, TEMPLATE, context, ["cases"], ["review", "version", "toasts"], **kw)


def display_page(
    request: Request, session: Session, board: Board, live_url: str, headers: dict[str, str]
) -> Response:
    """A display link of a care board: pupil codes and dates only."""
    context = {
        "view": load_display(session, board),
        "board": board,
        "variant": "display",
        "page": "board",
        "live_url": live_url,
        **place(session, board),
    }
    return render(request, TEMPLATE, context, headers=headers)
