"""What only improvement actions do beyond every item's routes (routers/api/items.py): promote
an idea. Moving a card is an edit of its `status` and `position`."""

from fastapi import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.action import ActionPublic
from app.routing import APIRouter
from app.services import actions
from app.web.api_common import set_board_version, versioned

router = APIRouter(tags=["actions"])


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
