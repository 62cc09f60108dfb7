"""The single way a board changes: lock and bump its version, record the event, queue the push.

Every mutating service calls `begin` before touching rows (the version bump takes the board's
row lock, so concurrent edits of one board queue here) and `record` once the rows are written.
The session dependency publishes the queued changes after the transaction commits.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import Row, Update, bindparam, insert, select, update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, col

from app import clock
from app.errors import NotFound
from app.models import Board, BoardEvent, User, prebuilt
from app.models.change import BoardChange
from app.models.rows import require_id
from app.security import policy
from app.services import webhook_events

# Set on a connection whose transactions take the database's write lock when they begin
# (SQLite's BEGIN IMMEDIATE, app/db.py).
WRITE_LOCKED = "write_locked"
# Set on a unit of work's session (app/db.py): which boards' changes carry the cards they wrote
# (`BoardChange.cards`), a test of the board's id. Those a hub in this process hears from an
# in-process bus and has screens of: over Redis the cards are not sent, and with nobody
# watching nobody renders them, so reading them would be wasted.
CARRIES_CARDS = "carries_cards"

_BUMP = (
    update(Board)
    .where(col(Board.id) == bindparam("board_id"))
    .values(version=col(Board.version) + 1)
    .returning(col(Board.version), col(Board.archived_at))
)
_EVENT = insert(BoardEvent)


def begin(session: Session, board: Board, *, archived_ok: bool = False) -> int:
    """Bump the board's version under its row lock and return the new version.

    An archived board refuses the change (policy.writable), unless the change is one that
    keeps applying to it (`archived_ok`: restoring it, revoking a display link, retention)."""
    return hold(session, board, _bumped(session, _BUMP, board_id=board.id), archived_ok=archived_ok)


def lock_board_of(session: Session, model: type[SQLModel], row_id: int) -> Row:
    """`begin`'s first half for a change to a row not yet read: bump the version of the board
    the row lies on, so that its lock is taken before the row is read and the read sees what a
    request that took the lock first wrote. Finish with `hold` once the row and its board are
    read (and found within the user's reach: else the rollback undoes the bump)."""
    return _bumped(session, _bump_board_of(model), row_id=row_id)


def hold(session: Session, board: Board, bumped: Row, *, archived_ok: bool = False) -> int:
    """The board as `begin` leaves it: its new version known, writable, held to the end."""
    version: int = bumped.version
    set_committed_value(board, "version", version)
    set_committed_value(board, "archived_at", bumped.archived_at)
    if not archived_ok:
        policy.writable(board)
    # held for the rest of the unit of work: the session holds rows weakly, and the answer
    # (its X-Board-Version, the item's place and day) reads the board again
    session.info.setdefault("locked_boards", {})[board.id] = board
    return version


def _bumped(session: Session, bump: Update, **params: int | None) -> Row:
    bumped = prebuilt.first(session, bump, **params)
    if bumped is None:
        raise NotFound()  # deleted for good meanwhile
    return bumped


@cache
def _bump_board_of(model: type[SQLModel]) -> Update:
    board_of_row = select(model.board_id).where(model.id == bindparam("row_id"))  # type: ignore[attr-defined]
    return (
        update(Board)
        .where(col(Board.id) == board_of_row.scalar_subquery())
        .values(version=col(Board.version) + 1)
        .returning(col(Board.version), col(Board.archived_at))
    )


def begin_on(session: Session, board: Board, row: object, *, archived_ok: bool = False) -> int:
    """`begin`, then read `row` (read by this unit of work) again under the board's lock: what
    a request that took the lock first wrote is what this one sees. A row deleted meanwhile
    (into the prullenbak, or erased) is out of reach: 404, as it is to everyone from now on."""
    version = begin(session, board, archived_ok=archived_ok)
    if session.connection().info.get(WRITE_LOCKED):
        return version  # SQLite's BEGIN IMMEDIATE: nobody could change `row` since it was read
    try:
        session.refresh(row)  # a refresh sees deleted rows too, hence the check
    except InvalidRequestError:
        raise NotFound() from None  # erased for good meanwhile (a care case's erasure)
    if getattr(row, "deleted_at", None) is not None:
        raise NotFound()
    return version


def record(
    session: Session,
    board: Board,
    actor: User | None,
    kind: str,
    entity: str,
    entity_id: int | None,
    sections: tuple[str, ...],
    cards: dict[str, Any] | None = None,
) -> BoardChange:
    prebuilt.run(
        session,
        _EVENT,
        board_id=require_id(board),
        version=board.version,
        kind=kind,
        entity=entity,
        entity_id=entity_id,
        actor_id=actor.id if actor else None,
        at=clock.now(),
        sections=list(sections),
    )
    change = BoardChange(
        require_id(board), board.version, sections, entity, entity_id, kind, cards or {}
    )
    outbox(session).append(change)
    webhook_events.enqueue(session, board, kind, entity, entity_id)
    return change


def version_set(session: Session, board_id: int) -> int | None:
    """The version this unit of work gave the board, if it changed it."""
    board: Board | None = session.info.get("locked_boards", {}).get(board_id)
    return board.version if board is not None else None


def outbox(session: Session) -> list[BoardChange]:
    queued: list[BoardChange] = session.info.setdefault("outbox", [])
    return queued


def take_outbox(session: Session) -> list[BoardChange]:
    queued: list[BoardChange] = session.info.pop("outbox", [])
    return queued


def carries_cards(session: Session, board_id: int) -> bool:
    watched: Callable[[int], bool] | None = session.info.get(CARRIES_CARDS)
    return watched is None or watched(board_id)
