"""A lesbezoek: one teacher visits another's lesson, then gives feedback in leerKRACHT's form.

The planning shows who visits whom and when. The kijkvraag, the feedback and the reflection
belong to the two teachers: they never reach the board, a display screen, a push, the history,
a leader or an admin (services/visits.py decides who reads them).
"""

from datetime import date, datetime
from typing import Annotated

from sqlmodel import Field, SQLModel

from app.models.item import BoardItem, ItemPublic
from app.models.types import NO_NUL, Day, Id, LongText, text_length

Group = Annotated[str, text_length(30, min_length=0), NO_NUL]


class Visit(BoardItem, table=True):
    visitor_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    visited_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    date: date
    group: str = Field(default="", max_length=30)  # the class visited
    question: str = Field(max_length=2000)  # the kijkvraag: private to the two
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    action_id: int | None = Field(default=None, foreign_key="action.id", ondelete="SET NULL")
    # the feedback, by the visitor: what I saw or heard, its effect, a tip and a top
    seen: str | None = Field(default=None, max_length=2000)
    effect: str | None = Field(default=None, max_length=2000)
    tip: str | None = Field(default=None, max_length=2000)
    top: str | None = Field(default=None, max_length=2000)
    feedback_at: datetime | None = Field(default=None, index=True)
    # what the visited teacher takes from it
    reflection: str | None = Field(default=None, max_length=2000)
    reflected_at: datetime | None = None


class VisitCreate(SQLModel):
    visitor_id: Id
    visited_id: Id
    date: Day
    question: LongText
    group: Group = ""
    goal_id: Id | None = None
    action_id: Id | None = None


class FeedbackCreate(SQLModel):
    seen: LongText
    effect: LongText
    tip: LongText
    top: LongText


class ReflectionCreate(SQLModel):
    text: LongText


class VisitShare(SQLModel):
    """A lesson learned, shared to the board as a success: exactly this text."""

    text: LongText


class FeedbackPublic(SQLModel):
    seen: str
    effect: str
    tip: str
    top: str
    written_at: datetime


class PlannedVisitPublic(SQLModel):
    """A visit on the board's planning: who visits whom, when, and whether it was held."""

    id: int
    date: date
    visitor: str
    visited: str
    held: bool


class VisitPublic(ItemPublic):
    visitor_id: int
    visited_id: int
    visitor: str
    visited: str
    date: date
    group: str
    question: str
    goal_id: int | None
    action_id: int | None
    feedback: FeedbackPublic | None
    reflection: str | None
