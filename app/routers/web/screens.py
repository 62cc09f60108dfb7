"""Display links on the web: the board on a TV (no login), and making and revoking links."""

from typing import Any

import segno
from fastapi import Request
from markupsafe import Markup
from sqlmodel import Session
from starlette.responses import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import NotFound
from app.handlers import Rejected
from app.models import Board, BoardKind, School, Team, User
from app.models.rows import require_id
from app.models.screen import ScreenCreate
from app.routing import APIRouter
from app.security import policy
from app.services import board_sections, screens
from app.templating import render
from app.web import care_page, forms
from app.web.common import FormDep, fragments, locale_of

router = APIRouter(include_in_schema=False)

LINKS_TEMPLATE = "partials/_screen_links.html"
REVOKED_TEMPLATE = "pages/links/screen_revoked.html"
# The token is the key to the page: it must not travel on in a Referer, nor be cached or indexed.
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def links_context(session: Session, user: User, board: Board, **extra: Any) -> dict[str, Any]:
    return {
        "board": board,
        "screen_links": screens.links_of(session, user, require_id(board)),
        **extra,
    }


@router.get("/screen/{token}")
def display_page(token: str, request: Request, session: SessionDep) -> Response:
    """The board for the wall: read-only, large type, in Dutch, following every change."""
    request.state.locale = "nl"
    try:
        board = screens.board_for_token(session, token)
    except NotFound:
        if not screens.is_revoked(session, token):
            raise
        # the TV on the wall says calmly what happened, as its open page did when it was revoked
        return render(request, REVOKED_TEMPLATE, status_code=404, headers=PRIVATE_HEADERS)
    if board.kind == BoardKind.care:
        return care_page.display_page(
            request, session, board, f"/screen/{token}/ws", PRIVATE_HEADERS
        )
    team = session.get(Team, board.team_id)
    school = session.get(School, team.school_id) if team else None
    context = {
        **board_sections.context(screens.display_view(session, board), "display"),
        "team": team,
        "school": school,
        "live_url": f"/screen/{token}/ws",
    }
    return render(request, board_sections.TEMPLATE, context, headers=PRIVATE_HEADERS)


@router.get("/boards/{board_id}/screens")
def screen_links(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    board = policy.visible_board(session, user, board_id)
    return fragments(request, LINKS_TEMPLATE, links_context(session, user, board), ["links"])


@router.post("/boards/{board_id}/screens")
def create_screen_link(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """A new link, shown once with its QR code, above the board's other links."""
    try:
        data = forms.parse(ScreenCreate, form, locale_of(request), ("label",))
    except forms.FormErrors as exc:
        board = policy.visible_board(session, user, board_id)
        context = links_context(session, user, board, values=form, errors=exc.errors)
        raise Rejected(
            fragments(request, LINKS_TEMPLATE, context, ["links"], status_code=422)
        ) from None
    token, _row = screens.create(session, user, board_id, data.label)
    board = policy.visible_board(session, user, board_id)
    url = str(request.base_url).rstrip("/") + screens.screen_path(token)
    qr = Markup(segno.make(url).svg_inline(scale=4))  # noqa: S704 - segno's own SVG markup
    context = links_context(session, user, board, new_url=url, new_qr=qr)
    return fragments(request, LINKS_TEMPLATE, context, ["links"], headers=PRIVATE_HEADERS)


@router.post("/screens/{link_id}/revoke")
def revoke_screen_link(
    link_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """Revoke; after the commit the bus closes the link's open screens on every instance."""
    link = screens.revoke(session, user, link_id)
    board = policy.visible_board(session, user, link.board_id)
    return fragments(request, LINKS_TEMPLATE, links_context(session, user, board), ["links"])
