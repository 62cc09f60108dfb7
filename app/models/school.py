from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from app import clock
from app.models.types import Brin, Email, Name, Slug, TimeZone


class Role(StrEnum):
    leader = "leader"
    ib = "ib"
    teacher = "teacher"


class School(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    slug: str = Field(max_length=60, unique=True)
    # Care boards: closed cases are anonymised this many days after closing; pupils are named by
    # a code or initials unless the school allows full names.
    care_retention_days: int = Field(default=730, sa_column_kwargs={"server_default": "730"})
    care_full_names: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # The school's registration number with the Dutch ministry (2 digits, 2 letters or digits).
    brin: str | None = Field(default=None, max_length=4, unique=True)
    # The school's days and weeks ("today", late, this week) are counted on this clock.
    time_zone: str = Field(
        default="Europe/Amsterdam",
        max_length=64,
        sa_column_kwargs={"server_default": "Europe/Amsterdam"},
    )
    created_at: datetime = Field(default_factory=clock.now)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    is_admin: bool = False
    locale: str = Field(default="nl", max_length=5)
    created_at: datetime = Field(default_factory=clock.now)


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "school_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    role: Role = Field(max_length=10)
    # A leader who is the school's privacy officer reads the care audit log (never the cases).
    privacy_officer: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class Team(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=clock.now)
    # An archived team leaves the lists; its boards are archived with it.
    archived_at: datetime | None = None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")


# --- API schemas -----------------------------------------------------------------------------


class SchoolCreate(SQLModel):
    name: Name
    slug: Slug
    brin: Brin | None = None
    time_zone: TimeZone = "Europe/Amsterdam"


class NewSchoolForm(SchoolCreate):
    """The admin's form for a new school: its first leader, named by invitation, comes with it."""

    leader_name: Name | None = None
    leader_email: Email | None = None


class SchoolUpdate(SQLModel):
    """Any of the fields; `brin: null` removes the code."""

    name: Name | None = None
    slug: Slug | None = None
    brin: Brin | None = None
    time_zone: TimeZone | None = None


class SchoolPublic(SQLModel):
    id: int
    name: str
    slug: str
    brin: str | None = None
    time_zone: str = "Europe/Amsterdam"


class TeamCreate(SQLModel):
    name: Name


class TeamUpdate(SQLModel):
    """Rename, archive (`archived: true`, with its boards) or restore (`archived: false`)."""

    name: Name | None = None
    archived: bool | None = None


class TeamPublic(SQLModel):
    id: int
    school_id: int
    name: str
    archived: bool = False


class MemberAdd(SQLModel):
    email: Email
    role: Role | None = None


class MemberPublic(SQLModel):
    team_id: int
    user_id: int
    email: str
    name: str
    role: Role


class MembershipPublic(SQLModel):
    school_id: int
    role: Role


class MePublic(SQLModel):
    id: int
    email: str
    name: str
    is_admin: bool
    locale: str
    memberships: list[MembershipPublic]
