"""A school's own board templates: a board's kind, stand-up agenda and goals, to start from."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app import clock
from app.models.board import BoardKind
from app.models.standup import AgendaPart
from app.models.types import Name


class BoardTemplate(SQLModel, table=True):
    """`goals` holds each goal's title, metric, unit, baseline and target: never measurements,
    people or items."""

    __tablename__ = "board_template"
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    kind: BoardKind = Field(default=BoardKind.team, max_length=12)
    agenda: list[dict] = Field(default_factory=list, sa_type=sa.JSON)
    goals: list[dict] = Field(default_factory=list, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=clock.now)


class TemplateCreate(SQLModel):
    name: Name


class TemplateGoal(SQLModel):
    title: str
    metric: str = ""
    unit: str = ""
    baseline: float | None = None
    target: float | None = None


class TemplatePublic(SQLModel):
    id: int
    school_id: int
    name: str
    kind: BoardKind
    agenda: list[AgendaPart]
    goals: list[TemplateGoal]
