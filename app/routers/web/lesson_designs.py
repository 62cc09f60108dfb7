"""Gezamenlijk lesontwerp on the web: a board's designs (list and new), a design's own page
(edited together against its version, the evaluation, "Maak kwaliteitskaart") and the school's
kwaliteitskaarten, searchable."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Conflict, Invalid
from app.handlers import Rejected
from app.models import User
from app.models.lesson_design import (
    EvaluationCreate,
    LessonDesignCreate,
    LessonDesignUpdate,
    QualityCardCreate,
)
from app.routing import APIRouter
from app.security.policy import school_role
from app.services import lesson_designs, networks, overview
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.forms import N_

router = APIRouter(include_in_schema=False)
LIST = "pages/lesson_designs/list.html"
DESIGN = "pages/lesson_designs/design.html"
CARDS = "pages/lesson_designs/cards.html"

DESIGN_FIELDS = (
    "title",
    "goal_id",
    "lesson_goal",
    "structure",
    "watch_for",
    "teacher_id",
    "date",
    "group",
)
OPTIONAL = ("goal_id", "teacher_id", "date", "structure", "watch_for")
VISIT_FIELD = "visit_"  # one checkbox per lesbezoek: visit_<id>
MESSAGES: forms.Overrides = {
    ("teacher_id", "not_in_team"): N_("Kies iemand uit het team van dit bord."),
    ("visit_ids", "unknown_item"): N_("Kies lesbezoeken van dit bord."),
    ("worked", "not_given_yet"): N_("Evalueer de les nadat hij gegeven is: vul eerst de datum in."),
}
STALE = N_(
    "Iemand anders heeft dit lesontwerp intussen aangepast. Hieronder staat de nieuwste versie:"
    " breng je wijziging opnieuw aan."
)
NOT_EVALUATED = N_("Evalueer de les eerst; dan maak je er een kwaliteitskaart van.")
HAS_CARD = N_("Dit lesontwerp heeft al een kwaliteitskaart.")
DONE = {
    "created": N_("Het lesontwerp is opgeslagen."),
    "saved": N_("Je wijzigingen zijn opgeslagen."),
    "evaluated": N_("De evaluatie is opgeslagen."),
    "card": N_("De kwaliteitskaart is gemaakt. De hele school kan hem vinden."),
}


def _layout(session: Session, user: User) -> dict[str, Any]:
    return {"overview_url": overview.overview_link(session, user)}


def _done(request: Request, done: str) -> str:
    message = DONE.get(done)
    return i18n.gettext(locale_of(request), message) if message else ""


def _visit_ids(form: dict[str, str]) -> list[int]:
    return [
        int(name.removeprefix(VISIT_FIELD))
        for name in form
        if name.startswith(VISIT_FIELD) and name.removeprefix(VISIT_FIELD).isdigit()
    ]


# --- a board's designs --------------------------------------------------------------------------


def _list_page(
    request: Request,
    session: Session,
    user: User,
    board_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    board, designs = lesson_designs.board_designs(session, user, board_id)
    context = {
        **_layout(session, user),
        "board": board,
        "school_id": lesson_designs.school_id_of(session, board),
        "designs": designs,
        "choices": lesson_designs.design_choices(session, user, board_id),
        "values": values or {"teacher_id": user.id},
        "errors": errors or {},
    }
    return render(request, LIST, context, status_code=status_code)


@router.get("/boards/{board_id}/lesson-designs")
def board_designs(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    return _list_page(request, session, user, board_id)


@router.post("/boards/{board_id}/lesson-designs")
def create_design(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    locale = locale_of(request)
    visit_ids = {"visit_ids": _visit_ids(form)}
    try:
        data = forms.parse(
            LessonDesignCreate, form, locale, DESIGN_FIELDS, optional=OPTIONAL, values=visit_ids
        )
        design = lesson_designs.create_design(session, user, board_id, data)
    except forms.FormErrors as exc:
        errors = exc.errors
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, (*DESIGN_FIELDS, "visit_ids"), MESSAGES)
    else:
        return RedirectResponse(f"/lesson-designs/{design.id}?done=created", status_code=303)
    page = _list_page(request, session, user, board_id, values=form, errors=errors, status_code=422)
    raise Rejected(page)


# --- a design's page ----------------------------------------------------------------------------


def _design_page(
    request: Request,
    session: Session,
    user: User,
    design_id: int,
    *,
    part: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    design, board = lesson_designs.get_design(session, user, design_id)
    public = lesson_designs.design_public(session, design)
    saved = {
        **public.model_dump(),
        "date": public.date.isoformat() if public.date else "",
        "goal_id": public.goal_id or "",
        "teacher_id": public.teacher_id or "",
    }
    context = {
        **_layout(session, user),
        "design": public,
        "board": board,
        "choices": lesson_designs.design_choices(session, user, board.id or 0),
        "linked": {v.id for v in public.visits},
        "school_id": lesson_designs.school_id_of(session, board),
        "saved": saved,
        "part": part,  # the form the values and errors are of
        "values": values or {},
        "errors": errors or {},
        "done": _done(request, done),
    }
    return render(request, DESIGN, context, status_code=status_code)


@router.get("/lesson-designs/{design_id}")
def design_page(
    design_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, done: str = ""
) -> Response:
    return _design_page(request, session, user, design_id, done=done)


def _refused(
    request: Request,
    session: Session,
    user: User,
    design_id: int,
    part: str,
    form: dict[str, str] | None,
    errors: dict[str, str],
    status_code: int = 422,
) -> Rejected:
    page = _design_page(
        request,
        session,
        user,
        design_id,
        part=part,
        values=form,
        errors=errors,
        status_code=status_code,
    )
    return Rejected(page)


@router.post("/lesson-designs/{design_id}")
def update_design(
    design_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    locale = locale_of(request)
    fields = (*DESIGN_FIELDS, "version")
    visit_ids = {"visit_ids": _visit_ids(form)}
    try:
        data = forms.parse(
            LessonDesignUpdate, form, locale, fields, optional=OPTIONAL, values=visit_ids
        )
        lesson_designs.update_design(session, user, design_id, data)
    except forms.FormErrors as exc:
        raise _refused(request, session, user, design_id, "design", form, exc.errors) from None
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, (*DESIGN_FIELDS, "visit_ids"), MESSAGES)
        raise _refused(request, session, user, design_id, "design", form, errors) from None
    except Conflict:
        # the newest version is shown in the form, with the message above it
        errors = {forms.GENERAL: i18n.gettext(locale, STALE)}
        raise _refused(request, session, user, design_id, "design", None, errors, 409) from None
    return RedirectResponse(f"/lesson-designs/{design_id}?done=saved", status_code=303)


@router.post("/lesson-designs/{design_id}/evaluation")
def evaluate(
    design_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    locale = locale_of(request)
    fields = ("worked", "to_change")
    try:
        data = forms.parse(EvaluationCreate, form, locale, fields)
        lesson_designs.evaluate(session, user, design_id, data)
    except forms.FormErrors as exc:
        raise _refused(request, session, user, design_id, "evaluation", form, exc.errors) from None
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, fields, MESSAGES)
        raise _refused(request, session, user, design_id, "evaluation", form, errors) from None
    return RedirectResponse(f"/lesson-designs/{design_id}?done=evaluated", status_code=303)


@router.post("/lesson-designs/{design_id}/quality-card")
def make_quality_card(
    design_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    locale = locale_of(request)
    fields = ("subject", "works")
    try:
        data = forms.parse(QualityCardCreate, form, locale, fields)
        lesson_designs.make_quality_card(session, user, design_id, data)
    except forms.FormErrors as exc:
        raise _refused(request, session, user, design_id, "card", form, exc.errors) from None
    except Conflict as exc:
        message = NOT_EVALUATED if exc.detail == lesson_designs.NOT_EVALUATED else HAS_CARD
        errors = {forms.GENERAL: i18n.gettext(locale, message)}
        raise _refused(request, session, user, design_id, "card", form, errors, 409) from None
    return RedirectResponse(f"/lesson-designs/{design_id}?done=card", status_code=303)


# --- the school's kwaliteitskaarten -------------------------------------------------------------


@router.get("/schools/{school_id}/kwaliteitskaarten")
def school_cards(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, q: str = ""
) -> Response:
    q = q[:200]
    school, cards = lesson_designs.school_cards(session, user, school_id, q)
    context = {
        **_layout(session, user),
        "school": school,
        "cards": cards,
        "q": q,
        # a member of the school shares a card with a leernetwerk they are in (after a preview)
        "networks": networks.my_networks(session, user)
        if school_role(session, user, school_id)
        else [],
    }
    return render(request, CARDS, context)
