"""One-time links sent by mail: invitations to a school and password resets. Only the hash of
a link's token is kept."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from app import clock
from app.models.school import Role
from app.models.types import NO_NUL, Email, Id, Name


class Invitation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254, index=True)
    name: str = Field(max_length=120)
    role: Role = Field(max_length=10)
    team_ids: list[int] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    locale: str = Field(default="nl", max_length=5)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=clock.now)
    expires_at: datetime
    accepted_at: datetime | None = None
    accepted_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    withdrawn_at: datetime | None = None


class PasswordReset(SQLModel, table=True):
    __tablename__ = "password_reset"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=clock.now)
    expires_at: datetime
    used_at: datetime | None = None


class LinkState(StrEnum):
    pending = "pending"
    accepted = "accepted"
    expired = "expired"
    withdrawn = "withdrawn"


# --- API schemas -----------------------------------------------------------------------------

Locale = Literal["nl", "en"]
InvitedRole = Literal["teacher", "ib", "leader"]
TeamIds = Annotated[list[Id], PydanticField(max_length=100)]


class InvitationCreate(SQLModel):
    email: Email
    name: Name
    role: InvitedRole = "teacher"
    team_ids: TeamIds = []
    locale: Locale | None = None  # the mail's language; default: the installation's


class InvitationBulk(SQLModel):
    """A pasted list: one colleague per line, "Naam <adres>", "adres, naam" or "naam;adres"."""

    addresses: Annotated[str, NO_NUL] = PydanticField(max_length=65_536)
    role: InvitedRole = "teacher"
    team_ids: TeamIds = []
    locale: Locale | None = None


class InvitationPublic(SQLModel):
    id: int
    school_id: int
    email: str
    name: str
    role: Role
    team_ids: list[int]
    status: LinkState
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    # Only when this server sends no mail, and only in the answer that made the link.
    link: str | None = None
