"""The board's smaller items: successes, plan items, ideas and help requests."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.item import BoardItem, ItemPublic, VersionedUpdate
from app.models.types import Day, Id, LongText, OptionalName, Version


class PlanKind(StrEnum):
    lesbezoek = "lesbezoek"
    lesontwerp = "lesontwerp"
    overig = "overig"


class Level(StrEnum):
    """Where an idea sits on one axis of the impact matrix."""

    high = "high"
    low = "low"


# a plain short text column (no database enum type), read back as a Level
LEVEL_COLUMN = sa.Enum(Level, name="level", native_enum=False, length=4)


class Success(BoardItem, table=True):
    __table_args__ = (
        sa.UniqueConstraint("board_id", "external_id", name="uq_success_board_external"),
    )
    text: str = Field(max_length=2000)
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    action_id: int | None = Field(default=None, foreign_key="action.id", ondelete="SET NULL")
    external_id: str | None = Field(default=None, max_length=64)  # an imported card's


class PlanItem(BoardItem, table=True):
    __tablename__ = "plan_item"
    text: str = Field(max_length=2000)
    date: date
    kind: PlanKind = Field(default=PlanKind.overig, max_length=12)
    who: str = Field(default="", max_length=120)


class Idea(BoardItem, table=True):
    __table_args__ = (
        sa.UniqueConstraint("board_id", "external_id", name="uq_idea_board_external"),
    )
    text: str = Field(max_length=2000)
    # the impact matrix: both null while the idea waits in the tray
    impact: Level | None = Field(default=None, sa_type=LEVEL_COLUMN)
    effort: Level | None = Field(default=None, sa_type=LEVEL_COLUMN)
    external_id: str | None = Field(default=None, max_length=64)  # an imported card's


class HelpRequest(BoardItem, table=True):
    __tablename__ = "help_request"
    text: str = Field(max_length=2000)
    answer: str | None = Field(default=None, max_length=2000)
    answered_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    answered_at: datetime | None = None


class SuccessCreate(SQLModel):
    text: LongText
    goal_id: Id | None = None
    action_id: Id | None = None


class SuccessUpdate(VersionedUpdate):
    text: LongText = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    goal_id: Id | None = None
    action_id: Id | None = None


class SuccessPublic(ItemPublic):
    text: str
    goal_id: int | None
    action_id: int | None


class PlanItemCreate(SQLModel):
    text: LongText
    date: Day
    kind: PlanKind = PlanKind.overig
    who: OptionalName = ""


class PlanItemUpdate(VersionedUpdate):
    text: LongText = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    date: Day = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    kind: PlanKind = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    who: OptionalName | None = None


class PlanItemPublic(ItemPublic):
    text: str
    date: date
    kind: PlanKind
    who: str


class IdeaCreate(SQLModel):
    text: LongText


class IdeaUpdate(VersionedUpdate):
    text: LongText = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    impact: Level | None = None  # null: back in the tray
    effort: Level | None = None


class IdeaPublic(ItemPublic):
    text: str
    impact: Level | None
    effort: Level | None


class HelpRequestCreate(SQLModel):
    text: LongText


class HelpRequestUpdate(VersionedUpdate):
    text: LongText = None  # type: ignore[assignment]  # left out: unchanged; null: 422


class HelpAnswer(SQLModel):
    text: LongText
    version: Version | None = None


class HelpRequestPublic(ItemPublic):
    text: str
    answer: str | None
    answered_at: datetime | None
