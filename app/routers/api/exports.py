"""Downloads of actions: the leader overview's (a school's) and a board's, as CSV or .xlsx.

The headers, status words and separator follow the token's user's language (`;` and Dutch for
"nl"); dates and times are the school's. A care board's actions are never exported (404).
"""

from typing import Any

from fastapi import Request
from starlette.responses import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.routing import APIRouter
from app.services import exports
from app.web.common import locale_of
from app.web.exports import MEDIA_TYPES, board_download, school_download

router = APIRouter(tags=["exports"])


def _file(fmt: str, what: str) -> dict[int | str, dict[str, Any]]:
    binary = {"type": "string", "format": "binary"}
    media = MEDIA_TYPES[fmt].split(";")[0]
    return {
        200: {
            "description": f"{what}, as an attachment with its file name",
            "content": {media: {"schema": binary}},
            "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
        }
    }


SCHOOL = "One row per action on the school's team boards"
BOARD = "The board's actions: wat, wie, wanneer, status, goal, created, finished"


@router.get(
    "/schools/{school_id}/overview.csv", response_class=Response, responses=_file("csv", SCHOOL)
)
def overview_csv(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The leader overview's actions as CSV (the school's leader)."""
    export = exports.school_actions(session, user, school_id)
    return school_download(export, "csv", locale_of(request))


@router.get(
    "/schools/{school_id}/overview.xlsx", response_class=Response, responses=_file("xlsx", SCHOOL)
)
def overview_xlsx(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The leader overview's actions as a workbook (the school's leader)."""
    export = exports.school_actions(session, user, school_id)
    return school_download(export, "xlsx", locale_of(request))


@router.get(
    "/boards/{board_id}/actions.csv", response_class=Response, responses=_file("csv", BOARD)
)
def board_actions_csv(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The board's actions as CSV (whoever may open the board)."""
    export = exports.board_actions(session, user, board_id)
    return board_download(export, "csv", locale_of(request))


@router.get(
    "/boards/{board_id}/actions.xlsx", response_class=Response, responses=_file("xlsx", BOARD)
)
def board_actions_xlsx(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The board's actions as a workbook (whoever may open the board)."""
    export = exports.board_actions(session, user, board_id)
    return board_download(export, "xlsx", locale_of(request))
