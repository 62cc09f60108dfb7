"""Care boards (zorgoverleg): cases about pupils, the people involved, agreements, meetings,
and the audit log of every view, change and export of a case.

A case names a pupil by a code or initials (a full name only where the school allows it). Its
confidential fields never reach a display screen nor anyone outside the care board.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import sqlalchemy as sa
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from app import clock
from app.models.action import ActionStatus
from app.models.item import BoardItem, ItemPublic, VersionedUpdate
from app.models.types import NO_NUL, Day, Email, Name, OptionalName, Title, Version, text_length

PupilCode = Annotated[str, text_length(120), NO_NUL]
Group = Annotated[str, text_length(30, min_length=0), NO_NUL]
Concern = Annotated[str, text_length(500), NO_NUL]
MeetingNotes = Annotated[str, text_length(4000, min_length=0), NO_NUL]
Attendees = Annotated[list[Name], PydanticField(max_length=40)]


class CaseStatus(StrEnum):
    signalering = "signalering"
    onderzoek = "onderzoek"
    begeleiding = "begeleiding"
    afgesloten = "afgesloten"


class ParticipantRole(StrEnum):
    teacher = "teacher"
    parent = "parent"
    pupil = "pupil"
    external = "external"


class Case(BoardItem, table=True):
    __tablename__ = "care_case"
    pupil_code: str = Field(max_length=120)
    group: str = Field(default="", max_length=30)
    concern: str = Field(max_length=500)
    status: CaseStatus = Field(default=CaseStatus.signalering, max_length=12)
    review_date: date | None = None
    closed_at: datetime | None = Field(default=None, index=True)
    anonymised_at: datetime | None = None


class CaseParticipant(SQLModel, table=True):
    """Someone involved in a case: a named person without an account (a parent, a speech
    therapist, a youth-care worker) or the teacher."""

    __tablename__ = "case_participant"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="care_case.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    role: ParticipantRole = Field(default=ParticipantRole.external, max_length=10)
    organisation: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=clock.now)


class Agreement(BoardItem, table=True):
    """An afspraak made about a case: wat / wie / wanneer, with the status rules of an action."""

    case_id: int = Field(foreign_key="care_case.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    owner: str = Field(default="", max_length=120)
    due: date | None = None
    status: ActionStatus = Field(default=ActionStatus.todo, max_length=8)
    done_at: datetime | None = None


class CareMeeting(SQLModel, table=True):
    __tablename__ = "care_meeting"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="care_case.id", index=True, ondelete="CASCADE")
    date: date
    attendees: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    notes: str = Field(default="", max_length=4000)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=clock.now)


class AuditEntry(SQLModel, table=True):
    """Who viewed, changed or exported which case, and when. Never the case's contents: the
    entry outlives the case (an erased case keeps its trail, by id)."""

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_case", "case_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    board_id: int | None = Field(default=None, foreign_key="board.id", ondelete="SET NULL")
    case_id: int | None = None
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    action: str = Field(max_length=20)
    detail: str = Field(default="", max_length=200)
    at: datetime = Field(default_factory=clock.now)


# --- API schemas -----------------------------------------------------------------------------


class CaseCreate(SQLModel):
    pupil_code: PupilCode
    group: Group = ""
    concern: Concern
    status: CaseStatus = CaseStatus.signalering
    review_date: Day | None = None


class CaseUpdate(VersionedUpdate):
    pupil_code: PupilCode = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    group: Group | None = None
    concern: Concern = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    status: CaseStatus = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    review_date: Day | None = None


class ParticipantCreate(SQLModel):
    name: Name
    role: ParticipantRole = ParticipantRole.external
    organisation: OptionalName = ""


class ParticipantPublic(SQLModel):
    id: int
    name: str
    role: ParticipantRole
    organisation: str


class AgreementCreate(SQLModel):
    title: Title
    owner: OptionalName = ""
    due: Day | None = None
    status: ActionStatus = ActionStatus.todo


class AgreementUpdate(VersionedUpdate):
    title: Title = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    owner: OptionalName | None = None
    due: Day | None = None
    status: ActionStatus = None  # type: ignore[assignment]  # left out: unchanged; null: 422


class AgreementPublic(ItemPublic):
    case_id: int
    title: str
    owner: str
    due: date | None
    status: ActionStatus
    late: bool


class MeetingCreate(SQLModel):
    date: Day
    attendees: Attendees = []
    notes: MeetingNotes = ""
    next_review: Day | None = None


class MeetingPublic(SQLModel):
    id: int
    case_id: int
    date: date
    attendees: list[str]
    notes: str
    created_at: datetime


class CasePublic(ItemPublic):
    pupil_code: str
    group: str
    concern: str
    status: CaseStatus
    review_date: date | None
    closed_at: datetime | None
    anonymised_at: datetime | None
    participants: list[ParticipantPublic]
    agreements: list[AgreementPublic]
    meetings: list[MeetingPublic]


class AuditPublic(SQLModel):
    id: int
    case_id: int | None
    board_id: int | None
    user_id: int | None
    user_name: str | None
    action: str
    detail: str
    at: datetime


class CaseExport(SQLModel):
    exported_at: datetime
    school_id: int
    board_id: int
    case: CasePublic
    audit: list[AuditPublic]
    # Other cases about the same pupil (the same code) on the care boards the user is on.
    other_cases: list[CasePublic] = []


class CaseDelete(SQLModel):
    version: Version | None = None
    confirm: bool = False


class StatusCounts(SQLModel):
    school_id: int
    counts: dict[str, int]


class CareSettings(SQLModel):
    school_id: int
    retention_days: int
    full_names: bool
    privacy_officers: list[int]


class CareSettingsUpdate(SQLModel):
    retention_days: Annotated[int, PydanticField(ge=30, le=3650)] | None = None
    full_names: bool | None = None
    privacy_officer: Email | None = None  # a leader of the school to flag as privacy officer
    privacy_officer_on: bool = True


class CareMemberAdd(SQLModel):
    email: Email


class CareMemberPublic(SQLModel):
    user_id: int
    name: str
    email: str
