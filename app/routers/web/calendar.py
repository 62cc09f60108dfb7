"""Calendar feeds on the web: the feed itself (no login: its token is the key), and a board's
calendar link in the board's menu. Your own agenda's link is on the profile page (me.py)."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep
from app.models import Board, User
from app.routing import APIRouter
from app.services import calendar_feeds
from app.web import feeds
from app.web.common import fragments

router = APIRouter(include_in_schema=False)

LINK_TEMPLATE = "partials/_calendar_link.html"


@router.api_route("/calendar/{token}.ics", methods=["GET", "HEAD"])
def calendar_feed(token: str, request: Request, session: SessionDep, base_url: BaseUrl) -> Response:
    """The feed a calendar app subscribes to; 404 for an unknown or revoked token."""
    return feeds.answer(request, session, calendar_feeds.reader(session, token), base_url)


def _context(session: Session, user: User, board: Board, **extra: Any) -> dict[str, Any]:
    link = calendar_feeds.link_of(session, user, board.id)
    return {"board": board, "calendar_link": link, **extra}


@router.get("/boards/{board_id}/calendar")
def board_calendar(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    board = calendar_feeds.feed_board(session, user, board_id)
    return fragments(request, LINK_TEMPLATE, _context(session, user, board), ["calendar"])


@router.post("/boards/{board_id}/calendar")
def create_board_calendar(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, base_url: BaseUrl
) -> Response:
    """A new link, shown once; the reader's previous link of this board stops working."""
    token = calendar_feeds.create(session, user, board_id)
    board = calendar_feeds.feed_board(session, user, board_id)
    context = _context(session, user, board, new_url=base_url + calendar_feeds.feed_path(token))
    return fragments(
        request, LINK_TEMPLATE, context, ["calendar"], headers={"Cache-Control": "no-store"}
    )


@router.post("/boards/{board_id}/calendar/revoke")
def revoke_board_calendar(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    calendar_feeds.revoke(session, user, board_id)
    board = calendar_feeds.feed_board(session, user, board_id)
    return fragments(request, LINK_TEMPLATE, _context(session, user, board), ["calendar"])
