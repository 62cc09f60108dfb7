"""Stem van de leerling on the web, the teacher's pages: make a poll from the board, follow its
results, show it on the class screen (pupils answer on routers/web/pupils.py)."""

from collections.abc import Mapping
from datetime import datetime, time
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.deps import BaseUrl, CurrentUser, Htmx, IdPath, SessionDep
from app.errors import Invalid
from app.handlers import Rejected
from app.models import Board, User
from app.models.poll import (
    MAX_QUESTIONS,
    MeasureCreate,
    Poll,
    PollCreate,
    QuestionKind,
    TextStatus,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import poll_results, polls
from app.services.school_time import board_today, board_zone
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.forms import GENERAL, N_

router = APIRouter(include_in_schema=False)

LIST_TEMPLATE = "pages/polls/list.html"
POLL_TEMPLATE = "pages/polls/poll.html"
SCREEN_TEMPLATE = "pages/polls/screen.html"
BAD_TIME = N_("Vul een tijd in, bijvoorbeeld 14:30.")
PASSED = N_("Deze tijd is al voorbij. Kies een tijd later vandaag.")
OPTIONS_COUNT = N_("Zet 2 tot 6 keuzes onder elkaar.")
NO_QUESTIONS = N_("Stel minstens één vraag.")
CARE_BOARD = N_("Een zorgbord heeft geen peilingen.")
NOT_MEASURABLE = N_("Alleen een vraag met smileys of een schaal wordt een meting.")
NO_ANSWERS_YET = N_("Deze vraag heeft nog geen antwoorden.")
UNKNOWN_GOAL = N_("Kies een doel uit de lijst.")
OVERRIDES: forms.Overrides = {
    ("closes_at", "bad_time"): BAD_TIME,
    ("closes_at", "closing_passed"): PASSED,
    ("q0_text", "no_questions"): NO_QUESTIONS,
    ("board_id", "care_board"): CARE_BOARD,
    ("question", "not_measurable"): NOT_MEASURABLE,
    ("question", "no_answers"): NO_ANSWERS_YET,
    ("goal_id", "missing"): UNKNOWN_GOAL,
    **{
        (f"q{slot}_options", kind): OPTIONS_COUNT
        for slot in range(MAX_QUESTIONS)
        for kind in ("options_count", "options_not_allowed")
    },
}


# --- the teacher -------------------------------------------------------------------------------


def _list_page(
    request: Request,
    session: Session,
    user: User,
    board: Board,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    found = polls.of_board(session, user, require_id(board))
    context = {
        "board": board,
        "polls": found,
        "counts": polls.response_counts(session, [require_id(p) for p in found]),
        "open": {p.id: polls.is_open(p) for p in found},
        "kinds": list(QuestionKind),
        "slots": range(MAX_QUESTIONS),
        "values": values or {"q0_kind": "smiley"},
        "errors": errors or {},
    }
    return render(request, LIST_TEMPLATE, context, status_code=status_code)


@router.get("/boards/{board_id}/polls")
def poll_list(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    board = polls.poll_board(session, user, board_id)
    return _list_page(request, session, user, board)


@router.post("/boards/{board_id}/polls")
def create_poll(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    board = polls.poll_board(session, user, board_id)
    questions = _questions(form)
    slots = [q.pop("slot") for q in questions]
    try:
        data = PollCreate.model_validate(
            {
                "title": form.get("title", ""),
                "questions": questions,
                "closes_at": _closing_time(session, board, form.get("closes_at", "")),
            }
        )
        poll = polls.create(session, user, board_id, data)
    except ValidationError as exc:
        errors = _poll_errors(exc.errors(), slots, locale_of(request))
    except Invalid as exc:
        failed = [{"type": exc.kind, "loc": tuple(exc.field.split("."))}]
        errors = _poll_errors(failed, slots, locale_of(request))
    else:
        return RedirectResponse(f"/polls/{poll.id}", status_code=303)
    raise Rejected(
        _list_page(request, session, user, board, values=form, errors=errors, status_code=422)
    )


def _questions(form: dict[str, str]) -> list[dict[str, Any]]:
    """The form's question slots (kind, text, options one per line), each with its slot; a
    slot after the first without text is left out."""
    questions = []
    for slot in range(MAX_QUESTIONS):
        kind = form.get(f"q{slot}_kind", "")
        text = form.get(f"q{slot}_text", "")
        if not kind or (not text.strip() and slot > 0):
            continue
        lines = [line.strip() for line in form.get(f"q{slot}_options", "").splitlines()]
        options = [line for line in lines if line] if kind == QuestionKind.choice else None
        questions.append({"kind": kind, "text": text, "options": options, "slot": slot})
    return questions


def _closing_time(session: Session, board: Board, typed: str) -> datetime | None:
    """A time today ("14:30"), in the school's time zone; empty: closed by hand."""
    if not typed.strip():
        return None
    try:
        at = time.fromisoformat(typed.strip())
    except ValueError:
        raise Invalid("closes_at", "not a time", kind="bad_time") from None
    return datetime.combine(board_today(session, board), at, tzinfo=board_zone(session, board))


def _poll_errors(errors: list[Any], slots: list[int], locale: str) -> dict[str, str]:
    """Errors of the parsed poll put next to the form's fields (a question's by its slot)."""
    placed: list[Mapping[str, Any]] = []
    for error in errors:
        loc = tuple(error.get("loc") or ())
        field = str(loc[0]) if loc else GENERAL
        if field == "questions":
            if len(loc) >= 2 and str(loc[1]).isdigit() and int(loc[1]) < len(slots):
                part = "options" if "options" in map(str, loc[2:]) else "text"
                field = f"q{slots[int(loc[1])]}_{part}"
            else:
                field, error = "q0_text", {**error, "type": "no_questions"}
        placed.append({**error, "loc": (field,)})
    return forms.messages(placed, locale, SHOWN, OVERRIDES)


SHOWN = (
    "title",
    "closes_at",
    *(f"q{slot}_{part}" for slot in range(MAX_QUESTIONS) for part in ("text", "options")),
)


def _poll_page(
    request: Request,
    session: Session,
    user: User,
    poll: Poll,
    board: Board,
    base_url: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    open_ = polls.is_open(poll)
    context = {
        "poll": poll,
        "board": board,
        "results": poll_results.results(session, poll, open_=open_, teacher=True),
        "variant": "teacher",
        "answer_url": base_url + polls.answer_path(poll),
        "goals": polls.goals_to_measure(session, user, board),
        "measurable": [
            (i, q["text"])
            for i, q in enumerate(poll.questions)
            if q["kind"] in (QuestionKind.smiley, QuestionKind.scale)
        ],
        "values": values or {},
        "errors": errors or {},
        "saved": saved,
    }
    return render(request, POLL_TEMPLATE, context, status_code=status_code)


@router.get("/polls/{poll_id}")
def poll_page(
    poll_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    base_url: BaseUrl,
    saved: Annotated[int | None, Query()] = None,
) -> Response:
    """The teacher's results: live, with every open answer to show on the class screen or hide."""
    poll, board = polls.get(session, user, poll_id)
    return _poll_page(request, session, user, poll, board, base_url, saved=saved == 1)


@router.post("/polls/{poll_id}/close")
def close_poll(poll_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    polls.close(session, user, poll_id)
    return RedirectResponse(f"/polls/{poll_id}", status_code=303)


@router.post("/polls/{poll_id}/open-answers/{answer_id}")
def set_open_answer(
    poll_id: IdPath,
    answer_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    form: FormDep,
    htmx: Htmx,
) -> Response:
    """Show an open answer on the class screen, or hide it; every screen of the poll follows
    through its live channel (this page too, so htmx gets nothing to swap)."""
    try:
        status = TextStatus(form.get("status", ""))
    except ValueError:
        raise Invalid("status", "shown or hidden", kind="enum") from None
    polls.set_text_status(session, user, poll_id, answer_id, status)
    if htmx:
        return Response(status_code=204)
    return RedirectResponse(f"/polls/{poll_id}#open-answers", status_code=303)


@router.post("/polls/{poll_id}/measurement")
def save_measurement(
    poll_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    base_url: BaseUrl,
    form: FormDep,
) -> Response:
    """One tap: the question's result as a measurement of the chosen goal."""
    fields = ("goal_id", "question")
    try:
        data = forms.parse(MeasureCreate, form, locale_of(request), fields, overrides=OVERRIDES)
        polls.measure(session, user, poll_id, data)
    except forms.FormErrors as exc:
        errors = exc.errors
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale_of(request), fields, OVERRIDES)
    else:
        return RedirectResponse(f"/polls/{poll_id}?saved=1#measure", status_code=303)
    poll, board = polls.get(session, user, poll_id)
    page = _poll_page(
        request, session, user, poll, board, base_url, values=form, errors=errors, status_code=422
    )
    raise Rejected(page)


@router.get("/polls/{poll_id}/screen")
def class_screen(
    poll_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, base_url: BaseUrl
) -> Response:
    """For the class screen: a large QR code and the short code, and the results as they come
    in (open answers only once the teacher has shown them)."""
    poll, board = polls.get(session, user, poll_id)
    context = {
        "poll": poll,
        "board": board,
        "results": poll_results.results(session, poll, open_=polls.is_open(poll), teacher=False),
        "variant": "display",
        "answer_url": base_url + polls.answer_path(poll),
        "short_url": base_url + polls.SHORT_PATH,
    }
    return render(request, SCREEN_TEMPLATE, context)
