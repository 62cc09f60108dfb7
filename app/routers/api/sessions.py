"""The weekly stand-up (bordsessie): start it, keep its notes, end it, and the check-in."""

from fastapi import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.standup import CheckinCreate, StandUpPublic, StandUpStart, StandUpUpdate
from app.routing import APIRouter
from app.services import standups
from app.web.api_common import STALE, set_board_version, versioned

router = APIRouter(tags=["sessions"])


@router.post(
    "/boards/{board_id}/sessions",
    status_code=201,
    response_model=StandUpPublic,
    responses={
        **versioned(201, "This week's stand-up, started now"),
        200: {
            "model": StandUpPublic,
            "description": "This week's stand-up had already been started; it is returned as is",
            "headers": versioned(200)[200]["headers"],
        },
    },
)
def start_session(
    board_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
    data: StandUpStart | None = None,
) -> StandUpPublic:
    """Start this ISO week's stand-up (one per board per week).

    Without a `bordleider`, the team member after last week's one (in name order) is suggested.
    """
    stand_up, started = standups.start(session, user, board_id, data)
    if not started:
        response.status_code = 200
    set_board_version(response, session, stand_up.board_id)
    return standups.public(session, stand_up)


@router.get("/boards/{board_id}/sessions", response_model=list[StandUpPublic])
def list_sessions(board_id: IdPath, user: CurrentUser, session: SessionDep) -> list[StandUpPublic]:
    """The board's stand-ups, newest week first."""
    return [standups.public(session, s) for s in standups.history(session, user, board_id)]


@router.get("/sessions/{session_id}", response_model=StandUpPublic)
def get_session(session_id: IdPath, user: CurrentUser, session: SessionDep) -> StandUpPublic:
    stand_up, _ = standups.get_stand_up(session, user, session_id)
    return standups.public(session, stand_up)


@router.patch(
    "/sessions/{session_id}",
    response_model=StandUpPublic,
    responses={**versioned(200), **STALE},
)
def update_session(
    session_id: IdPath,
    data: StandUpUpdate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> StandUpPublic:
    """Change notes (merged per agenda part; an empty text removes one), attendance, roles,
    agenda, tip and top; `ended: true` ends it. Once ended, the answer carries a `summary`.
    Ending an ended session again changes nothing."""
    stand_up = standups.update(session, user, session_id, data)
    set_board_version(response, session, stand_up.board_id)
    return standups.public(session, stand_up)


@router.post(
    "/sessions/{session_id}/checkin",
    status_code=201,
    response_model=StandUpPublic,
    responses=versioned(201),
)
def check_in(
    session_id: IdPath,
    data: CheckinCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> StandUpPublic:
    """An anonymous check-in smiley (mood 1..5); the answer counts the votes per mood."""
    stand_up = standups.check_in(session, user, session_id, data)
    set_board_version(response, session, stand_up.board_id)
    return standups.public(session, stand_up)
