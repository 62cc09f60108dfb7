"""Display links of a board: the token path is shown once, when the link is made."""

from fastapi import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.rows import require_id
from app.models.screen import ScreenCreate, ScreenCreated, ScreenLink, ScreenPublic
from app.routing import APIRouter
from app.services import screens
from app.web.api_common import board_version, no_content

router = APIRouter(tags=["screens"])


@router.get("/boards/{board_id}/screens", response_model=list[ScreenPublic])
def list_screens(board_id: IdPath, user: CurrentUser, session: SessionDep) -> list[ScreenLink]:
    return screens.links_of(session, user, board_id)


@router.post("/boards/{board_id}/screens", status_code=201, response_model=ScreenCreated)
def create_screen(
    board_id: IdPath, data: ScreenCreate, user: CurrentUser, session: SessionDep
) -> ScreenCreated:
    token, row = screens.create(session, user, board_id, data.label)
    return ScreenCreated(
        id=require_id(row),
        board_id=row.board_id,
        label=row.label,
        created_at=row.created_at,
        path=screens.screen_path(token),
    )


@router.delete("/screens/{link_id}", status_code=204, response_class=Response)
def revoke_screen(link_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    """Revoke a display link: its open screens close on every instance."""
    link = screens.revoke(session, user, link_id)
    return no_content(board_version(session, link.board_id))
