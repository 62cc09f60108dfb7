"""Gezamenlijk lesontwerp: a team designs a lesson together, gives it, evaluates it, and keeps
what worked as a kwaliteitskaart ("wat werkt bij …") the school can find again.

A design belongs to its board's members (services/lesson_designs.py); the planning shows its
title and the day it is given. A kwaliteitskaart belongs to the school: every member of the
school finds it, also when the board it came from is archived or gone.
"""

import datetime as dt
from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app import clock
from app.models.item import BoardItem, ItemPublic
from app.models.types import Day, Id, LongText, ShortText, Title, Version
from app.models.visit import Group


class LessonDesign(BoardItem, table=True):
    __tablename__ = "lesson_design"

    title: str = Field(max_length=200)
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    lesson_goal: str = Field(max_length=2000)  # het lesdoel
    structure: str = Field(default="", max_length=2000)  # de opbouw
    watch_for: str = Field(default="", max_length=2000)  # waar letten we op
    teacher_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    date: dt.date | None = None  # the day it is given
    group: str = Field(default="", max_length=30)
    # the evaluation, once it was given
    worked: str | None = Field(default=None, max_length=2000)
    to_change: str | None = Field(default=None, max_length=2000)
    evaluated_at: datetime | None = None


class LessonDesignVisit(SQLModel, table=True):
    """A lesbezoek that observes the lesson (the visit stays its two teachers' own)."""

    __tablename__ = "lesson_design_visit"
    __table_args__ = (UniqueConstraint("design_id", "visit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    design_id: int = Field(foreign_key="lesson_design.id", index=True, ondelete="CASCADE")
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")


class QualityCard(SQLModel, table=True):
    """A kwaliteitskaart: what works, kept by the school."""

    __tablename__ = "quality_card"

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    design_id: int | None = Field(
        default=None, foreign_key="lesson_design.id", unique=True, ondelete="SET NULL"
    )
    subject: str = Field(max_length=120)  # "wat werkt bij …"
    works: str = Field(max_length=2000)
    watch_for: str = Field(default="", max_length=2000)
    lesson_goal: str = Field(default="", max_length=2000)
    team: str = Field(default="", max_length=120)  # the team that made it, by name
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=clock.now, index=True)


# --- API schemas ---------------------------------------------------------------------------------

VisitIds = list[Id]


class LessonDesignCreate(SQLModel):
    title: Title
    lesson_goal: LongText
    goal_id: Id | None = None
    structure: LongText | None = None
    watch_for: LongText | None = None
    teacher_id: Id | None = None
    date: Day | None = None
    group: Group = ""
    visit_ids: VisitIds = Field(default_factory=list, max_length=20)


class LessonDesignUpdate(SQLModel):
    """An edit names the version it was made against; fields left out stay as they are."""

    version: Version
    title: Title | None = None
    lesson_goal: LongText | None = None
    goal_id: Id | None = None
    structure: LongText | None = None
    watch_for: LongText | None = None
    teacher_id: Id | None = None
    date: Day | None = None
    group: Group | None = None
    visit_ids: VisitIds | None = Field(default=None, max_length=20)


class EvaluationCreate(SQLModel):
    worked: LongText
    to_change: LongText


class QualityCardCreate(SQLModel):
    subject: ShortText  # "wat werkt bij …"
    works: LongText | None = None  # the evaluation's "what worked" when left out


class LinkedVisitPublic(SQLModel):
    """A lesbezoek that observes the lesson: who visits whom and when, as the planning shows."""

    id: int
    date: date
    visitor: str
    visited: str


class LessonDesignPublic(ItemPublic):
    title: str
    goal_id: int | None
    lesson_goal: str
    structure: str
    watch_for: str
    teacher_id: int | None
    teacher: str | None
    date: dt.date | None
    group: str
    visits: list[LinkedVisitPublic]
    worked: str | None
    to_change: str | None
    evaluated_at: datetime | None
    quality_card_id: int | None


class PlannedDesignPublic(SQLModel):
    """A lesson design on the board's planning: its title and the day it is given."""

    id: int
    date: date
    title: str
    evaluated: bool


class QualityCardPublic(SQLModel):
    id: int
    school_id: int
    design_id: int | None
    subject: str
    works: str
    watch_for: str
    lesson_goal: str
    team: str
    created_at: datetime
