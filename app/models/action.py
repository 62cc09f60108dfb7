from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.item import BoardItem, ItemPublic, VersionedUpdate
from app.models.types import Day, Id, OptionalName, Position, Title

# Sort keys compare byte by byte on every database.
RANK_TYPE = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")


class ActionStatus(StrEnum):
    todo = "todo"
    doing = "doing"
    done = "done"


class Action(BoardItem, table=True):
    __table_args__ = (
        sa.Index("ix_action_board_status_rank", "board_id", "status", "rank"),
        # the leader overview: actions finished per week
        sa.Index("ix_action_board_done_at", "board_id", "done_at"),
        # an imported card (services/trello_import.py) is imported once
        sa.UniqueConstraint("board_id", "external_id", name="uq_action_board_external"),
    )
    title: str = Field(max_length=200)
    owner: str = Field(default="", max_length=120)
    due: date | None = None
    status: ActionStatus = Field(default=ActionStatus.todo, max_length=8)
    rank: str = Field(sa_type=RANK_TYPE)
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    done_at: datetime | None = None
    # what came along from elsewhere (a Trello card's description and checklists), shown folded
    notes: str = Field(default="", max_length=4000)
    external_id: str | None = Field(default=None, max_length=64)  # e.g. "trello:<card id>"


class ActionCreate(SQLModel):
    title: Title
    owner: OptionalName = ""
    due: Day | None = None
    status: ActionStatus = ActionStatus.todo
    goal_id: Id | None = None


class ActionUpdate(VersionedUpdate):
    title: Title = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    owner: OptionalName | None = None
    due: Day | None = None
    status: ActionStatus = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    goal_id: Id | None = None
    position: Position = None  # type: ignore[assignment]  # left out: unchanged; null: 422


class ActionPublic(ItemPublic):
    title: str
    owner: str
    due: date | None
    status: ActionStatus
    position: int
    goal_id: int | None
    late: bool
