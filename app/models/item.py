"""Fields every board item shares: its board, its own version and its timestamps, and where it
is when it is off the board (the prullenbak, the archive).

A deleted item waits in its board's prullenbak (`deleted_at`) until it is restored or purged.
Deleted rows are invisible to every ORM query of every session (`hide_deleted` below), so no
reader can forget to leave them out; the prullenbak itself asks for them with
`execution_options(include_deleted=True)`.
"""

from datetime import datetime
from functools import cache
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlmodel import Field, SQLModel, col

from app import clock
from app.models.types import Version

INCLUDE_DELETED = "include_deleted"


class BoardItem(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True, ondelete="CASCADE")
    version: int = 1
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)
    deleted_at: datetime | None = None  # in the prullenbak since
    deleted_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    archived_at: datetime | None = None  # off the board, in its archive since


@cache
def _not_deleted() -> tuple[LoaderCriteriaOption, ...]:
    """A criterion per table of board items (built once, when every model is known)."""
    tables = [m.class_ for m in SQLModel._sa_registry.mappers if issubclass(m.class_, BoardItem)]
    return tuple(
        with_loader_criteria(table, col(table.deleted_at).is_(None), include_aliases=True)
        for table in tables
    )


# A statement built once (a module's constant, as the hot paths use) gets its criteria once:
# the statement with them keeps its cache key, which would otherwise be computed anew, for every
# table of items, at each execution.
_with_criteria: WeakKeyDictionary = WeakKeyDictionary()


@event.listens_for(Session, "do_orm_execute")
def hide_deleted(state: ORMExecuteState) -> None:
    """Leave deleted items out of every ORM select (and `Session.get`), unless asked."""
    if (
        state.is_select
        and not state.is_column_load
        and not state.is_relationship_load
        and not state.execution_options.get(INCLUDE_DELETED, False)
    ):
        statement = state.statement
        hidden = _with_criteria.get(statement)
        if hidden is None:
            hidden = _with_criteria[statement] = statement.options(*_not_deleted())
        state.statement = hidden


class ItemPublic(SQLModel):
    id: int
    board_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class VersionedUpdate(SQLModel):
    """Every edit names the version it was made against; a stale one is refused with 409."""

    version: Version


class VersionedDelete(SQLModel):
    version: Version | None = None
