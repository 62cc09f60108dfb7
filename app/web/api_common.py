"""What every API router shares: error bodies, documented answers and the board-version header."""

from typing import Annotated, Any

from fastapi import Query, Response
from sqlmodel import Session, SQLModel

from app.models import Board
from app.models.types import MAX_ID
from app.services import changes

BOARD_VERSION_HEADER = "X-Board-Version"

VersionQuery = Annotated[
    int | None,
    Query(ge=1, le=MAX_ID, description="The version last read; a stale one answers 409"),
]


class ErrorOut(SQLModel):
    detail: str


class ConflictOut(SQLModel):
    detail: str
    current: dict[str, Any] | None = None  # the row now; absent when the board is archived


# Answers any /api/v1 operation may give; FastAPI adds 422 itself where there is input.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not valid JSON text"},
    401: {"model": ErrorOut, "description": "No valid credentials"},
    403: {"model": ErrorOut, "description": "A cookie session without its CSRF token"},
    404: {"model": ErrorOut, "description": "Unknown, or outside your reach"},
    409: {"model": ErrorOut, "description": "The board (or team) is archived: read-only"},
    503: {
        "model": ErrorOut,
        "description": "Too busy now; nothing changed: send the same request again after "
        "`Retry-After` seconds",
        "headers": {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
        },
    },
}

STALE: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ConflictOut,
        "description": "Stale version (`current` is the row now), or the board is archived",
    }
}

VERSION_HEADER_DOC = {
    BOARD_VERSION_HEADER: {
        "description": "The board's version after this request",
        "schema": {"type": "integer"},
    }
}


def versioned(status: int, description: str = "") -> dict[int | str, dict[str, Any]]:
    """Document the X-Board-Version header on the success answer."""
    answer: dict[str, Any] = {"headers": VERSION_HEADER_DOC}
    if description:
        answer["description"] = description
    return {status: answer}


def board_version(session: Session, board_id: int) -> int:
    """The board's version as this unit of work left it."""
    version = changes.version_set(session, board_id)
    if version is not None:
        return version
    board = session.get(Board, board_id)
    return board.version if board is not None else 0


def set_board_version(response: Response, session: Session, board_id: int) -> None:
    response.headers[BOARD_VERSION_HEADER] = str(board_version(session, board_id))


def no_content(version: int) -> Response:
    return Response(status_code=204, headers={BOARD_VERSION_HEADER: str(version)})
