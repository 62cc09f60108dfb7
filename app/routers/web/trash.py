"""The prullenbak page of a board, and restoring: from that page, or with "Ongedaan maken"
right after a delete on the board."""

from fastapi import Request
from starlette.responses import Response

from app import clock
from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Conflict
from app.handlers import Rejected
from app.models import BoardKind
from app.routing import APIRouter
from app.security import policy
from app.services import item_kinds, trash
from app.templating import render
from app.web import forms
from app.web.board_page import board_context, board_fragments
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
        board_id = trash.board_of(session, kind, item_id)
        if from_page or kind not in item_kinds.BY_NAME:
            context = {**_page_context(session, user, board_id), "refused": True}
            answer = fragments(request, TEMPLATE, context, ["entries"], status_code=409)
        else:
            board = policy.visible_board(session, user, board_id)
            section = item_kinds.BY_NAME[kind].section
            context = board_context(session, user, board)
            answer = board_fragments(request, context, [section], ["toasts"], status_code=409)
        raise Rejected(answer) from None
    if from_page or board.kind == BoardKind.care:
        context = {**_page_context(session, user, item.board_id), "restored": item_id}
        return fragments(request, TEMPLATE, context, ["entries"])
    area = item_kinds.BY_NAME[kind]
    context = board_context(session, user, board)
    return board_fragments(request, context, [area.section], ["version", "toasts"])
