"""The prullenbak page of a board, and restoring: from that page, or with "Ongedaan maken"
right after a delete on the board."""

from fastapi import Request
from starlette.responses import Response

from app import clock
from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Conflict
from app.handlers import Rejected
from app.models import Board, BoardKind
from app.models.item import BoardItem
from app.routing import APIRouter
from app.security import policy
from app.services import item_kinds, trash
from app.templating import render
from app.web import forms
from app.web.board_page import board_context, board_fragments
from app.web.care_page import undo_answer
from app.web.common import FormDep, fragments

router = APIRouter(include_in_schema=False)

TEMPLATE = "pages/board/trash.html"


def _page_context(session: SessionDep, user: CurrentUser, board_id: int) -> dict:
    board = policy.visible_board(session, user, board_id)
    now = clock.now()
    entries = trash.entries(session, user, board_id, now)
    return {"board": board, "entries": entries, "kept_for": trash.KEPT_FOR.days}


@router.get("/boards/{board_id}/trash")
def trash_page(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    return render(request, TEMPLATE, _page_context(session, user, board_id))


@router.post("/trash/{kind}/{item_id}/restore")
def restore(
    kind: str,
    item_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    form: FormDep,
) -> Response:
    """From the prullenbak page (`from=trash`): the list again, with what happened. From the
    undo on the board: the item's section, and the undo gone."""
    version = forms.whole_number(form.get("version"))
    from_page = form.get("from") == "trash"
    try:
        item, board = trash.restore(session, user, kind, item_id, version)
    except Conflict:
        # restored (or changed) meanwhile, on another screen: show how things are now
        item = trash.item_of(session, kind, item_id)
        board = policy.visible_board(session, user, item.board_id)
        if from_page:
            context = {**_page_context(session, user, item.board_id), "refused": True}
            answer: Response = fragments(request, TEMPLATE, context, ["entries"], status_code=409)
        else:
            answer = _board_answer(request, session, user, board, kind, item, status_code=409)
        raise Rejected(answer) from None
    if from_page:
        context = {**_page_context(session, user, item.board_id), "restored": item_id}
        return fragments(request, TEMPLATE, context, ["entries"])
    return _board_answer(request, session, user, board, kind, item)


def _board_answer(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    board: Board,
    kind: str,
    item: BoardItem,
    status_code: int = 200,
) -> Response:
    """The undo's answer on the board: what the item is back in, and the toast gone."""
    if board.kind == BoardKind.care:
        return undo_answer(request, session, board, item, status_code=status_code)
    section = item_kinds.BY_NAME[kind].section
    context = board_context(session, user, board)
    oob = ["version", "toasts"] if status_code == 200 else ["toasts"]
    return board_fragments(request, context, [section], oob, status_code=status_code)
