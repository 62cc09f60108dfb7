"""The school's webhooks page, for its leader: add one (its secret shown once), pause and
resume, a new secret (shown once), delete, and each webhook's latest deliveries."""

from typing import Annotated

from fastapi import Depends, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.deps import CurrentUser, IdPath, SessionDep, SettingsDep
from app.errors import Invalid
from app.handlers import Rejected
from app.models import User
from app.models.webhook import Webhook, WebhookCreate, WebhookUpdate
from app.routing import APIRouter
from app.security.policy import led_school
from app.services import webhook_events, webhooks
from app.templating import render
from app.web.common import locale_of
from app.web.forms import N_

router = APIRouter(include_in_schema=False)
TEMPLATE = "pages/webhooks/webhooks.html"
SHOWN_DELIVERIES = 10
MESSAGES = {
    "url": N_(
        "Gebruik een webadres dat met https:// of http:// begint en niet naar het eigen "
        "netwerk van de server wijst."
    ),
    "events": N_("Kies minstens één gebeurtenis."),
    "too_many": N_("Een school heeft hoogstens 20 webhooks; verwijder er eerst een."),
}


async def form_lists(request: Request) -> dict[str, list[str]]:
    """The form's values per name, several for checkboxes."""
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


FormLists = Annotated[dict[str, list[str]], Depends(form_lists)]


def _page(
    request: Request,
    session: Session,
    user: User,
    school_id: int,
    *,
    secret: Webhook | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, object] | None = None,
    status_code: int = 200,
) -> Response:
    school = led_school(session, user, school_id)
    hooks = webhooks.of_school(session, user, school_id)
    context = {
        "school": school,
        "hooks": [webhooks.public(hook) for hook in hooks],
        "deliveries": webhooks.recent_deliveries(session, hooks, SHOWN_DELIVERIES),
        "events": list(webhook_events.LABELS.items()),
        "secret": {"id": secret.id, "secret": secret.secret} if secret else None,
        "errors": errors or {},
        "values": values or {},
    }
    return render(request, TEMPLATE, context, status_code=status_code)


def _back(school_id: int, webhook_id: int | None = None) -> Response:
    anchor = f"#webhook-{webhook_id}" if webhook_id else ""
    return RedirectResponse(f"/schools/{school_id}/webhooks{anchor}", status_code=303)


@router.get("/schools/{school_id}/webhooks")
def webhooks_page(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The school's leader (or an admin); anyone else 404."""
    return _page(request, session, user, school_id)


@router.post("/schools/{school_id}/webhooks")
def add_webhook(
    school_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    form: FormLists,
) -> Response:
    """Answers with the page itself (201), which shows the new secret this once."""
    led_school(session, user, school_id)
    url = (form.get("url") or [""])[0]
    events = form.get("events", [])
    try:
        data = WebhookCreate.model_validate({"url": url, "events": events})
        hook = webhooks.create(session, user, school_id, data, settings.webhooks_reach_private)
    except (ValidationError, Invalid) as exc:
        if isinstance(exc, Invalid):
            field = "url" if exc.kind == "too_many" else exc.field
            message = MESSAGES["too_many" if exc.kind == "too_many" else exc.field]
        else:
            field = str(exc.errors()[0]["loc"][0])
            message = MESSAGES.get(field, MESSAGES["url"])
        errors = {field: i18n.gettext(locale_of(request), message)}
        values: dict[str, object] = {"url": url, "events": events}
        page = _page(
            request, session, user, school_id, errors=errors, values=values, status_code=422
        )
        raise Rejected(page) from None
    return _page(request, session, user, school_id, secret=hook, status_code=201)


def _change(session: Session, user: User, webhook_id: int, paused: bool) -> Response:
    data = WebhookUpdate(paused=paused)
    hook = webhooks.change(session, user, webhook_id, data, reach_private=True)
    return _back(hook.school_id, webhook_id)


@router.post("/webhooks/{webhook_id}/pause")
def pause_webhook(webhook_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    return _change(session, user, webhook_id, paused=True)


@router.post("/webhooks/{webhook_id}/resume")
def resume_webhook(webhook_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    return _change(session, user, webhook_id, paused=False)


@router.post("/webhooks/{webhook_id}/rotate")
def rotate_secret(
    webhook_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """Answers with the page itself, which shows the new secret this once."""
    hook = webhooks.rotate(session, user, webhook_id)
    return _page(request, session, user, hook.school_id, secret=hook)


@router.post("/webhooks/{webhook_id}/delete")
def delete_webhook(webhook_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    return _back(webhooks.remove(session, user, webhook_id))
