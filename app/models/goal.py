from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app import clock
from app.models.item import BoardItem, ItemPublic, VersionedUpdate
from app.models.types import Day, Id, Note, Number, OptionalName, Title, Unit


class Goal(BoardItem, table=True):
    title: str = Field(max_length=200)
    metric: str = Field(default="", max_length=120)
    unit: str = Field(default="", max_length=30)
    baseline: float | None = None
    target: float | None = None
    target_date: date | None = None
    # A class board's goal may name the team goal it serves (a goal on a team board of the
    # same team; services/class_goals.py checks it).
    team_goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")


class Measurement(SQLModel, table=True):
    # the leader overview reads each goal's newest measurement
    __table_args__ = (sa.Index("ix_measurement_goal_date", "goal_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True, ondelete="CASCADE")
    date: date
    value: float
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=clock.now)


class GoalCreate(SQLModel):
    title: Title
    metric: OptionalName = ""
    unit: Unit = ""
    baseline: Number | None = None
    target: Number | None = None
    target_date: Day | None = None
    team_goal_id: Id | None = None


class GoalUpdate(VersionedUpdate):
    title: Title = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    metric: OptionalName | None = None
    unit: Unit | None = None
    baseline: Number | None = None
    target: Number | None = None
    target_date: Day | None = None
    team_goal_id: Id | None = None


class MeasurementCreate(SQLModel):
    date: Day
    value: Number
    note: Note = ""


class MeasurementPublic(SQLModel):
    id: int
    goal_id: int
    date: date
    value: float
    note: str


class GoalPublic(ItemPublic):
    title: str
    metric: str
    unit: str
    baseline: float | None
    target: float | None
    target_date: date | None
    team_goal_id: int | None = None
    latest: MeasurementPublic | None
    measurements: list[MeasurementPublic]
