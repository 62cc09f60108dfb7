"""A whole board in one answer: its goals, actions (by column) and the smaller items."""

from datetime import date
from typing import Any

from fastapi import Request, Response
from pydantic import create_model
from sqlmodel import SQLModel

from app import clock
from app.db import Database
from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import NotFound
from app.models.board import Board, BoardKind, BoardPublic, BoardUpdate
from app.models.lesson_design import PlannedDesignPublic
from app.models.rows import require_id
from app.models.visit import PlannedVisitPublic
from app.realtime import reads
from app.routing import APIRouter
from app.security.policy import BoardRead
from app.services import boards
from app.services.board_view import BoardView, load_board
from app.services.item_kinds import KINDS
from app.web.api_common import STALE, set_board_version, versioned
from app.web.reads import answer, cached_read

router = APIRouter(tags=["boards"])


class BoardHeading(SQLModel):
    id: int
    team_id: int
    title: str
    kind: BoardKind
    version: int
    archived: bool = False


# The heading, then each kind's list under its key (services/item_kinds.py), then what else the
# planning shows: the lesbezoeken (names and dates only) and the lesson designs (title and day).
_LISTS: dict[str, Any] = {
    **{kind.key: (list[kind.public], ...) for kind in KINDS},  # type: ignore[name-defined]
    "visits": (list[PlannedVisitPublic], []),
    "lesson_designs": (list[PlannedDesignPublic], []),
}
BoardDetail = create_model("BoardDetail", __base__=BoardHeading, **_LISTS)


def board_detail(view: BoardView) -> BoardHeading:
    """Each kind's list in its section's order (the actions by column: todo, doing, done)."""
    board = view.board
    lists: dict[str, Any] = {
        **{kind.key: kind.board_json(view.items[kind.key], view.today) for kind in KINDS},
        "visits": [PlannedVisitPublic.model_validate(v, from_attributes=True) for v in view.visits],
        "lesson_designs": [
            PlannedDesignPublic(id=d.id, date=d.date, title=d.design_title, evaluated=d.evaluated)
            for d in view.lesson_designs
        ],
    }
    return BoardDetail(
        id=require_id(board),
        team_id=board.team_id,
        title=board.title,
        kind=board.kind,
        version=board.version,
        archived=board.archived,
        **lists,
    )


def board_json(db: Database, board_id: int, today: date) -> reads.Json:
    """The board's JSON as it is now, encoded once (the response model is for the docs)."""
    with db.session(write=False) as session:
        board = session.get(Board, board_id)
        if board is None:  # deleted since the read that asked
            raise NotFound()
        body = board_detail(load_board(session, board, today=today)).model_dump_json().encode()
        etag = f'W/"{board.id}-{board.version}.json.{today.isoformat()}"'
        return reads.json_entry(board.version, etag, body)


@router.get("/boards/{board_id}", response_model=BoardDetail, responses=versioned(200))
async def read_board(board_id: IdPath, request: Request) -> Response:
    """The whole board. The answer carries an `ETag`; send it back in `If-None-Match` and an
    unchanged board answers 304 without a body."""
    cache = request.app.state.board_reads.cache

    def key_of(found: BoardRead) -> tuple:
        return ("json", clock.today(clock.zone(found.time_zone)))  # `late` depends on the day

    def cached(found: BoardRead) -> reads.Json | None:
        entry = cache.get(board_id, key_of(found), found.version)
        return entry if isinstance(entry, reads.Json) else None

    def render(found: BoardRead) -> reads.Json:
        key = key_of(found)
        entry = board_json(request.app.state.db, board_id, key[1])
        cache.put(board_id, key, entry)
        return entry

    _found, entry = await cached_read(request, board_id, page=False, cached=cached, render=render)
    if not isinstance(entry, reads.Json):
        return entry
    return answer(
        request, entry.version, entry.etag, "application/json", lambda: entry.body, lambda: entry.gz
    )


@router.patch(
    "/boards/{board_id}",
    response_model=BoardPublic,
    responses={**versioned(200), **STALE},
)
def update_board(
    board_id: IdPath, data: BoardUpdate, user: CurrentUser, session: SessionDep, response: Response
) -> Board:
    """Rename (`title`), archive (`archived: true`: the board becomes read-only, every change
    of it answers 409) or restore (`archived: false`). The school's leader, or an admin; a care
    board's own members. With `version`, a board changed since answers 409."""
    board = boards.update_board(session, user, board_id, data)
    set_board_version(response, session, require_id(board))
    return board
