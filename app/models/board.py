from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from app import clock
from app.models.types import BoardVersion, Email, TemplateRef, Title


class BoardKind(StrEnum):
    team = "team"
    care = "care"
    klas = "class"
    leadership = "leadership"


class Board(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    kind: BoardKind = Field(default=BoardKind.team, max_length=12)
    version: int = 0
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=clock.now)
    # An archived board is read-only (security/policy.py) until it is restored.
    archived_at: datetime | None = None
    # The stand-up agenda it started with (from its template); None: the default agenda.
    agenda: list[dict] | None = Field(default=None, sa_type=sa.JSON)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class BoardMember(SQLModel, table=True):
    """Who may open a care board: its IB'er and whoever they add. Team boards ignore this."""

    __tablename__ = "board_member"
    __table_args__ = (UniqueConstraint("board_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")


class BoardEvent(SQLModel, table=True):
    """The board's history: one row per version."""

    __tablename__ = "board_event"
    __table_args__ = (UniqueConstraint("board_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", ondelete="CASCADE")
    version: int
    kind: str = Field(max_length=20)
    entity: str = Field(max_length=30)
    entity_id: int | None = None
    actor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    at: datetime = Field(default_factory=clock.now, index=True)
    # the sections of the board it touched, read back by a screen that catches up
    sections: list[str] | None = Field(default=None, sa_type=sa.JSON)


class BoardCreate(SQLModel):
    title: Title
    kind: BoardKind = BoardKind.team
    # A care board made by a leader names its IB'er, who becomes its (first) member.
    ib_email: Email | None = None
    # A built-in template ("teambord", "bord-in-de-klas", "leiderschapsbord", "zorgbord") or
    # the id of one of the school's own templates; `kind` follows from it when not given.
    template: TemplateRef | None = None


class BoardUpdate(SQLModel):
    """Rename, archive (`archived: true`: read-only) or restore; `version` is the board's
    version as last read (409 when stale)."""

    title: Title | None = None
    archived: bool | None = None
    version: BoardVersion | None = None


class BoardPublic(SQLModel):
    id: int
    team_id: int
    title: str
    kind: BoardKind
    version: int
    archived: bool = False
