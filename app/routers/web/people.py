"""The people page of a school: its leader changes roles and teams, unlocks and removes."""

from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.config import Settings
from app.deps import CurrentUser, IdPath, SessionDep, SettingsDep
from app.errors import Invalid
from app.handlers import Rejected
from app.models import Role, School, User
from app.models.people import PersonUpdate
from app.routing import APIRouter
from app.services import overview, people, schools
from app.templating import render
from app.web.common import locale_of
from app.web.forms import N_

router = APIRouter(include_in_schema=False)
TEMPLATE = "pages/people/people.html"

LAST_LEADER = N_(
    "Een school heeft altijd een schoolleider nodig. Maak eerst iemand anders schoolleider."
)
UNKNOWN_TEAM = N_("Kies alleen teams van deze school.")
BAD_ROLE = N_("Kies een van de rollen.")
DONE = {
    "saved": N_("De wijziging is opgeslagen."),
    "unlocked": N_("Ontgrendeld: deze collega kan weer inloggen."),
    "removed": N_("Deze collega heeft geen toegang meer tot de school."),
}


async def form_lists(request: Request) -> dict[str, list[str]]:
    """The form's values per name, several for checkboxes."""
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


FormLists = Annotated[dict[str, list[str]], Depends(form_lists)]


def _page(
    request: Request,
    session: Session,
    user: User,
    settings: Settings,
    school_id: int,
    *,
    errors: dict[int, dict[str, str]] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    listing = people.people_of(session, user, school_id, settings)
    message = DONE.get(done)
    context: dict[str, Any] = {
        "school": session.get(School, school_id),
        "people": listing,
        "teams": schools.teams_of(session, user, school_id),
        "errors": errors or {},
        "done": i18n.gettext(locale_of(request), message) if message else "",
        "overview_url": overview.overview_link(session, user),
    }
    return render(request, TEMPLATE, context, status_code=status_code)


@router.get("/schools/{school_id}/people")
def people_page(
    school_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    done: str = "",
) -> Response:
    return _page(request, session, user, settings, school_id, done=done)


def _back(school_id: int, done: str, user_id: int | None = None) -> Response:
    anchor = f"#person-{user_id}" if user_id else ""
    return RedirectResponse(f"/schools/{school_id}/people?done={done}{anchor}", status_code=303)


def _refused(
    request: Request,
    session: Session,
    user: User,
    settings: Settings,
    school_id: int,
    user_id: int,
    field: str,
    message: str,
) -> Rejected:
    """The page again, with the message next to the person's field; nothing changed."""
    errors = {user_id: {field: i18n.gettext(locale_of(request), message)}}
    page = _page(request, session, user, settings, school_id, errors=errors, status_code=422)
    return Rejected(page)


@router.post("/schools/{school_id}/people/{user_id}")
def change_person(
    school_id: IdPath,
    user_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    form: FormLists,
) -> Response:
    refuse = (request, session, user, settings, school_id, user_id)
    try:
        team_ids = [int(t) for t in form.get("team_ids", []) if t.strip()]
    except ValueError:
        raise _refused(*refuse, "team_ids", UNKNOWN_TEAM) from None
    try:
        data = PersonUpdate.model_validate(
            {"role": (form.get("role") or [""])[0], "team_ids": team_ids}
        )
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        raise _refused(*refuse, field, BAD_ROLE if field == "role" else UNKNOWN_TEAM) from None
    try:
        people.update_person(session, user, school_id, user_id, data)
    except Invalid as exc:
        message = LAST_LEADER if exc.field == "role" else UNKNOWN_TEAM
        raise _refused(*refuse, exc.field, message) from None
    if user_id == user.id and data.role not in (None, Role.leader) and not user.is_admin:
        return RedirectResponse("/", status_code=303)  # stepped down: no longer theirs to manage
    return _back(school_id, "saved", user_id)


@router.post("/schools/{school_id}/people/{user_id}/unlock")
def unlock_person(
    school_id: IdPath, user_id: IdPath, user: CurrentUser, session: SessionDep
) -> Response:
    people.unlock(session, user, school_id, user_id)
    return _back(school_id, "unlocked", user_id)


@router.post("/schools/{school_id}/people/{user_id}/remove")
def remove_person(
    school_id: IdPath,
    user_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    try:
        people.remove(session, user, school_id, user_id)
    except Invalid:
        refuse = (request, session, user, settings, school_id, user_id)
        raise _refused(*refuse, "remove", LAST_LEADER) from None
    if user_id == user.id and not user.is_admin:
        return RedirectResponse("/", status_code=303)
    return _back(school_id, "removed")
