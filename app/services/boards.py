"""A board's own life: renamed, archived (read-only) and restored.

Each is a change of the board like any other (services/changes.py): its version goes up, an
event is recorded and open screens follow: a new title reaches the header of every screen, an
archived board loses its edit controls everywhere and shows that it is archived.
"""

from datetime import datetime

from sqlmodel import Session

from app import clock
from app.errors import Conflict, Invalid
from app.models import Board, User
from app.models.board import BoardPublic, BoardUpdate
from app.security import policy
from app.services import changes, item_kinds

ENTITY = "board"
TITLE_SECTIONS = ("heading",)  # the title and the archived banner
# Archiving or restoring changes what every section may offer: all of them are sent again.
ALL_SECTIONS = item_kinds.SECTIONS


def update_board(session: Session, user: User, board_id: int, data: BoardUpdate) -> Board:
    """Rename, archive or restore; with `version`, refused (409) when the board has changed
    since. A rename of an archived board is refused unless the same request restores it."""
    board = policy.managed_board(session, user, board_id)
    asked = data.model_dump(exclude_unset=True, exclude={"version"})
    if "title" in asked and asked["title"] is None:
        raise Invalid("title", "may not be empty", kind="missing")
    rename = asked.get("title") is not None and asked["title"] != board.title
    archive = asked.get("archived")
    toggles = archive is not None and archive != board.archived
    if not (rename or toggles):
        _check_version(board, data.version, board.version)
        return board
    version = changes.begin(session, board, archived_ok=True)
    _check_version(board, data.version, version - 1)
    if archive is False and board.archived:
        board.archived_at = None
    if rename:
        policy.writable(board)
        board.title = asked["title"]
    if archive and not board.archived:
        board.archived_at = clock.now()
    session.add(board)
    session.flush()
    if toggles:
        kind = "archived" if archive else "restored"
        changes.record(session, board, user, kind, ENTITY, board.id, ALL_SECTIONS)
    else:
        changes.record(session, board, user, "renamed", ENTITY, board.id, TITLE_SECTIONS)
    return board


def set_archived(session: Session, user: User | None, board: Board, when: datetime | None) -> None:
    """Archive (`when` an instant) or restore (`when` None) one board, as a change of it;
    a team's archive does this for each of its boards."""
    changes.begin(session, board, archived_ok=True)
    board.archived_at = when
    session.add(board)
    session.flush()
    kind = "archived" if when else "restored"
    changes.record(session, board, user, kind, ENTITY, board.id, ALL_SECTIONS)


def _check_version(board: Board, asked: int | None, current: int) -> None:
    if asked is not None and asked != current:
        public = BoardPublic.model_validate(board).model_dump(mode="json")
        raise Conflict(current={**public, "version": current}, detail="This board was changed")
