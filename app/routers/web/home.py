"""The start page: my schools, their teams and the boards I may open."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.deps import CurrentUser, SessionDep
from app.services import overview, schools
from app.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    listing = schools.home_listing(session, user)
    context = {
        "listing": listing,
        "overview_url": overview.overview_link(session, user),
        "managed": schools.led_school_ids(session, user),
        "is_admin": user.is_admin,
    }
    return render(request, "pages/home/home.html", context)
