"""Running a leernetwerk's bijeenkomst: the facilitator sends the agenda, starts the meeting,
moves on part by part (each part's timer starts anew) and ends it, which mails every member the
summary; any member notes what was said and what was agreed, and adopts an agreement onto one of
their team boards the way a practice is adopted (`networks.adopt_onto`). Reach and versions as
in app/services/network_meetings.py."""

from sqlalchemy import update
from sqlalchemy.exc import InvalidRequestError
from sqlmodel import Session, col

from app import clock
from app.config import Settings
from app.errors import Invalid, NotFound
from app.models import Action, User
from app.models.meeting import (
    ContributionUpdate,
    MeetingAgreement,
    MeetingContribution,
    NetworkMeeting,
)
from app.services import network_meeting_mail, networks
from app.services.network_meetings import (
    ENDED,
    PLANNED,
    RUNNING,
    agenda,
    changed,
    facilitated,
    get_contribution,
    get_meeting,
)

# --- running ------------------------------------------------------------------------------------


def start(session: Session, user: User, meeting_id: int) -> NetworkMeeting:
    meeting, network = facilitated(session, user, meeting_id)
    changed(session, meeting, network, "meeting_started", None)
    if meeting.status == PLANNED:
        now = clock.now()
        meeting.status, meeting.started_at, meeting.part_started_at = RUNNING, now, now
        meeting.current_part = 0
        session.add(meeting)
        session.flush()
    return meeting


def next_part(session: Session, user: User, meeting_id: int) -> NetworkMeeting:
    """The current part is covered; the next one starts its timer."""
    meeting, network = facilitated(session, user, meeting_id)
    changed(session, meeting, network, "meeting_part", None)
    if meeting.status != RUNNING:
        raise Invalid("status", "the meeting is not running", kind="not_running")
    parts = agenda(session, meeting_id)
    if meeting.current_part < len(parts):
        parts[meeting.current_part].covered = True
        session.add(parts[meeting.current_part])
    meeting.current_part = min(meeting.current_part + 1, len(parts))
    meeting.part_started_at = clock.now()
    session.add(meeting)
    session.flush()
    return meeting


def end(
    session: Session, settings: Settings, user: User, meeting_id: int, base_url: str
) -> NetworkMeeting:
    """The meeting ends (once); its summary goes to every member by mail."""
    meeting, network = facilitated(session, user, meeting_id)
    changed(session, meeting, network, "meeting_ended", None)
    if meeting.status == ENDED:
        return meeting
    if meeting.status == PLANNED:  # nothing to summarise: it never started
        raise Invalid("status", "the meeting has not started", kind="not_running")
    meeting.status, meeting.ended_at = ENDED, clock.now()
    session.add(meeting)
    session.flush()
    network_meeting_mail.send_to_members(
        session, settings, meeting, network, "meeting_summary", base_url
    )
    return meeting


def send_agenda(
    session: Session, settings: Settings, user: User, meeting_id: int, base_url: str
) -> int:
    """The facilitator sends the agenda as it stands to every member, in their language."""
    meeting, network = facilitated(session, user, meeting_id)
    changed(session, meeting, network, "meeting_agenda_sent", None)
    meeting.agenda_sent_at = clock.now()
    session.add(meeting)
    session.flush()
    return network_meeting_mail.send_to_members(
        session, settings, meeting, network, "meeting_agenda", base_url
    )


def note_part(
    session: Session, user: User, contribution_id: int, data: ContributionUpdate
) -> MeetingContribution:
    """Any member notes what was said about a part, or marks it covered."""
    contribution, meeting, network = get_contribution(session, user, contribution_id)
    changed(session, meeting, network, "meeting_notes", None)
    try:
        session.refresh(contribution)
    except InvalidRequestError:
        raise NotFound() from None  # withdrawn meanwhile
    if data.note is not None:
        contribution.note = data.note
    if data.covered is not None:
        contribution.covered = data.covered
    session.add(contribution)
    session.flush()
    return contribution


def set_notes(session: Session, user: User, meeting_id: int, notes: str) -> NetworkMeeting:
    meeting, network = get_meeting(session, user, meeting_id)
    changed(session, meeting, network, "meeting_notes", None)
    meeting.notes = notes
    session.add(meeting)
    session.flush()
    return meeting


# --- agreements ---------------------------------------------------------------------------------


def agree(session: Session, user: User, meeting_id: int, text: str) -> MeetingAgreement:
    meeting, network = get_meeting(session, user, meeting_id)
    changed(session, meeting, network, "meeting_agreement", None)
    agreement = MeetingAgreement(meeting_id=meeting_id, text=text, created_by_id=user.id)
    session.add(agreement)
    session.flush()
    return agreement


def get_agreement(session: Session, user: User, agreement_id: int) -> MeetingAgreement:
    agreement = session.get(MeetingAgreement, agreement_id)
    if agreement is None:
        raise NotFound()
    get_meeting(session, user, agreement.meeting_id)
    return agreement


def adopt_agreement(session: Session, user: User, agreement_id: int, board_id: int) -> Action:
    """An agreement becomes an action on one of the user's team boards (never a care board)."""
    agreement = get_agreement(session, user, agreement_id)
    meeting, network = get_meeting(session, user, agreement.meeting_id)
    action = networks.adopt_onto(session, user, board_id, agreement.text)
    session.exec(
        update(MeetingAgreement)
        .where(col(MeetingAgreement.id) == agreement_id)
        .values(adoptions=col(MeetingAgreement.adoptions) + 1)
    )
    changed(session, meeting, network, "meeting_agreement_adopted", None)
    return action
