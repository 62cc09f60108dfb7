"""The bordsessie on the board page: start it, move through the agenda, check in, note, end.

Every button posts a small form and gets the session panel back (and the board version out of
band); the same change reaches every other screen through the hub. Refusals re-render the panel
with a message and roll back.
"""

from typing import Any

from fastapi import Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import PlainTextResponse, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Invalid
from app.handlers import Rejected
from app.i18n import gettext
from app.models import Board, StandUp, User
from app.models.rows import require_id
from app.models.standup import CheckinCreate, StandUpStart, StandUpUpdate
from app.routing import APIRouter
from app.security import policy
from app.services import standups
from app.templating import render, render_string
from app.web import forms
from app.web.board_page import board_context, board_fragments
from app.web.common import FormDep, locale_of
from app.web.downloads import attachment, file_name
from app.web.forms import N_

router = APIRouter(include_in_schema=False)

MAX_PARTS = 20  # as many agenda rows as the API allows


def _panel(
    request: Request,
    session: Session,
    user: User,
    board: Board,
    *,
    also: tuple[str, ...] = (),
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    shown = board_context(session, user, board, ("session", *also))  # only what is answered
    context = {**shown, "session_error": error}
    return board_fragments(
        request, context, ["session"], ["version", *also], status_code=status_code
    )


def _whole(text: str | None) -> int | str | None:
    """A whole number typed or posted as text; anything else goes on to be refused."""
    try:
        return int(text or "")
    except ValueError:
        return text


def _refuse(
    request: Request, session: Session, user: User, board: Board, exc: ValidationError | Invalid
) -> Rejected:
    session.rollback()
    message = forms.one_message(exc, locale_of(request))
    return Rejected(_panel(request, session, user, board, error=message, status_code=422))


def _change(
    request: Request, session: Session, user: User, stand_up_id: int, values: dict[str, Any]
) -> Response:
    """One change to a running session, through the same service as the API."""
    stand_up, board = standups.get_stand_up(session, user, stand_up_id)
    try:
        data = StandUpUpdate.model_validate(values)
        stand_up = standups.update(session, user, stand_up_id, data)
    except (ValidationError, Invalid) as exc:
        raise _refuse(request, session, user, board, exc) from None
    also = ("actions",) if stand_up.ended_at is not None and "ended" in values else ()
    return _panel(request, session, user, board, also=also)


@router.post("/boards/{board_id}/session/start")
def start(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """'Start bordsessie': this week's session, with the bordleider and schrijver picked."""
    try:
        data = StandUpStart.model_validate(
            {name: form.get(name) or None for name in ("bordleider", "schrijver")}
        )
    except ValidationError:
        data = StandUpStart()
    stand_up, _started = standups.start(session, user, board_id, data)
    _, board = standups.get_stand_up(session, user, require_id(stand_up))
    return _panel(request, session, user, board, also=("actions",))


@router.post("/sessions/{stand_up_id}/part")
def go_to_part(
    stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    return _change(request, session, user, stand_up_id, {"part": _whole(form.get("part"))})


@router.post("/sessions/{stand_up_id}/agenda")
def change_agenda(
    stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """The team's own parts and minutes (rows name-N / minutes-N); an empty name drops a row."""
    parts = []
    for row in range(MAX_PARTS + 1):
        name = form.get(f"name-{row}", "").strip()
        if name:
            parts.append({"part": name, "minutes": _whole(form.get(f"minutes-{row}"))})
    return _change(request, session, user, stand_up_id, {"agenda": parts})


@router.post("/sessions/{stand_up_id}/present")
def mark_present(
    stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """Tap a name (or add a guest): present when `present` is 1, absent when it is 0."""
    name = form.get("name", "")
    return _change(
        request, session, user, stand_up_id, {"present": {name: form.get("present") != "0"}}
    )


@router.post("/sessions/{stand_up_id}/notes")
def write_note(
    stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    notes = {form.get("part", ""): form.get("text", "")}
    return _change(request, session, user, stand_up_id, {"notes": notes})


@router.post("/sessions/{stand_up_id}/tip-top")
def tip_top(
    stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    values = {name: form.get(name, "") for name in ("tip", "top")}
    return _change(request, session, user, stand_up_id, values)


@router.post("/sessions/{stand_up_id}/end")
def end(stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """'Afronden': everyone sees the summary; ending twice changes nothing."""
    return _change(request, session, user, stand_up_id, {"ended": True})


@router.post("/sessions/{stand_up_id}/checkin")
def check_in(
    stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """One's own smiley: another one replaces it, an empty mood takes it back."""
    _, board = standups.get_stand_up(session, user, stand_up_id)
    try:
        data = CheckinCreate.model_validate({"mood": _whole(form.get("mood") or None)})
        standups.check_in(session, user, stand_up_id, data)
    except (ValidationError, Invalid) as exc:
        raise _refuse(request, session, user, board, exc) from None
    return _panel(request, session, user, board)


# --- the session history and its exports -------------------------------------------------------


@router.get("/boards/{board_id}/sessions")
def history(board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """Every week's session of this board, newest first, each with its summary."""
    board = policy.visible_board(session, user, board_id)
    entries = [
        (s, standups.summary(session, s) if s.ended_at else None)
        for s in standups.history(session, user, board_id)
    ]
    return render(request, "pages/sessions/history.html", {"board": board, "entries": entries})


@router.get("/boards/{board_id}/sessions/{stand_up_id}.md")
def summary_markdown(
    board_id: IdPath, stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    stand_up, board = standups.get_on_board(session, user, board_id, stand_up_id)
    context = _summary(session, stand_up, board)
    text = render_string(locale_of(request), "pages/sessions/summary.md", **context)
    kind = gettext(locale_of(request), N_("bordsessie"))
    name = file_name(kind, board.title, stand_up.week, "md")
    return PlainTextResponse(
        text, media_type="text/markdown; charset=utf-8", headers=attachment(name)
    )


@router.get("/boards/{board_id}/sessions/{stand_up_id}")
def summary_page(
    board_id: IdPath, stand_up_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """One session as a clean page to print."""
    stand_up, board = standups.get_on_board(session, user, board_id, stand_up_id)
    return render(request, "pages/sessions/summary.html", _summary(session, stand_up, board))


def _summary(session: Session, stand_up: StandUp, board: Board) -> dict[str, Any]:
    summary = standups.summary(session, stand_up) if stand_up.ended_at else None
    return {"su": stand_up, "board": board, "summary": summary}
