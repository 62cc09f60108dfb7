"""Mail is queued in the unit of work of the change that causes it (a row in `mail_outbox`), so a
rolled-back change sends nothing; app/mailer.py sends it after commit."""

from typing import Any

from sqlmodel import Session

from app.config import Settings
from app.models import MailOutbox
from app.templating import render_string

QUEUED = "mail_queued"


def queue(
    session: Session,
    settings: Settings,
    recipient: str,
    locale: str,
    template: str,
    **context: Any,
) -> MailOutbox | None:
    """Render `mail/<template>.html` (blocks subject, text and html) in the recipient's
    language and queue it; without SMTP configured nothing is queued."""
    if not settings.mail_enabled:
        return None
    path = f"mail/{template}.html"
    subject = " ".join(render_string(locale, path, "subject", **context).split())
    row = MailOutbox(
        recipient=recipient,
        subject=subject[:200],
        text_body=render_string(locale, path, "text", **context).strip() + "\n",
        html_body=render_string(locale, path, "html", **context).strip() + "\n",
    )
    session.add(row)
    session.info[QUEUED] = True
    return row


def queued(session: Session) -> bool:
    """Did this unit of work queue mail (so the sender should wake after its commit)?"""
    return bool(session.info.pop(QUEUED, False))
