"""'Wachtwoord vergeten': asking for a reset link, and using it."""

from typing import Annotated

from fastapi import Path, Request
from starlette.responses import Response

from app import i18n
from app.config import Settings
from app.deps import BaseUrl, OptionalAuth, SessionDep, SettingsDep
from app.errors import Invalid, NotFound, TooManyAttempts
from app.handlers import Rejected
from app.models.links import LinkState
from app.routing import APIRouter
from app.services import password_reset
from app.templating import render
from app.web import forms, onetime
from app.web.common import FormDep, locale_of
from app.web.forms import GENERAL, N_

router = APIRouter(include_in_schema=False)

FORGOT = "pages/password/forgot.html"
RESET = "pages/password/reset.html"
CLOSED = "pages/links/closed.html"
Token = Annotated[str, Path(max_length=200)]

NO_EMAIL = N_("Vul je e-mailadres in.")
TOO_OFTEN = N_("Je hebt dit te vaak gevraagd. Wacht een kwartier en probeer het dan opnieuw.")
EXPIRED_FORM = N_("Het formulier was verlopen. Probeer het nog een keer.")


def _forgot_page(
    request: Request,
    settings: Settings,
    *,
    email: str = "",
    asked: bool = False,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    token = onetime.form_token(request)
    context = {
        "email": email,
        "asked": asked,
        "errors": errors or {},
        "form_csrf": token,
        "mail_enabled": settings.mail_enabled,
    }
    response = render(request, FORGOT, context, status_code=status_code)
    return onetime.keep_form_token(response, token, settings, "/password")


@router.get("/password/forgot")
def forgot_form(request: Request, _: OptionalAuth, settings: SettingsDep) -> Response:
    return _forgot_page(request, settings)


@router.post("/password/forgot")
def forgot(
    request: Request,
    _: OptionalAuth,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
    form: FormDep,
) -> Response:
    """The same answer whether the address is known or not."""
    locale = locale_of(request)
    email = form.get("email", "").strip()[:254]

    def again(message: str, field: str, status_code: int) -> Response:
        errors = {field: i18n.gettext(locale, message)}
        return _forgot_page(request, settings, email=email, errors=errors, status_code=status_code)

    if not onetime.form_token_ok(request, form):
        return again(EXPIRED_FORM, GENERAL, 403)
    if not email:
        return again(NO_EMAIL, "email", 422)
    client_ip = request.client.host if request.client else "unknown"
    try:
        password_reset.request_reset(session, settings, email, client_ip, base_url)
    except TooManyAttempts:
        raise Rejected(again(TOO_OFTEN, GENERAL, 429)) from None
    return _forgot_page(request, settings, email=email, asked=True)


def _closed(request: Request, state: LinkState | None) -> Response:
    status = 404 if state is None else 410
    context = {"what": "reset", "state": state.value if state else "unknown"}
    return render(request, CLOSED, context, status_code=status)


def _reset_page(
    request: Request,
    settings: Settings,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    token = onetime.form_token(request)
    context = {"errors": errors or {}, "form_csrf": token, "path": request.url.path}
    response = render(request, RESET, context, status_code=status_code)
    return onetime.keep_form_token(response, token, settings, "/password")


@router.get("/password/reset/{token}")
def reset_form(
    request: Request, token: Token, _: OptionalAuth, session: SessionDep, settings: SettingsDep
) -> Response:
    reset = password_reset.find(session, token)
    if reset is None or password_reset.state(reset) != LinkState.pending:
        return _closed(request, password_reset.state(reset) if reset else None)
    return _reset_page(request, settings)


@router.post("/password/reset/{token}")
def reset(
    request: Request,
    token: Token,
    _: OptionalAuth,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
) -> Response:
    locale = locale_of(request)
    found = password_reset.find(session, token)
    if found is None or password_reset.state(found) != LinkState.pending:
        return _closed(request, password_reset.state(found) if found else None)
    if not onetime.form_token_ok(request, form):
        errors = {GENERAL: i18n.gettext(locale, EXPIRED_FORM)}
        return _reset_page(request, settings, errors=errors, status_code=403)
    password = form.get("password", "")[:2000]
    try:
        user = password_reset.reset_password(session, token, password)
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, ("password",))
        raise Rejected(_reset_page(request, settings, errors=errors, status_code=422)) from None
    except NotFound:
        raise Rejected(_closed(request, LinkState.accepted)) from None
    return onetime.signed_in(session, settings, user, "/")
