"""Improvement actions: create, edit or move (with the version last read), delete, promote."""

from fastapi import APIRouter, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.action import ActionCreate, ActionPublic, ActionUpdate
from app.services import actions
from app.web.api_common import STALE, VersionQuery, no_content, set_board_version, versioned

router = APIRouter(tags=["actions"])


@router.post(
    "/boards/{board_id}/actions",
    status_code=201,
    response_model=ActionPublic,
    responses=versioned(201),
)
def create_action(
    board_id: IdPath,
    data: ActionCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> ActionPublic:
    action = actions.create_action(session, user, board_id, data)
    set_board_version(response, session, action.board_id)
    return actions.public(session, action)


@router.patch(
    "/actions/{action_id}",
    response_model=ActionPublic,
    responses={**versioned(200), **STALE},
)
def update_action(
    action_id: IdPath,
    data: ActionUpdate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> ActionPublic:
    """Change any field, or move the card (`status` and/or `position` within its column)."""
    action = actions.update_action(session, user, action_id, data)
    set_board_version(response, session, action.board_id)
    return actions.public(session, action)


@router.delete(
    "/actions/{action_id}",
    status_code=204,
    response_class=Response,
    responses={**versioned(204), **STALE},
)
def delete_action(
    action_id: IdPath, user: CurrentUser, session: SessionDep, version: VersionQuery = None
) -> Response:
    board = actions.delete_action(session, user, action_id, version)
    return no_content(board.version)


@router.post(
    "/ideas/{idea_id}/promote",
    status_code=201,
    response_model=ActionPublic,
    responses=versioned(201),
)
def promote_idea(
    idea_id: IdPath, user: CurrentUser, session: SessionDep, response: Response
) -> ActionPublic:
    """The idea leaves the parking lot and becomes an action in Te doen."""
    action = actions.promote_idea(session, user, idea_id)
    set_board_version(response, session, action.board_id)
    return actions.public(session, action)
