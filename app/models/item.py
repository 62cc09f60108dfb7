"""Fields every board item shares: its board, its own version and its timestamps."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app import clock
from app.models.types import Version


class BoardItem(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True, ondelete="CASCADE")
    version: int = 1
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)


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
