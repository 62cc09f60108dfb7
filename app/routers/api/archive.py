"""A board's archive (services/archive.py): read it, archive an action, restore an item."""

from typing import Annotated, Any

from fastapi import Path, Query, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.action import ActionPublic
from app.models.archive import ArchivedPublic, ArchiveQuery
from app.models.notes import SuccessPublic
from app.routing import APIRouter
from app.services import archive
from app.services.item_kinds import ACTION
from app.web.api_common import STALE, VersionQuery, set_board_version, versioned

router = APIRouter(tags=["archive"])

KindPath = Annotated[str, Path(max_length=40, description="`action` or `success`")]
TOTAL_HEADER = "X-Total-Count"


@router.get(
    "/boards/{board_id}/archive",
    response_model=list[ArchivedPublic],
    responses={
        200: {
            "headers": {
                TOTAL_HEADER: {
                    "description": "How many items meet the filters, on all pages",
                    "schema": {"type": "integer"},
                }
            }
        }
    },
)
def read_archive(
    board_id: IdPath,
    query: Annotated[ArchiveQuery, Query()],
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> list[ArchivedPublic]:
    """The board's archived actions and successes, the most recently archived first, 50 a
    page. `q` looks in the text and an action's owner; `from` and `to` are days of the
    archive date. Not for care boards (404)."""
    page = archive.read(session, user, board_id, query)
    response.headers[TOTAL_HEADER] = str(page.total)
    return [entry.public() for entry in page.entries]


@router.post(
    "/actions/{action_id}/archive",
    response_model=ActionPublic,
    responses={**versioned(200), **STALE},
)
def archive_action(
    action_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
    version: VersionQuery = None,
) -> Any:
    """Any action leaves the board for its archive. 409 when it is there already."""
    action = archive.archive_action(session, user, action_id, version)
    set_board_version(response, session, action.board_id)
    return ACTION.answer(session, action)


@router.post(
    "/archive/{kind}/{item_id}/restore",
    response_model=ActionPublic | SuccessPublic,
    responses={**versioned(200), **STALE},
)
def restore(
    kind: KindPath, item_id: IdPath, user: CurrentUser, session: SessionDep, response: Response
) -> Any:
    """The item back on the board (an action at the end of its column); 409 when it is not
    in the archive (any more). An unknown `kind` is 404."""
    item_kind = archive.archivable(kind)
    item = archive.restore(session, user, item_kind, item_id)
    set_board_version(response, session, item.board_id)
    return item_kind.answer(session, item)
