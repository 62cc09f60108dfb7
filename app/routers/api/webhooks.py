"""A school's webhooks (CONTRACT §3b): the secret is shown on creation and rotation only."""

from fastapi import Response

from app.deps import CurrentUser, IdPath, SessionDep, SettingsDep
from app.models.webhook import (
    DeliveryPublic,
    Webhook,
    WebhookCreate,
    WebhookPublic,
    WebhookSecret,
    WebhookUpdate,
)
from app.routing import APIRouter
from app.services import webhooks

router = APIRouter(tags=["webhooks"])


def _with_secret(hook: Webhook) -> WebhookSecret:
    return WebhookSecret(**webhooks.public(hook).model_dump(), secret=hook.secret)


@router.post("/schools/{school_id}/webhooks", status_code=201, response_model=WebhookSecret)
def create_webhook(
    school_id: IdPath,
    data: WebhookCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> WebhookSecret:
    """A URL that hears of the chosen events of the school's boards (never of a care board).
    The school's leader, or an admin. Deliveries are POSTs of JSON, signed in the header
    `X-Bord-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`;
    the secret is in this answer only (see `POST /webhooks/{id}/rotate`)."""
    hook = webhooks.create(session, user, school_id, data, settings.webhooks_reach_private)
    return _with_secret(hook)


@router.get("/schools/{school_id}/webhooks", response_model=list[WebhookPublic])
def list_webhooks(school_id: IdPath, user: CurrentUser, session: SessionDep) -> list:
    return [webhooks.public(hook) for hook in webhooks.of_school(session, user, school_id)]


@router.get("/webhooks/{webhook_id}", response_model=WebhookPublic)
def get_webhook(webhook_id: IdPath, user: CurrentUser, session: SessionDep) -> WebhookPublic:
    return webhooks.public(webhooks.get(session, user, webhook_id))


@router.patch("/webhooks/{webhook_id}", response_model=WebhookPublic)
def update_webhook(
    webhook_id: IdPath,
    data: WebhookUpdate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> WebhookPublic:
    """`paused: false` resumes a webhook (also one paused after repeated failures)."""
    hook = webhooks.change(session, user, webhook_id, data, settings.webhooks_reach_private)
    return webhooks.public(hook)


@router.post("/webhooks/{webhook_id}/rotate", response_model=WebhookSecret)
def rotate_secret(webhook_id: IdPath, user: CurrentUser, session: SessionDep) -> WebhookSecret:
    """A new secret, in this answer only; deliveries sent from now on are signed with it."""
    return _with_secret(webhooks.rotate(session, user, webhook_id))


@router.delete("/webhooks/{webhook_id}", status_code=204, response_class=Response)
def delete_webhook(webhook_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    """With its queue and its delivery log."""
    webhooks.remove(session, user, webhook_id)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[DeliveryPublic])
def list_deliveries(webhook_id: IdPath, user: CurrentUser, session: SessionDep) -> list:
    """The newest 50: what was sent, the receiver's answer and what happens next."""
    return webhooks.deliveries(session, user, webhook_id)
