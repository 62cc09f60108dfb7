from datetime import datetime

from sqlmodel import Field, SQLModel

from app import clock


class CalendarFeed(SQLModel, table=True):
    """A private calendar (iCal) link of one user: their own agenda (`board_id` None) or one
    board's planning and bordsessies. Only the token's hash is stored, so the link is shown once,
    when it is made; making a new one replaces it and revoking deletes the row."""

    __tablename__ = "calendar_feed"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    board_id: int | None = Field(
        default=None, foreign_key="board.id", index=True, ondelete="CASCADE"
    )
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=clock.now)


class CalendarFeedCreated(SQLModel):
    """The feed's address: subscribe to it in Outlook, Google or Apple Calendar."""

    url: str
