"""The start page: my actions, my teams' sessions, answers to my help requests, the teams that
need a leader's attention, and my schools, teams and boards."""

from fastapi import Request
from starlette.responses import Response

from app.deps import CurrentUser, SessionDep
from app.routing import APIRouter
from app.services import home as service
from app.services import overview
from app.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    context = {
        "home": service.home(session, user),
        "overview_url": overview.overview_link(session, user),
        "led": {school.id for school in overview.led_schools(session, user)},
        "is_admin": user.is_admin,
    }
    return render(request, "pages/home/home.html", context)
