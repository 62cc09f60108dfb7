"""API schemas of a school's people and of one's own profile (no tables of their own)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field
from sqlmodel import SQLModel

from app.models.school import Role
from app.models.types import Id, Name

# A school has tens of teams, not thousands: a longer list is a mistake, refused whole.
MAX_TEAMS = 200


class PersonTeam(SQLModel):
    id: int
    name: str


class PersonPublic(SQLModel):
    user_id: int
    name: str
    email: str
    role: Role
    teams: list[PersonTeam]
    locked: bool  # too many failed logins: the login page refuses them until unlocked
    last_sign_in: datetime | None


class PersonUpdate(SQLModel):
    """Only the fields sent change; `team_ids` is the whole set of the person's teams."""

    role: Role | None = None
    team_ids: Annotated[list[Id], Field(max_length=MAX_TEAMS)] | None = None


class ProfileUpdate(SQLModel):
    name: Name | None = None
    locale: Literal["nl", "en"] | None = None


class PasswordChange(SQLModel):
    current_password: Annotated[str, Field(max_length=1024)]
    new_password: Annotated[str, Field(min_length=8, max_length=1024)]


class LoginPublic(SQLModel):
    """One signed-in browser: when it signed in, until when it stays, and whether it is this one."""

    id: int
    created_at: datetime
    expires_at: datetime
    current: bool
