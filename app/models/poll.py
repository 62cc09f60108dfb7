"""Stem van de leerling: a teacher's short poll, answered by pupils without an account.

No pupil identity is kept: a response holds its choices and the hash of a random device cookie
salted with the poll's id (one answer per device, never linkable across polls); no IP address.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

import sqlalchemy as sa
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel, UniqueConstraint

from app import clock
from app.models.types import NO_NUL, Id, ShortText, Title, text_length

MAX_QUESTIONS = 5
SMILEYS = 3  # 1 sad, 2 neutral, 3 happy
SCALE = 5
MIN_OPTIONS, MAX_OPTIONS = 2, 6
OPEN_ANSWER_LENGTH = 500


class QuestionKind(StrEnum):
    smiley = "smiley"
    scale = "scale"
    choice = "choice"
    open = "open"


class TextStatus(StrEnum):
    """An open answer: new (the teacher only), shown (on the class screen too), hidden."""

    new = "new"
    shown = "shown"
    hidden = "hidden"


# a plain short text column (no database enum type), read back as a TextStatus
TEXT_STATUS_COLUMN = sa.Enum(TextStatus, name="textstatus", native_enum=False, length=6)


class Poll(SQLModel, table=True):
    __tablename__ = "poll"
    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=12, unique=True)
    title: str = Field(max_length=200)
    # [{kind, text, options}]
    questions: list[dict] = Field(default_factory=list, sa_type=sa.JSON)
    closes_at: datetime | None = None
    closed_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=clock.now)


class PollResponse(SQLModel, table=True):
    """One device's answer: a choice per question (None for an open or skipped question)."""

    __tablename__ = "poll_response"
    __table_args__ = (UniqueConstraint("poll_id", "device_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True, ondelete="CASCADE")
    device_hash: str = Field(max_length=64)
    choices: list[int | None] = Field(default_factory=list, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=clock.now)


class PollText(SQLModel, table=True):
    """An open answer, kept apart so the teacher can show or hide it one by one."""

    __tablename__ = "poll_text"
    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True, ondelete="CASCADE")
    response_id: int = Field(foreign_key="poll_response.id", ondelete="CASCADE")
    question: int
    text: str = Field(max_length=OPEN_ANSWER_LENGTH)
    status: TextStatus = Field(default=TextStatus.new, sa_type=TEXT_STATUS_COLUMN)
    created_at: datetime = Field(default_factory=clock.now)


# --- API schemas ---------------------------------------------------------------------------------

QuestionText = Annotated[str, text_length(200), NO_NUL]
OpenAnswer = Annotated[str, text_length(OPEN_ANSWER_LENGTH, min_length=0), NO_NUL]


class QuestionCreate(SQLModel):
    kind: QuestionKind
    text: QuestionText
    options: list[ShortText] | None = PydanticField(default=None, max_length=MAX_OPTIONS)


class PollCreate(SQLModel):
    title: Title
    questions: list[QuestionCreate] = PydanticField(min_length=1, max_length=MAX_QUESTIONS)
    # With a time zone; without one it is read in the school's time zone.
    closes_at: datetime | None = None


class PollCreated(SQLModel):
    id: int
    code: str
    answer_url: str


class QuestionPublic(SQLModel):
    kind: QuestionKind
    text: str
    options: list[str] | None = None


class PollPublic(SQLModel):
    title: str
    code: str
    questions: list[QuestionPublic]
    closes_at: datetime | None
    open: bool


class PollToAnswer(PollPublic):
    """What a pupil's device is told: the questions, whether answers are taken, and whether
    this device has answered."""

    answered: bool


class PollSummary(PollPublic):
    id: int
    board_id: int
    answer_url: str
    responses: int
    closed_at: datetime | None
    created_at: datetime


class AnswerCreate(SQLModel):
    """One answer per question, in order: a smiley 1–3, a scale 1–5, a choice's index (from
    0), an open answer's text; null (or "") skips a question."""

    answers: list[int | OpenAnswer | None] = PydanticField(max_length=MAX_QUESTIONS)


class TextUpdate(SQLModel):
    status: TextStatus


class MeasureCreate(SQLModel):
    """Save a smiley or scale question's result (the % happy smileys, the mean score) as a
    measurement of a goal, dated today (the school's day)."""

    goal_id: Id
    question: int = PydanticField(ge=0, lt=MAX_QUESTIONS, strict=True)


class OpenAnswerPublic(SQLModel):
    id: int
    text: str
    status: TextStatus
    created_at: datetime


class QuestionResult(SQLModel):
    kind: QuestionKind
    text: str
    options: list[str] | None = None
    answered: int
    # per smiley (1–3), per score (1–5) or per option, in order; empty for an open question
    counts: list[int]
    mean: float | None = None  # a scale's mean score
    positive: float | None = None  # a smiley question's % of happy smileys
    open_answers: list[OpenAnswerPublic] | None = None


class PollResults(SQLModel):
    id: int
    title: str
    open: bool
    closes_at: datetime | None
    closed_at: datetime | None
    responses: int
    questions: list[QuestionResult]
