"""The prullenbak: what was deleted from a board in the last 30 days, and restoring it."""

from datetime import datetime
from typing import Any

from fastapi import Response
from sqlmodel import SQLModel

from app import clock
from app.deps import CurrentUser, IdPath, SessionDep
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import trash
from app.web.api_common import STALE, VersionQuery, set_board_version, versioned

router = APIRouter(tags=["prullenbak"])


class TrashEntryPublic(SQLModel):
    kind: str  # action, goal, success, plan-item, idea, help-request; case, agreement (care)
    id: int
    text: str
    deleted_at: datetime
    deleted_by: str | None
    version: int  # the version to name when restoring it


@router.get("/boards/{board_id}/trash", response_model=list[TrashEntryPublic])
def board_trash(board_id: IdPath, user: CurrentUser, session: SessionDep) -> list[Any]:
    """What was deleted from the board in the last 30 days, newest first (its members; a care
    board's prullenbak only for the care board's members)."""
    return [
        TrashEntryPublic.model_validate(entry, from_attributes=True)
        for entry in trash.entries(session, user, board_id, clock.now())
    ]


@router.post(
    "/trash/{kind}/{item_id}/restore",
    responses={**versioned(200), **STALE},
)
def restore(
    kind: str,
    item_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
    version: VersionQuery = None,
) -> Any:
    """The item back on its board, as it was. With `version` (as listed), 409 when it was
    restored or changed meanwhile; an unknown kind, or an item out of reach, is 404."""
    item, board = trash.restore(session, user, kind, item_id, version)
    set_board_version(response, session, require_id(board))
    return trash.answer(session, kind, item)
