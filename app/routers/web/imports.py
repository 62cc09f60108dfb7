"""The import page: a Trello board's JSON export onto a board (services/trello_import.py).

Choosing the file shows at once where each of its lists would go (htmx posts it to
…/import/trello/lists); the user changes what they like and imports. Without JavaScript the
import follows the proposal.
"""

from collections.abc import AsyncIterator
from typing import Any

from fastapi import Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Invalid, TooLarge
from app.models import Board
from app.routing import APIRouter
from app.services import trello_export, trello_import
from app.services.trello_export import TARGET_LABELS, Target, TrelloBoard
from app.templating import render
from app.web.forms import N_


async def close_uploads(request: Request) -> AsyncIterator[None]:
    """The sent file is closed however the answer ends (the form is read for its CSRF token
    before a board out of reach answers 404)."""
    try:
        yield
    finally:
        await request.close()


router = APIRouter(include_in_schema=False, dependencies=[Depends(close_uploads)])

TEMPLATE = "pages/imports/trello.html"
FIELD = "map-"  # a list's select: map-<list id>
MESSAGES = {
    "not_json": N_("Dit bestand is geen JSON-bestand. Kies de export van Trello."),
    "not_trello": N_("Dit is geen export van een Trello-bord."),
    "too_large": trello_export.TOO_LARGE_NOTICE,
    "no_file": N_("Kies een bestand."),
}


@router.get("/boards/{board_id}/import")
def import_page(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    board = trello_import.importable_board(session, user, board_id)
    return render(request, TEMPLATE, _context(board, None, None))


@router.post("/boards/{board_id}/import/trello/lists")
async def preview_lists(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The export's lists, each with its proposed place (a fragment of the page)."""
    board = trello_import.importable_board(session, user, board_id)
    export, error = await _read(request)
    context = _context(board, error, export)
    return render(request, TEMPLATE, context, block="mapping")  # htmx swaps it: 200


@router.post("/boards/{board_id}/import/trello")
async def import_trello(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    board = trello_import.importable_board(session, user, board_id)
    export, error = await _read(request)
    if export is None:
        return render(request, TEMPLATE, _context(board, error, None), status_code=422)
    form = await request.form()
    mapping = trello_export.proposal(export)
    for lst in export.lists:
        chosen = form.get(FIELD + lst.id)
        if isinstance(chosen, str) and chosen in Target.__members__:
            mapping[lst.id] = Target(chosen)
    report = trello_import.import_board(session, user, board_id, export, mapping)
    return render(request, "pages/imports/report.html", {"board": board, "report": report})


async def _read(request: Request) -> tuple[TrelloBoard | None, str | None]:
    """The export sent as `file`, or what is wrong with it."""
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None, "no_file"
    try:
        return trello_export.parse(await upload.read(trello_export.MAX_BYTES + 1)), None
    except TooLarge:
        return None, "too_large"
    except Invalid as exc:
        return None, exc.kind
    finally:
        await upload.close()


def _context(board: Board, error: str | None, export: TrelloBoard | None) -> dict[str, Any]:
    lists = []
    if export is not None:
        proposal = trello_export.proposal(export)
        counts = {lst.id: 0 for lst in export.lists}
        for card in export.cards:
            if card.idList in counts:
                counts[card.idList] += 1
        lists = [(lst, proposal[lst.id], counts[lst.id]) for lst in export.ordered_lists()]
    return {
        "board": board,
        "error": MESSAGES.get(error or "", MESSAGES["not_trello"]) if error else None,
        "lists": lists,
        "targets": TARGET_LABELS,
        "field": FIELD,
        "max_bytes": trello_export.MAX_BYTES,  # the page says so before it sends a larger file
        "too_large": MESSAGES["too_large"],
    }
