"""The board's history: what changed, version by version."""

from typing import Annotated

from fastapi import Query

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.standup import EventPublic
from app.models.types import MAX_ID
from app.routing import APIRouter
from app.services import events

router = APIRouter(tags=["events"])

After = Annotated[int, Query(ge=0, le=MAX_ID, description="Only events after this version")]
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many events")]


@router.get("/boards/{board_id}/events", response_model=list[EventPublic])
def board_events(
    board_id: IdPath, user: CurrentUser, session: SessionDep, after: After = 0, limit: Limit = 500
) -> list[EventPublic]:
    """The board's events after version `after`, oldest first; `actor` is a name or null."""
    return events.board_events(session, user, board_id, after, limit)
