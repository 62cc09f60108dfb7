from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app import clock


class MailOutbox(SQLModel, table=True):
    """A mail queued in the transaction of the change that caused it; app/mailer.py sends it
    after commit and retries it with backoff."""

    __tablename__ = "mail_outbox"
    __table_args__ = (sa.Index("ix_mail_outbox_due", "sent_at", "failed_at", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    text_body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    html_body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=clock.now)
    # A sender that claimed the row holds it until then (a crashed sender's claim runs out).
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    failed_at: datetime | None = None  # given up after the last attempt
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=clock.now)
