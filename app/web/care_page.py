"""The care board's page pieces: its template, the contexts its blocks render from, the page
itself (opened through the board's address) and its display-link page."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from app.models import Board, School, Team, User
from app.services import audit
from app.services.care_view import load_care, load_display
from app.templating import render

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
    context["deleted"] = request.query_params.get("deleted") == "1"
    return render(request, TEMPLATE, context)


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
