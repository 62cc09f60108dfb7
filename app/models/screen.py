from datetime import datetime

from sqlmodel import Field, SQLModel

from app import clock
from app.models.types import OptionalName


class ScreenLink(SQLModel, table=True):
    """A display link: a long random URL that shows one board read-only, without a login.

    Only the token's hash is stored, so the link itself can be shown once, when it is made.
    `audience` is "display" (the wall, read-only) or "class" (a klasscherm: the class adds
    successes and ideas, checks in and runs the timer; services/class_screens.py).
    """

    __tablename__ = "screen_link"
    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    label: str = Field(default="", max_length=120)
    audience: str = Field(default="display", max_length=16)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=clock.now)
    revoked_at: datetime | None = None


class ScreenCreate(SQLModel):
    label: OptionalName = ""


class ScreenPublic(SQLModel):
    id: int
    board_id: int
    label: str
    created_at: datetime


class ScreenCreated(ScreenPublic):
    path: str
