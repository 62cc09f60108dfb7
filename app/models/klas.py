"""Bord in de Klas: the first names of a class board's pupils, for the weekly pupil roles."""

from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from app import clock
from app.models.types import Name

MAX_PUPILS = 40


class ClassPupils(SQLModel, table=True):
    """One per class board: first names only (no surnames, no accounts), in the teacher's
    order. `school_year` is the year its school year began (2026 for 2026-27): the daily job
    removes the names once that school year has ended (services/class_pupils.py)."""

    __tablename__ = "class_pupils"
    board_id: int = Field(foreign_key="board.id", primary_key=True, ondelete="CASCADE")
    names: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    school_year: int
    updated_at: datetime = Field(default_factory=clock.now)


class PupilsUpdate(SQLModel):
    names: Annotated[list[Name], PydanticField(max_length=MAX_PUPILS)]


class PupilsPublic(SQLModel):
    board_id: int
    names: list[str]


class PupilRole(SQLModel):
    role: str
    name: str


class RolesPublic(SQLModel):
    board_id: int
    week: str
    roles: list[PupilRole]
