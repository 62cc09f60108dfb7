"""A meeting's mail: its agenda when the facilitator sends it, its summary (the parts with their
notes, and the agreements) when it ends. Every member gets it in their own language, queued in
the change's unit of work (app/services/mail.py)."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app import i18n
from app.config import Settings
from app.models import Network, NetworkMember, School, User
from app.models.meeting import MeetingAgreement, MeetingContribution, NetworkMeeting
from app.services import mail


@dataclass(frozen=True)
class Part:
    kind: str
    text: str
    name: str
    note: str


def parts(session: Session, meeting: NetworkMeeting) -> list[Part]:
    rows = session.exec(
        select(MeetingContribution, User.name)
        .outerjoin(User, col(User.id) == col(MeetingContribution.member_id))
        .where(MeetingContribution.meeting_id == meeting.id)
        .order_by(col(MeetingContribution.position), col(MeetingContribution.id))
    )
    return [Part(c.kind, c.text, name or "", c.note) for c, name in rows]


def send_to_members(
    session: Session,
    settings: Settings,
    meeting: NetworkMeeting,
    network: Network,
    template: str,
    base_url: str,
) -> int:
    """Queue `mail/<template>.html` for every member; the number of mails queued."""
    members = session.exec(
        select(User)
        .join(NetworkMember, col(NetworkMember.user_id) == col(User.id))
        .where(NetworkMember.network_id == network.id)
        .order_by(col(User.id))
    )
    host = session.get(School, meeting.host_school_id) if meeting.host_school_id else None
    agreed = session.exec(
        select(MeetingAgreement.text)
        .where(MeetingAgreement.meeting_id == meeting.id)
        .order_by(col(MeetingAgreement.id))
    )
    context = {
        "network": network.name,
        "meeting": meeting,
        "host": host.name if host else "",
        "parts": parts(session, meeting),
        "agreements": list(agreed),
        "link": f"{base_url}/meetings/{meeting.id}",
    }
    sent = 0
    for member in members:
        locale = i18n.pick_locale(member.locale)
        queued = mail.queue(
            session, settings, member.email, locale, template, name=member.name, **context
        )
        sent += queued is not None
    return sent
