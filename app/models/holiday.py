"""Holiday weeks per school: a skipped stand-up in such a week does not count against a team."""

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel, UniqueConstraint

from app import clock
from app.models.types import OptionalName

# An ISO week as browsers' <input type="week"> sends it: "2026-W52".
IsoWeek = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^20\d\d-W(0[1-9]|[1-4]\d|5[0-3])$")
]


class HolidayWeek(SQLModel, table=True):
    __tablename__ = "holiday_week"
    __table_args__ = (UniqueConstraint("school_id", "week"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    week: str = Field(max_length=8)
    label: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=clock.now)


class HolidayWeekCreate(SQLModel):
    week: IsoWeek
    label: OptionalName = ""


class HolidayWeekPublic(SQLModel):
    id: int
    school_id: int
    week: str
    label: str
