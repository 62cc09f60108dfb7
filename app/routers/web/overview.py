"""The leader overview pages: one school's overview, the roll-up of a bestuur, answering help
requests in place and marking holiday weeks (its downloads: routers/web/exports.py)."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Conflict, Invalid
from app.handlers import Rejected
from app.models import Board, School, Team, User
from app.models.care import CareSettingsUpdate
from app.models.holiday import HolidayWeekCreate
from app.models.notes import HelpAnswer
from app.models.rows import require_id
from app.routing import APIRouter
from app.security import policy
from app.services import care, care_settings, item_kinds, items, network_rollup
from app.services import overview as service
from app.templating import render
from app.web import forms
from app.web.common import FormDep, fragments, locale_of

router = APIRouter(include_in_schema=False)
TEMPLATE = "pages/overview/overview.html"


def page_context(
    session: Session, user: User, view: service.Overview, **extra: Any
) -> dict[str, Any]:
    return {
        "overview": view,
        "overview_url": service.overview_link(session, user),
        "networks": network_rollup.per_network(session, [view.school]),
        "error": None,
        **extra,
    }


@router.get("/overview")
def rollup(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """A bestuur: one line per school this user leads, each opening that school's overview."""
    totals = service.rollup(session, user)
    context = {
        "totals": totals,
        "networks": network_rollup.per_network(session, [t.school for t in totals]),
        "overview_url": service.overview_link(session, user),
    }
    return render(request, "pages/overview/rollup.html", context)


@router.get("/schools/{school_id}/overview")
def school_overview(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    view = service.overview(session, user, school_id)
    context = page_context(
        session,
        user,
        view,
        care_counts=care.case_counts(session, user, school_id).counts,
        privacy_officer=policy.is_privacy_officer(session, user, school_id),
        care_settings=care_settings.read(session, user, school_id),
        leaders=care_settings.school_leaders(session, user, school_id),
        retention_years=RETENTION_YEARS,
    )
    return render(request, TEMPLATE, context)


RETENTION_YEARS = (1, 2, 3, 5, 7, 10)


@router.post("/schools/{school_id}/care-settings")
def change_care_settings(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """The retention period of closed cases, full names, and who is a privacy officer."""
    try:
        years = int(form.get("retention_years", ""))
    except ValueError:
        years = 0
    if years not in RETENTION_YEARS:
        raise Invalid("retention_years", "choose one of the periods offered")
    full_names = form.get("full_names") == "1"
    care_settings.update(
        session,
        user,
        school_id,
        CareSettingsUpdate(retention_days=years * 365, full_names=full_names),
    )
    for leader, officer in care_settings.school_leaders(session, user, school_id):
        wanted = form.get(f"officer-{leader.id}") == "1"
        if wanted != officer:
            change = CareSettingsUpdate(privacy_officer=leader.email, privacy_officer_on=wanted)
            care_settings.update(session, user, school_id, change)
    return RedirectResponse(f"/schools/{school_id}/overview#ov-care", status_code=303)


def _team_card(
    request: Request, session: Session, board: Board, status_code: int = 200
) -> Response:
    """The team's card of the overview, as the answer to an htmx request from it."""
    team = session.get_one(Team, board.team_id)
    school = session.get_one(School, team.school_id)
    today = service.school_today(school)
    rows = service.team_rows(session, school, today, [require_id(team)])
    context = {
        "overview": service.Overview(
            school=school,
            today=today,
            finished_weeks=service.finished_weeks(today),
            teams=rows,
            attention=[],
            holidays=[],
        ),
        "row": rows[0],
    }
    return fragments(request, TEMPLATE, context, ["team"], status_code=status_code)


@router.post("/overview/help-requests/{item_id}/answer")
def answer_help_request(
    item_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """The same answer as on the board, given from the team's card on the overview."""
    _, board = items.get_item(session, user, item_kinds.HELP_REQUEST, item_id)
    try:
        data = forms.parse(
            HelpAnswer,
            form,
            locale_of(request),
            ("text", "version"),
            shown=("text",),
        )
        items.answer_help_request(session, user, item_id, data)
    except (forms.FormErrors, Invalid):
        raise Rejected(_team_card(request, session, board, 422)) from None
    except Conflict:
        # answered meanwhile, elsewhere: the card shows what still waits
        raise Rejected(_team_card(request, session, board, 409)) from None
    return _team_card(request, session, board)


@router.post("/schools/{school_id}/holiday-weeks")
def mark_holiday(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        data = forms.parse(HolidayWeekCreate, form, locale_of(request), ("week", "label"))
    except forms.FormErrors as exc:
        view = service.overview(session, user, school_id)
        error = next(iter(exc.errors.values()), "")
        context = page_context(session, user, view, error=error)
        raise Rejected(render(request, TEMPLATE, context, status_code=422)) from None
    service.mark_holiday(session, user, school_id, data)
    return _back_to_holidays(request, school_id)


@router.post("/schools/{school_id}/holiday-weeks/{week}/delete")
def unmark_holiday(
    school_id: IdPath, week: str, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    service.unmark_holiday(session, user, school_id, week)
    return _back_to_holidays(request, school_id)


def _back_to_holidays(request: Request, school_id: int) -> Response:
    """Back to the overview; the school's other open overviews follow through the bus."""
    return RedirectResponse(f"/schools/{school_id}/overview#ov-holidays", status_code=303)
