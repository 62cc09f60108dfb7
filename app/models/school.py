from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.models.types import Email, Name, Slug, utcnow


class Role(StrEnum):
    leader = "leader"
    ib = "ib"
    teacher = "teacher"


class School(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    slug: str = Field(max_length=60, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    is_admin: bool = False
    locale: str = Field(default="nl", max_length=5)
    created_at: datetime = Field(default_factory=utcnow)


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "school_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    role: Role = Field(max_length=10)


class Team(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow)


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


class SchoolPublic(SQLModel):
    id: int
    name: str
    slug: str


class TeamCreate(SQLModel):
    name: Name


class TeamPublic(SQLModel):
    id: int
    school_id: int
    name: str


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
