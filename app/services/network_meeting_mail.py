"""A meeting's mail: its agenda when the facilitator sends it, its summary (the parts with their
notes, and the agreements) when it ends. Every member gets it in their own language, queued in
the change's unit of work (app/services/mail.py)."""

from sqlmodel import Session, col, select

from app import i18n
from app.config import Settings
from app.models import Network, NetworkMember, User
from app.models.meeting import NetworkMeeting
from app.services import mail, meeting_view


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
    shown = meeting_view.view(session, meeting)
    context = {
        "network": network.name,
        "meeting": meeting,
        "host": shown.host,
        "parts": shown.parts,
        "agreements": [a.text for a in shown.agreements],
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
