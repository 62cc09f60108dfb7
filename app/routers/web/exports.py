"""The downloads of the pages: the leader overview's actions and a board's actions, as CSV for
the reader's spreadsheet program or as .xlsx (app/web/exports.py writes them)."""

from fastapi import Request
from starlette.responses import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.routing import APIRouter
from app.services import exports
from app.web.common import locale_of
from app.web.exports import board_download, school_download

router = APIRouter(include_in_schema=False)


@router.get("/schools/{school_id}/overview.csv")
def overview_csv(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """One row per action on the school's team boards."""
    export = exports.school_actions(session, user, school_id)
    return school_download(export, "csv", locale_of(request))


@router.get("/schools/{school_id}/overview.xlsx")
def overview_xlsx(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    export = exports.school_actions(session, user, school_id)
    return school_download(export, "xlsx", locale_of(request))


@router.get("/boards/{board_id}/actions.csv")
def board_actions_csv(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The board's actions, for whoever may open the board (never a care board's)."""
    export = exports.board_actions(session, user, board_id)
    return board_download(export, "csv", locale_of(request))


@router.get("/boards/{board_id}/actions.xlsx")
def board_actions_xlsx(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    export = exports.board_actions(session, user, board_id)
    return board_download(export, "xlsx", locale_of(request))
