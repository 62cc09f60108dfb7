"""A school's webhooks: a URL that hears of chosen events of its boards, and the deliveries
queued for it (the outbox that app/webhook_sender.py sends, and the webhook's delivery log)."""

from datetime import datetime
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import Field as PydanticField
from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from app import clock
from app.models.types import NO_NUL

WebhookUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), NO_NUL
]
EventName = Annotated[str, StringConstraints(min_length=1, max_length=40), NO_NUL]
EventNames = Annotated[list[EventName], PydanticField(min_length=1, max_length=20)]


class Webhook(SQLModel, table=True):
    """`secret` signs every delivery; it is shown once (at creation and on rotation).
    `failures` counts failed attempts in a row: at BORD_WEBHOOK_MAX_FAILURES the webhook pauses
    itself (`paused_reason` "failures"); the leader resumes it."""

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    secret: str = Field(max_length=64)
    paused_at: datetime | None = None
    paused_reason: str = Field(default="", max_length=20)
    failures: int = 0
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=clock.now)


class WebhookDelivery(SQLModel, table=True):
    """One event for one webhook, queued in the transaction of the board change that caused it
    (a rolled-back change queues nothing); sent after commit, retried with back-off."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.Index("ix_webhook_delivery_due", "delivered_at", "failed_at", "next_attempt_at"),
        sa.Index("ix_webhook_delivery_log", "webhook_id", "id"),
        sa.Index("ix_webhook_delivery_created_at", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhook.id", ondelete="CASCADE")
    event: str = Field(max_length=40)
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=clock.now)
    # A sender that claimed the row holds it until then (a crashed sender's claim runs out).
    claimed_until: datetime | None = None
    delivered_at: datetime | None = None
    failed_at: datetime | None = None  # given up after the last attempt
    status_code: int | None = None  # the receiver's answer to the last attempt
    response_excerpt: str = Field(default="", max_length=200)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=clock.now)


class WebhookCreate(SQLModel):
    url: WebhookUrl
    events: EventNames


class WebhookUpdate(SQLModel):
    url: WebhookUrl = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    events: EventNames = None  # type: ignore[assignment]  # left out: unchanged; null: 422
    paused: bool = None  # type: ignore[assignment]  # left out: unchanged; null: 422


class WebhookPublic(SQLModel):
    id: int
    school_id: int
    url: str
    events: list[str]
    paused: bool
    paused_reason: Literal["", "leader", "failures"]
    failures: int
    created_at: datetime


class WebhookSecret(WebhookPublic):
    """The only answers that carry the secret: creation and rotation."""

    secret: str


class DeliveryPublic(SQLModel):
    id: int
    webhook_id: int
    event: str
    state: Literal["pending", "delivered", "failed"]
    attempts: int
    status_code: int | None
    response_excerpt: str
    error: str
    payload: dict
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
