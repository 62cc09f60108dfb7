"""Bijeenkomsten of a leernetwerk: the facilitator plans a meeting (date, host school, theme);
members say what they come to bring (a practice) and to fetch (a question); those contributions,
in the facilitator's order, are the agenda that runs on a shared screen, part by part with a
timer and notes; what was agreed can be adopted onto a team board as an action.

Like everything of a network, a meeting is for the network's members only.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import StrictBool, StringConstraints
from sqlmodel import Field, SQLModel

from app import clock
from app.models.types import NO_NUL, Day, Id, Note, Title, Version, text_length

MeetingStatus = Literal["planned", "running", "ended"]
ContributionKind = Literal["bring", "fetch"]
MEETING_TEXT = 2000
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^$")]
Notes = Annotated[str, text_length(MEETING_TEXT, min_length=0), NO_NUL]
Theme = Annotated[str, text_length(200, min_length=0), NO_NUL]


class NetworkMeeting(SQLModel, table=True):
    __tablename__ = "network_meeting"
    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True, ondelete="CASCADE")
    date: date
    start_time: str = Field(default="", max_length=5)  # "15:30" in the host school's time
    host_school_id: int | None = Field(default=None, foreign_key="school.id", ondelete="SET NULL")
    theme: str = Field(default="", max_length=200)
    status: str = Field(default="planned", max_length=8)
    part_minutes: int = 15
    current_part: int = 0  # the index of the agenda part being discussed
    part_started_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    agenda_sent_at: datetime | None = None
    notes: str = Field(default="", max_length=MEETING_TEXT)
    version: int = 1
    created_at: datetime = Field(default_factory=clock.now)


class MeetingContribution(SQLModel, table=True):
    """What a member comes to bring (a practice) or to fetch (a question): one agenda part."""

    __tablename__ = "meeting_contribution"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="network_meeting.id", index=True, ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    kind: str = Field(max_length=5)
    text: str = Field(max_length=MEETING_TEXT)
    practice_id: int | None = Field(default=None, foreign_key="practice.id", ondelete="SET NULL")
    question_id: int | None = Field(default=None, foreign_key="question.id", ondelete="SET NULL")
    position: int = 0
    covered: bool = False
    note: str = Field(default="", max_length=MEETING_TEXT)
    created_at: datetime = Field(default_factory=clock.now)


class MeetingAgreement(SQLModel, table=True):
    __tablename__ = "meeting_agreement"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="network_meeting.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=200)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    adoptions: int = 0
    created_at: datetime = Field(default_factory=clock.now)


# --- API shapes -----------------------------------------------------------------------------------


class MeetingCreate(SQLModel):
    date: Day
    start_time: ClockTime = ""
    host_school_id: Id | None = None  # the next member school in turn when left out
    theme: Theme = ""
    part_minutes: int = Field(default=15, ge=1, le=120)


class ContributionCreate(SQLModel):
    kind: ContributionKind
    text: Note = ""  # may stay empty when a practice or question is linked
    practice_id: Id | None = None
    question_id: Id | None = None


class ContributionUpdate(SQLModel):
    note: Notes | None = None
    covered: StrictBool | None = None


class AgendaOrder(SQLModel):
    version: Version
    order: list[Id] = Field(max_length=500)


class MeetingNotes(SQLModel):
    notes: Notes = ""


class AgreementAdopt(SQLModel):
    board_id: Id  # one of the adopter's team boards: the agreement becomes an action there


class AgreementCreate(SQLModel):
    text: Title


class ContributionPublic(SQLModel):
    id: int
    kind: str
    text: str
    name: str
    mine: bool
    practice_id: int | None
    question_id: int | None
    position: int
    covered: bool
    note: str


class AgreementPublic(SQLModel):
    id: int
    text: str
    adoptions: int


class MeetingPublic(SQLModel):
    id: int
    network_id: int
    date: date
    start_time: str
    host_school_id: int | None
    host_school: str
    theme: str
    status: str
    part_minutes: int
    current_part: int
    started_at: datetime | None
    ended_at: datetime | None
    agenda_sent_at: datetime | None
    notes: str
    version: int
    agenda: list[ContributionPublic]
    agreements: list[AgreementPublic]


class AgendaSent(SQLModel):
    sent: int
