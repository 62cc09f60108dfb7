"""A school's webhooks, managed by its leader (or an admin; a script with the leader's API
token): register, change, pause and resume, rotate the secret, delete, read the delivery log.
Out of reach is NotFound, as everywhere."""

import json
import secrets
from typing import Literal

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app import clock
from app.errors import Invalid, NotFound
from app.models import User, WebhookDelivery
from app.models.rows import require_id
from app.models.webhook import DeliveryPublic, Webhook, WebhookCreate, WebhookPublic, WebhookUpdate
from app.security.policy import led_school
from app.security.webhook_urls import url_problem
from app.services.webhook_events import NAMES

LOG_LIMIT = 50
MAX_PER_SCHOOL = 20


def new_secret() -> str:
    return secrets.token_hex(32)


def _check(url: str | None, events: list[str] | None, reach_private: bool) -> list[str] | None:
    if url is not None and (problem := url_problem(url, reach_private)):
        raise Invalid("url", problem, kind="webhook_url")
    if events is None:
        return None
    unknown = sorted(set(events) - set(NAMES))
    if unknown:
        raise Invalid("events", f"unknown event: {', '.join(unknown)}", kind="unknown_event")
    return [name for name in NAMES if name in events]  # the registry's order, once each


def of_school(session: Session, user: User, school_id: int) -> list[Webhook]:
    led_school(session, user, school_id)
    return list(
        session.exec(
            select(Webhook).where(Webhook.school_id == school_id).order_by(col(Webhook.id))
        )
    )


def get(session: Session, user: User, webhook_id: int, *, lock: bool = False) -> Webhook:
    query = select(Webhook).where(Webhook.id == webhook_id)
    hook = session.exec(query.with_for_update() if lock else query).first()
    if hook is None:
        raise NotFound()
    led_school(session, user, hook.school_id)
    return hook


def create(
    session: Session, user: User, school_id: int, data: WebhookCreate, reach_private: bool
) -> Webhook:
    led_school(session, user, school_id)
    events = _check(data.url, data.events, reach_private)
    count = len(of_school(session, user, school_id))
    if count >= MAX_PER_SCHOOL:
        raise Invalid("url", f"a school has at most {MAX_PER_SCHOOL} webhooks", kind="too_many")
    hook = Webhook(
        school_id=school_id,
        url=data.url,
        events=events or [],
        secret=new_secret(),
        created_by_id=user.id,
    )
    session.add(hook)
    session.flush()
    return hook


def change(
    session: Session, user: User, webhook_id: int, data: WebhookUpdate, reach_private: bool
) -> Webhook:
    """URL and events as given; `paused` false resumes it (and forgets its failures)."""
    hook = get(session, user, webhook_id, lock=True)
    given = data.model_fields_set
    events = _check(
        data.url if "url" in given else None,
        data.events if "events" in given else None,
        reach_private,
    )
    if "url" in given:
        hook.url = data.url
    if events is not None:
        hook.events = events
    if "paused" in given:
        if data.paused and hook.paused_at is None:
            hook.paused_at, hook.paused_reason = clock.now(), "leader"
        elif not data.paused:
            hook.paused_at, hook.paused_reason, hook.failures = None, "", 0
    session.add(hook)
    session.flush()
    return hook


def rotate(session: Session, user: User, webhook_id: int) -> Webhook:
    """A new secret: deliveries sent from now on are signed with it."""
    hook = get(session, user, webhook_id, lock=True)
    hook.secret = new_secret()
    session.add(hook)
    session.flush()
    return hook


def remove(session: Session, user: User, webhook_id: int) -> int:
    """Deletes it with its queue and log; returns its school."""
    hook = get(session, user, webhook_id, lock=True)
    school_id = hook.school_id
    session.exec(delete(WebhookDelivery).where(col(WebhookDelivery.webhook_id) == hook.id))
    session.delete(hook)
    session.flush()
    return school_id


def deliveries(
    session: Session, user: User, webhook_id: int, limit: int = LOG_LIMIT
) -> list[DeliveryPublic]:
    """The newest first."""
    hook = get(session, user, webhook_id)
    rows = session.exec(
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == require_id(hook))
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit)
    ).all()
    return [delivery_public(row) for row in rows]


def recent_deliveries(
    session: Session, hooks: list[Webhook], limit: int
) -> dict[int, list[DeliveryPublic]]:
    """Each webhook's newest deliveries, for the leader's page (hooks already in reach)."""
    return {
        require_id(hook): [
            delivery_public(row)
            for row in session.exec(
                select(WebhookDelivery)
                .where(WebhookDelivery.webhook_id == hook.id)
                .order_by(col(WebhookDelivery.id).desc())
                .limit(limit)
            )
        ]
        for hook in hooks
    }


def public(hook: Webhook) -> WebhookPublic:
    return WebhookPublic(
        id=require_id(hook),
        school_id=hook.school_id,
        url=hook.url,
        events=hook.events,
        paused=hook.paused_at is not None,
        paused_reason=hook.paused_reason,  # type: ignore[arg-type]
        failures=hook.failures,
        created_at=hook.created_at,
    )


def delivery_public(row: WebhookDelivery) -> DeliveryPublic:
    state: Literal["pending", "delivered", "failed"] = (
        "delivered" if row.delivered_at else "failed" if row.failed_at else "pending"
    )
    return DeliveryPublic(
        id=require_id(row),
        webhook_id=row.webhook_id,
        event=row.event,
        state=state,
        attempts=row.attempts,
        status_code=row.status_code,
        response_excerpt=row.response_excerpt,
        error=row.last_error,
        payload=json.loads(row.body),
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at if state == "pending" else None,
        delivered_at=row.delivered_at,
    )


def count_failure(session: Session, webhook_id: int, max_failures: int) -> bool:
    """One more failed attempt in a row; True when it paused the webhook."""
    failures = session.exec(
        update(Webhook)
        .where(col(Webhook.id) == webhook_id)
        .values(failures=col(Webhook.failures) + 1)
        .returning(col(Webhook.failures))
    ).first()
    if failures is None or failures[0] < max_failures:
        return False
    paused = session.exec(
        update(Webhook)
        .where(col(Webhook.id) == webhook_id, col(Webhook.paused_at).is_(None))
        .values(paused_at=clock.now(), paused_reason="failures")
    )
    return bool(paused.rowcount)


def count_success(session: Session, webhook_id: int) -> None:
    session.exec(
        update(Webhook)
        .where(col(Webhook.id) == webhook_id, col(Webhook.failures) != 0)
        .values(failures=0)
    )
