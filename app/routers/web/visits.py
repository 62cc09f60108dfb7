"""Lesson visits on the web: plan one from the board, the visit's own page (feedback,
reflection, a lesson learned shared as a success after a preview) and "Mijn lesbezoeken"."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Conflict, Invalid
from app.handlers import Rejected
from app.models import User
from app.models.visit import FeedbackCreate, ReflectionCreate, VisitCreate, VisitShare
from app.routing import APIRouter
from app.services import overview, visits
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.forms import N_

router = APIRouter(include_in_schema=False)
NEW = "pages/visits/new.html"
VISIT = "pages/visits/visit.html"
MINE = "pages/visits/mine.html"

PLAN_FIELDS = ("visitor_id", "visited_id", "date", "group", "goal_id", "action_id", "question")
FEEDBACK_FIELDS = ("seen", "effect", "tip", "top")
PLAN_MESSAGES: forms.Overrides = {
    ("visitor_id", "not_in_team"): N_("Kies iemand uit het team van dit bord."),
    ("visited_id", "not_in_team"): N_("Kies iemand uit het team van dit bord."),
    ("visited_id", "same_teacher"): N_("Kies een ander dan wie op bezoek gaat."),
    ("visitor_id", "not_taking_part"): N_("Plan een lesbezoek waar je zelf bij bent."),
}
NO_FEEDBACK_YET = N_("Wacht met je reflectie tot de feedback er is.")
FEEDBACK_WRITTEN = N_("De feedback is al geschreven.")
DONE = {
    "planned": N_("Het lesbezoek staat op de planning."),
    "feedback": N_("Je feedback is opgeslagen. Alleen jullie tweeën lezen hem."),
    "reflection": N_("Je reflectie is opgeslagen."),
    "shared": N_("Gedeeld op het bord als succes."),
    "cancelled": N_("Het lesbezoek is afgezegd."),
}


def _layout(session: Session, user: User) -> dict[str, Any]:
    return {"overview_url": overview.overview_link(session, user)}


# --- planning -----------------------------------------------------------------------------------


def _new_page(
    request: Request,
    session: Session,
    user: User,
    board_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    choices = visits.planning_choices(session, user, board_id)
    context = {
        **_layout(session, user),
        "choices": choices,
        "board": choices.board,
        "values": values or {"visitor_id": user.id},
        "errors": errors or {},
    }
    return render(request, NEW, context, status_code=status_code)


@router.get("/boards/{board_id}/visits/new")
def new_visit(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    return _new_page(request, session, user, board_id)


@router.post("/boards/{board_id}/visits")
def plan_visit(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    locale = locale_of(request)
    optional = ("goal_id", "action_id")
    try:
        data = forms.parse(VisitCreate, form, locale, PLAN_FIELDS, optional=optional)
        visit = visits.plan_visit(session, user, board_id, data)
    except forms.FormErrors as exc:
        errors = exc.errors
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, PLAN_FIELDS, PLAN_MESSAGES)
    else:
        return RedirectResponse(f"/visits/{visit.id}?done=planned", status_code=303)
    page = _new_page(request, session, user, board_id, values=form, errors=errors, status_code=422)
    raise Rejected(page)


# --- the visit's page ---------------------------------------------------------------------------


def _visit_page(
    request: Request,
    session: Session,
    user: User,
    visit_id: int,
    *,
    part: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    preview: str = "",
    done: str = "",
    status_code: int = 200,
) -> Response:
    visit, board = visits.get_visit(session, user, visit_id)
    message = DONE.get(done)
    context = {
        **_layout(session, user),
        "visit": visits.visit_public(session, visit),
        "board": board,
        "me": user,
        "part": part,  # the form the values and errors are of
        "values": values or {},
        "errors": errors or {},
        "preview": preview,
        "done": i18n.gettext(locale_of(request), message) if message else "",
    }
    return render(request, VISIT, context, status_code=status_code)


@router.get("/visits/{visit_id}")
def visit_page(
    visit_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, done: str = ""
) -> Response:
    return _visit_page(request, session, user, visit_id, done=done)


def _refused(
    request: Request,
    session: Session,
    user: User,
    visit_id: int,
    part: str,
    form: dict[str, str],
    errors: dict[str, str],
) -> Rejected:
    page = _visit_page(
        request, session, user, visit_id, part=part, values=form, errors=errors, status_code=422
    )
    return Rejected(page)


def _message(request: Request, text: str) -> dict[str, str]:
    return {forms.GENERAL: i18n.gettext(locale_of(request), text)}


@router.post("/visits/{visit_id}/feedback")
def write_feedback(
    visit_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        data = forms.parse(FeedbackCreate, form, locale_of(request), FEEDBACK_FIELDS)
        visits.write_feedback(session, user, visit_id, data)
    except forms.FormErrors as exc:
        raise _refused(request, session, user, visit_id, "feedback", form, exc.errors) from None
    except Conflict:
        errors = _message(request, FEEDBACK_WRITTEN)
        raise _refused(request, session, user, visit_id, "feedback", form, errors) from None
    return RedirectResponse(f"/visits/{visit_id}?done=feedback", status_code=303)


@router.post("/visits/{visit_id}/reflection")
def write_reflection(
    visit_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        data = forms.parse(ReflectionCreate, form, locale_of(request), ("text",))
        visits.write_reflection(session, user, visit_id, data)
    except forms.FormErrors as exc:
        raise _refused(request, session, user, visit_id, "reflection", form, exc.errors) from None
    except Invalid:
        errors = _message(request, NO_FEEDBACK_YET)
        raise _refused(request, session, user, visit_id, "reflection", form, errors) from None
    return RedirectResponse(f"/visits/{visit_id}?done=reflection", status_code=303)


@router.post("/visits/{visit_id}/share")
def share_success(
    visit_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """Two steps: `preview` shows exactly the text that will be shared; `confirm` shares it
    (`edit` goes back to the form with the text)."""
    try:
        data = forms.parse(VisitShare, form, locale_of(request), ("text",))
    except forms.FormErrors as exc:
        raise _refused(request, session, user, visit_id, "share", form, exc.errors) from None
    step = form.get("step")
    if step != "confirm":
        preview = data.text if step == "preview" else ""
        return _visit_page(
            request, session, user, visit_id, part="share", values=form, preview=preview
        )
    visits.share_success(session, user, visit_id, data)
    return RedirectResponse(f"/visits/{visit_id}?done=shared", status_code=303)


@router.post("/visits/{visit_id}/cancel")
def cancel_visit(visit_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    visits.cancel_visit(session, user, visit_id, None)
    return RedirectResponse("/visits?done=cancelled", status_code=303)


# --- mine ---------------------------------------------------------------------------------------


@router.get("/visits")
def my_visits(request: Request, user: CurrentUser, session: SessionDep, done: str = "") -> Response:
    mine = visits.my_visits(session, user)
    message = DONE.get(done)
    context = {
        **_layout(session, user),
        "done": i18n.gettext(locale_of(request), message) if message else "",
        "upcoming": [v for v in mine if v.upcoming],
        "feedback_due": [v for v in mine if v.feedback_due],
        "past": [v for v in reversed(mine) if not v.upcoming and not v.feedback_due],
    }
    return render(request, MINE, context)
