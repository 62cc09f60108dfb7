"""The board's archive page, "Archiveren" on an action's card and "Terugzetten" in the archive;
the rules are services/archive.py's."""

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from pydantic import ValidationError
from starlette.responses import Response

from app import clock
from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Conflict, Invalid
from app.handlers import Rejected
from app.models.archive import ArchiveQuery
from app.routing import APIRouter
from app.services import archive
from app.services.item_kinds import ACTION
from app.services.school_time import board_zone
from app.templating import render
from app.web import forms
from app.web.board_page import board_context, board_fragments
from app.web.common import FormDep, locale_of

router = APIRouter(include_in_schema=False)

TEMPLATE = "pages/archive/archive.html"
FILTERS = ("q", "kind", "goal_id", "owner", "from", "to")


@router.get("/boards/{board_id}/archive")
def archive_page(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """Searchable and filterable, 50 a page; every item with its "Terugzetten"."""
    board = archive.archive_board(session, user, board_id)
    values = {k: v for k, v in request.query_params.items() if k in (*FILTERS, "page") and v}
    errors: dict[str, str] = {}
    try:
        query = ArchiveQuery.model_validate(values)
        page = archive.read(session, user, board_id, query)
    except ValidationError as exc:
        errors = forms.messages(list(exc.errors()), locale_of(request), FILTERS)
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale_of(request), FILTERS)
    if errors:
        page = archive.Page([], 0, 1)
    tz = board_zone(session, board)

    def page_url(number: int) -> str:
        kept = {k: v for k, v in values.items() if k != "page"}
        return f"/boards/{board_id}/archive?" + urlencode({**kept, "page": number})

    context: dict[str, Any] = {
        "board": board,
        "page": page,
        "values": values,
        "errors": errors,
        "filtered": any(k in values for k in FILTERS),
        "owners": archive.owners(session, board),
        "goal_titles": archive.goal_titles(session, board),
        "page_url": page_url,
        "local_day": lambda instant: clock.local(instant, tz).date(),
    }
    return render(request, TEMPLATE, context, status_code=422 if errors else 200)


@router.post("/actions/{action_id}/archive")
def archive_action(
    action_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """'Archiveren' in a card's menu: the actions as they are after it (or, when it was
    archived meanwhile, as they stand)."""
    _action, board = archive.reach(session, user, ACTION, action_id)
    try:
        archive.archive_action(session, user, action_id, forms.whole_number(form.get("version")))
    except Conflict:
        context = board_context(session, user, board, ("actions",))
        raise Rejected(board_fragments(request, context, ["actions"], status_code=409)) from None
    context = board_context(session, user, board, ("actions",))
    return board_fragments(request, context, ["actions"], ["version"])


@router.post("/archive/{kind}/{item_id}/restore")
def restore(
    kind: str, item_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """'Terugzetten': the item's row in the archive becomes the message that it is back."""
    item_kind = archive.archivable(kind)
    _item, board = archive.reach(session, user, item_kind, item_id)
    context: dict[str, Any] = {"board": board, "kind": item_kind, "item_id": item_id}
    try:
        item = archive.restore(session, user, item_kind, item_id)
    except Conflict as exc:
        current = exc.current
        text = getattr(current, item_kind.text, "") if current is not None else ""
        context |= {"text": text, "already": True}
        raise Rejected(
            render(request, TEMPLATE, context, block="restored", status_code=409)
        ) from None
    context |= {"text": item_kind.text_of(item), "already": False}
    return render(request, TEMPLATE, context, block="restored")
