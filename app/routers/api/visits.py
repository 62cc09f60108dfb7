"""Lesson visits (lesbezoek + feedbackgesprek): read and written by their two teachers only."""

from fastapi import Response
from sqlmodel import SQLModel

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.notes import SuccessPublic
from app.models.visit import (
    FeedbackCreate,
    ReflectionCreate,
    VisitCreate,
    VisitPublic,
    VisitShare,
)
from app.routing import APIRouter
from app.services import visits
from app.web.api_common import (
    STALE,
    VersionQuery,
    no_content,
    set_board_version,
    versioned,
)

router = APIRouter(tags=["visits"])


class MyVisitPublic(SQLModel):
    id: int
    board_id: int
    board: str
    date: str
    group: str
    role: str  # "visitor" or "visited"
    other: str
    held: bool
    reflected: bool


@router.post(
    "/boards/{board_id}/visits",
    status_code=201,
    response_model=VisitPublic,
    responses=versioned(201),
)
def plan_visit(
    board_id: IdPath, data: VisitCreate, user: CurrentUser, session: SessionDep, response: Response
) -> VisitPublic:
    """Plan a lesbezoek: two members of the board's team, one of them you. The planning shows
    who visits whom and when; the kijkvraag (`question`) is read by the two of you only."""
    visit = visits.plan_visit(session, user, board_id, data)
    set_board_version(response, session, visit.board_id)
    return visits.visit_public(session, visit)


@router.get("/visits/{visit_id}", response_model=VisitPublic)
def read_visit(visit_id: IdPath, user: CurrentUser, session: SessionDep) -> VisitPublic:
    """The visit with its feedback and reflection: for its two teachers; 404 for anyone else."""
    visit, _board = visits.get_visit(session, user, visit_id)
    return visits.visit_public(session, visit)


@router.delete(
    "/visits/{visit_id}",
    status_code=204,
    response_class=Response,
    responses={**versioned(204), **STALE},
)
def cancel_visit(
    visit_id: IdPath, user: CurrentUser, session: SessionDep, version: VersionQuery = None
) -> Response:
    """Either teacher calls the visit off while it has not been held (409 once the feedback is
    written, or when `version` is stale)."""
    board = visits.cancel_visit(session, user, visit_id, version)
    return no_content(board.version)


@router.post(
    "/visits/{visit_id}/feedback",
    status_code=201,
    response_model=VisitPublic,
    responses=versioned(201),
)
def write_feedback(
    visit_id: IdPath,
    data: FeedbackCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> VisitPublic:
    """The visitor's feedback (what I saw or heard, its effect, a tip, a top), once: written
    again it is 409. For the visited teacher and anyone else: 404."""
    visit = visits.write_feedback(session, user, visit_id, data)
    set_board_version(response, session, visit.board_id)
    return visits.visit_public(session, visit)


@router.post(
    "/visits/{visit_id}/reflection",
    response_model=VisitPublic,
    responses=versioned(200),
)
def write_reflection(
    visit_id: IdPath,
    data: ReflectionCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> VisitPublic:
    """What the visited teacher takes from the feedback (once it is written)."""
    visit = visits.write_reflection(session, user, visit_id, data)
    set_board_version(response, session, visit.board_id)
    return visits.visit_public(session, visit)


@router.post(
    "/visits/{visit_id}/share",
    status_code=201,
    response_model=SuccessPublic,
    responses=versioned(201),
)
def share_success(
    visit_id: IdPath, data: VisitShare, user: CurrentUser, session: SessionDep, response: Response
) -> SuccessPublic:
    """A lesson learned, shared to the board as a success by either teacher: exactly `text`,
    linked to the visit's goal or action. Nothing else of the visit goes to the board."""
    success = visits.share_success(session, user, visit_id, data)
    set_board_version(response, session, success.board_id)
    return SuccessPublic.model_validate(success.model_dump())


@router.get("/me/visits", response_model=list[MyVisitPublic])
def my_visits(user: CurrentUser, session: SessionDep) -> list[MyVisitPublic]:
    """The visits you make and receive, by date."""
    return [
        MyVisitPublic(
            id=v.id,
            board_id=v.board_id,
            board=v.board,
            date=v.date.isoformat(),
            group=v.group,
            role="visitor" if v.visiting else "visited",
            other=v.other,
            held=v.held,
            reflected=v.reflected,
        )
        for v in visits.my_visits(session, user)
    ]
