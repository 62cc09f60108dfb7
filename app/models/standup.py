"""The weekly stand-up (bordsessie) at a board, and its anonymous check-in votes."""

from datetime import date, datetime
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel, UniqueConstraint

from app import clock
from app.models.types import Name, OptionalName, ShortText, Version, _no_nul, _strict_int

# The leerKRACHT agenda: six parts in fifteen minutes.
DEFAULT_AGENDA: list[dict[str, str | int]] = [
    {"part": "Check-in", "minutes": 1},
    {"part": "Successen", "minutes": 2},
    {"part": "Doelen", "minutes": 3},
    {"part": "Acties", "minutes": 5},
    {"part": "Planning", "minutes": 2},
    {"part": "Hulp en afsluiting", "minutes": 2},
]
MOODS = (1, 2, 3, 4, 5)
# Where a plain-text `notes` goes: the session's general notes (besluiten), beside the parts.
GENERAL_NOTES = "Besluiten"

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_no_nul)
]
Minutes = Annotated[int, PydanticField(ge=1, le=60), BeforeValidator(_strict_int)]
PartIndex = Annotated[int, PydanticField(ge=0, le=19), BeforeValidator(_strict_int)]
Mood = Annotated[int, PydanticField(ge=1, le=5), BeforeValidator(_strict_int)]


# What `notes` accepts, as OpenAPI says it: per agenda part, or the general notes as text.
NOTES_SCHEMA = {
    "anyOf": [
        {
            "type": "object",
            "additionalProperties": {"type": "string", "maxLength": 2000},
            "maxProperties": 30,
            "propertyNames": {"minLength": 1, "maxLength": 120},
        },
        {"type": "string", "maxLength": 2000},
    ]
}


def _general_notes(value: object) -> object:
    """`notes` as plain text is the session's general notes (CONTRACT §3b)."""
    return {GENERAL_NOTES: value} if isinstance(value, str) else value


def default_agenda() -> list[dict[str, str | int]]:
    return [dict(part) for part in DEFAULT_AGENDA]


class StandUp(SQLModel, table=True):
    """One per board per ISO week; `week` reads like "2026-W47"."""

    __tablename__ = "stand_up"
    __table_args__ = (UniqueConstraint("board_id", "week"),)
    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True, ondelete="CASCADE")
    week: str = Field(max_length=8)
    started_at: datetime = Field(default_factory=clock.now)
    ended_at: datetime | None = None
    bordleider: str | None = Field(default=None, max_length=120)
    schrijver: str | None = Field(default=None, max_length=120)
    agenda: list[dict] = Field(default_factory=default_agenda, sa_type=sa.JSON)
    attendance: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    notes: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    tip: str = Field(default="", max_length=2000)
    top: str = Field(default="", max_length=2000)
    # The agenda clock: which part is being discussed and since when (server time, so that
    # every screen's timer runs in step whatever its own clock says).
    current_part: int = 0
    part_started_at: datetime | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)


class CheckinVote(SQLModel, table=True):
    """One person's smiley at the check-in: one per person per session, changeable while the
    session runs. Only counts are ever shown; `voter_id` exists to keep it to one vote and
    is cleared when the session ends, so a finished check-in keeps no trace of who chose what."""

    __tablename__ = "checkin_vote"
    __table_args__ = (
        sa.CheckConstraint("mood BETWEEN 1 AND 5", name="ck_checkin_vote_mood"),
        UniqueConstraint("stand_up_id", "voter_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    stand_up_id: int = Field(foreign_key="stand_up.id", index=True, ondelete="CASCADE")
    voter_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    mood: int
    at: datetime = Field(default_factory=clock.now)


class AgendaPart(SQLModel):
    part: ShortText
    minutes: Minutes


class StandUpStart(SQLModel):
    """Both optional: without a bordleider, the next team member in name order is suggested."""

    bordleider: OptionalName | None = None
    schrijver: OptionalName | None = None


Notes = Annotated[dict[ShortText, Text], PydanticField(max_length=30)]
Attendance = Annotated[list[OptionalName], PydanticField(max_length=100)]
Presence = Annotated[dict[Name, bool], PydanticField(max_length=100)]
Agenda = Annotated[list[AgendaPart], PydanticField(min_length=1, max_length=20)]


class StandUpUpdate(SQLModel):
    """Only the fields sent change. `notes` merges per agenda part; an empty text removes one.
    A plain string is the session's general notes (besluiten)."""

    notes: Annotated[
        dict[ShortText, Text],
        PydanticField(max_length=30),
        BeforeValidator(_general_notes),
        WithJsonSchema(NOTES_SCHEMA),
    ] = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    attendance: Attendance = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    # Marks people present (true) or absent (false) without replacing the whole list.
    present: Presence = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    bordleider: OptionalName | None = None
    schrijver: OptionalName | None = None
    agenda: Agenda = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    tip: Text = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    top: Text = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    ended: Literal[True] = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    part: PartIndex = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    version: Version | None = None


class CheckinCreate(SQLModel):
    """A mood 1..5; null takes one's own vote back."""

    mood: Mood | None


class SummaryAction(SQLModel):
    id: int
    title: str | None  # None when the action has since been deleted


class SummarySuccess(SQLModel):
    id: int
    text: str | None


class SummaryMeasurement(SQLModel):
    goal_id: int
    goal: str
    date: date
    value: float
    note: str


class StandUpSummary(SQLModel):
    actions_created: list[SummaryAction]
    actions_moved: list[SummaryAction]
    actions_finished: list[SummaryAction]
    successes: list[SummarySuccess]
    measurements: list[SummaryMeasurement]
    decisions: dict[str, str]
    tip: str
    top: str
    attendance: list[str]
    checkin: dict[str, int] = PydanticField(default_factory=dict)  # mood "1".."5" → votes


class StandUpPublic(SQLModel):
    id: int
    board_id: int
    week: str
    started_at: datetime
    ended_at: datetime | None
    bordleider: str | None
    schrijver: str | None
    agenda: list[AgendaPart]
    attendance: list[str]
    notes: dict[str, str]
    tip: str
    top: str
    current_part: int
    part_started_at: datetime | None
    version: int
    checkin: dict[str, int]  # mood "1".."5" → votes; never who voted
    summary: StandUpSummary | None = None


class EventPublic(SQLModel):
    version: int
    kind: str
    entity: str
    entity_id: int | None
    at: datetime
    actor: str | None
