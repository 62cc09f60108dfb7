"""What a meeting's screens and mails show: its agenda parts with who brought them and their
notes, the current part and its clock, the agreements. Built from rows only, so the live channel
renders it once per language for every member."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app import clock
from app.models import School, User
from app.models.meeting import MeetingAgreement, MeetingContribution, NetworkMeeting
from app.services.network_meetings import kept_in_place


@dataclass(frozen=True)
class Part:
    id: int
    kind: str
    text: str
    name: str
    note: str
    covered: bool
    member_id: int | None


@dataclass(frozen=True)
class MeetingView:
    meeting: NetworkMeeting
    host: str
    parts: list[Part]
    agreements: list[MeetingAgreement]
    server_now: datetime

    @property
    def kept(self) -> int:
        """Parts from the top that stay where they are (network_meetings.kept_in_place); an
        ended meeting's agenda stays whole."""
        if self.meeting.status == "ended":
            return len(self.parts)
        return kept_in_place(self.meeting)

    @property
    def current(self) -> Part | None:
        if self.meeting.status != "running" or self.meeting.current_part >= len(self.parts):
            return None
        return self.parts[self.meeting.current_part]


def parts(session: Session, meeting_id: int) -> list[Part]:
    rows = session.exec(
        select(MeetingContribution, User.name)
        .outerjoin(User, col(User.id) == col(MeetingContribution.member_id))
        .where(MeetingContribution.meeting_id == meeting_id)
        .order_by(col(MeetingContribution.position), col(MeetingContribution.id))
    )
    return [
        Part(c.id or 0, c.kind, c.text, name or "", c.note, c.covered, c.member_id)
        for c, name in rows
    ]


def view(session: Session, meeting: NetworkMeeting) -> MeetingView:
    host = session.get(School, meeting.host_school_id) if meeting.host_school_id else None
    agreed = session.exec(
        select(MeetingAgreement)
        .where(MeetingAgreement.meeting_id == meeting.id)
        .order_by(col(MeetingAgreement.id))
    )
    return MeetingView(
        meeting=meeting,
        host=host.name if host else "",
        parts=parts(session, meeting.id or 0),
        agreements=list(agreed),
        server_now=clock.now(),
    )
