"""Bord in de Klas on the web: the klasscherm (`/klas/{token}`, no login) with the class's own
buttons and the board's open poll, and the teacher's class panel (first names, klasscherm
links)."""

from typing import Any

import segno
from fastapi import Request
from markupsafe import Markup
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.deps import CurrentUser, IdPath, SessionDep, base_url_of
from app.errors import Invalid, NotFound
from app.handlers import Rejected
from app.models import Board, School, Team, User
from app.models.klas import PupilsUpdate
from app.models.notes import IdeaCreate, SuccessCreate
from app.models.rows import require_id
from app.realtime.poll import class_poll
from app.routing import APIRouter
from app.services import board_sections, class_pupils, class_screens
from app.services.board_view import load_board
from app.templating import render
from app.web import forms
from app.web.common import FormDep, fragments, locale_of

router = APIRouter(include_in_schema=False)

SCREEN_TEMPLATE = "pages/klas/screen.html"
PANEL_TEMPLATE = "partials/_class.html"
REVOKED_TEMPLATE = "pages/links/screen_revoked.html"
# The token is the key to the page: it must not travel on in a Referer, nor be cached or indexed.
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


# --- the klasscherm ------------------------------------------------------------------------------


def _screen(
    request: Request,
    session: Session,
    token: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    board = class_screens.board_for_token(session, token)
    view = load_board(session, board, with_session=True)
    team = session.get(Team, board.team_id)
    context: dict[str, Any] = {
        **board_sections.context(view, "display"),
        "team": team,
        "school": session.get(School, team.school_id) if team else None,
        "live_url": f"/klas/{token}/ws",
        "token": token,
        "class_roles": class_pupils.week_roles(session, board, view.today),
        "session_running": view.session is not None and view.session.active,
        "errors": errors or {},
        **class_poll(session, require_id(board), base_url_of(request)),
    }
    return render(
        request, SCREEN_TEMPLATE, context, status_code=status_code, headers=PRIVATE_HEADERS
    )


def _back(token: str) -> Response:
    return RedirectResponse(
        class_screens.class_path(token), status_code=303, headers=PRIVATE_HEADERS
    )


@router.get("/klas/{token}")
def class_screen(token: str, request: Request, session: SessionDep) -> Response:
    """The class board on the smartboard, in Dutch, following every change."""
    request.state.locale = "nl"
    try:
        return _screen(request, session, token)
    except NotFound:
        if not class_screens.is_revoked(session, token):
            raise
        return render(request, REVOKED_TEMPLATE, status_code=404, headers=PRIVATE_HEADERS)


def _refused(
    request: Request, session: Session, token: str, field: str, exc: ValidationError | Invalid
) -> Rejected:
    message = forms.one_message(exc, locale_of(request))
    return Rejected(_screen(request, session, token, {field: message}, 422))


@router.post("/klas/{token}/successes")
def class_success(token: str, request: Request, session: SessionDep, form: FormDep) -> Response:
    request.state.locale = "nl"
    try:
        class_screens.add_success(session, token, SuccessCreate(text=form.get("text", "")))
    except (ValidationError, Invalid) as exc:
        raise _refused(request, session, token, "success", exc) from None
    return _back(token)


@router.post("/klas/{token}/ideas")
def class_idea(token: str, request: Request, session: SessionDep, form: FormDep) -> Response:
    request.state.locale = "nl"
    try:
        class_screens.add_idea(session, token, IdeaCreate(text=form.get("text", "")))
    except (ValidationError, Invalid) as exc:
        raise _refused(request, session, token, "idea", exc) from None
    return _back(token)


@router.post("/klas/{token}/checkin")
def class_check_in(token: str, request: Request, session: SessionDep, form: FormDep) -> Response:
    request.state.locale = "nl"
    mood = forms.whole_number(form.get("mood"))
    try:
        if mood is None or not 1 <= mood <= 5:
            raise Invalid("mood", "a mood from 1 to 5", kind="enum")
        class_screens.check_in(session, token, mood)
    except Invalid as exc:
        raise _refused(request, session, token, "session", exc) from None
    return _back(token)


@router.post("/klas/{token}/timer")
def class_timer(token: str, request: Request, session: SessionDep, form: FormDep) -> Response:
    request.state.locale = "nl"
    action = form.get("action", "")
    try:
        if action not in ("next", "restart"):
            raise Invalid("action", "next or restart", kind="enum")
        class_screens.timer(session, token, restart=action == "restart")
    except Invalid as exc:
        raise _refused(request, session, token, "session", exc) from None
    return _back(token)


# --- the teacher's class panel -------------------------------------------------------------------


def _panel_context(session: Session, user: User, board: Board, **extra: Any) -> dict[str, Any]:
    return {
        "board": board,
        "pupils": class_pupils.names_of(session, board),
        "class_roles": class_pupils.week_roles(session, board),
        "class_links": class_screens.links_of(session, user, require_id(board)),
        **extra,
    }


def _panel(request: Request, context: dict[str, Any], **kwargs: Any) -> Response:
    return fragments(request, PANEL_TEMPLATE, context, ["class_panel"], **kwargs)


@router.get("/boards/{board_id}/class")
def class_panel(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    board = class_pupils.class_board(session, user, board_id)
    return _panel(request, _panel_context(session, user, board))


@router.post("/boards/{board_id}/pupils")
def save_pupils(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    names = [line.strip() for line in form.get("names", "").splitlines() if line.strip()]
    try:
        data = PupilsUpdate(names=names)
    except ValidationError as exc:
        board = class_pupils.class_board(session, user, board_id)
        errors = {"names": forms.one_message(exc, locale_of(request))}
        context = _panel_context(session, user, board, errors=errors)
        raise Rejected(_panel(request, context, status_code=422)) from None
    class_pupils.set_names(session, user, board_id, data.names)
    board = class_pupils.class_board(session, user, board_id)
    return _panel(request, _panel_context(session, user, board))


@router.post("/boards/{board_id}/class-screens")
def create_class_screen(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """A new klasscherm link, shown once with its QR code."""
    token, _row = class_screens.create(session, user, board_id)
    board = class_pupils.class_board(session, user, board_id)
    url = str(request.base_url).rstrip("/") + class_screens.class_path(token)
    qr = Markup(segno.make(url).svg_inline(scale=4))  # noqa: S704 - segno's own SVG markup
    context = _panel_context(session, user, board, new_url=url, new_qr=qr)
    return _panel(request, context, headers=PRIVATE_HEADERS)


@router.post("/class-screens/{link_id}/revoke")
def revoke_class_screen(
    link_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """Revoke; after the commit the bus closes the link's open klasschermen."""
    link = class_screens.revoke(session, user, link_id)
    board = class_pupils.class_board(session, user, link.board_id)
    return _panel(request, _panel_context(session, user, board))
