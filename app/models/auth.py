from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from app import clock
from app.models.types import NO_NUL, OptionalName


class UserSession(SQLModel, table=True):
    """A server-side login session; the cookie holds only a random token whose hash is stored."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=clock.now)
    expires_at: datetime
    revoked_at: datetime | None = None


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    label: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=clock.now)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class LoginFailure(SQLModel, table=True):
    """One failed login, kept for throttling; shared by every instance through the database."""

    __tablename__ = "login_failure"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, index=True)
    at: datetime = Field(default_factory=clock.now, index=True)


class TokenCreate(SQLModel):
    label: OptionalName = ""


class TokenPublic(SQLModel):
    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreated(TokenPublic):
    token: str


class LoginForm(SQLModel):
    """The login page's form. Not `Email`'s pattern: any typo is answered like a wrong password."""

    email: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254), NO_NUL
    ]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
