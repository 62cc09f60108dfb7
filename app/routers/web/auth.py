"""Logging in and out, and the language switch."""

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.config import Settings
from app.deps import SESSION_COOKIE, AuthDep, OptionalAuth, SessionDep, SettingsDep
from app.errors import TooManyAttempts
from app.models.auth import LoginForm
from app.routing import APIRouter
from app.security.tokens import new_token, same
from app.services import accounts
from app.templating import render
from app.web import forms, onetime
from app.web.common import FormDep, local_path, locale_of
from app.web.forms import GENERAL, N_

router = APIRouter(include_in_schema=False)

LOGIN_CSRF_COOKIE = "bord_login_csrf"
LANG_COOKIE = "bord_lang"
TEMPLATE = "pages/auth/login.html"

WRONG_LOGIN = N_("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw.")
THROTTLED = N_(
    "Te veel mislukte pogingen. Wacht een kwartier, kies hieronder 'Wachtwoord vergeten?' "
    "voor een nieuw wachtwoord, of vraag je schoolleider om hulp."
)
PASSWORDS_OFF = N_(
    "Je school logt in met het schoolaccount, niet met een wachtwoord. Kies hieronder "
    "'Inloggen met je schoolaccount'."
)
EXPIRED_FORM = N_("Het inlogformulier was verlopen. Probeer het nog een keer.")
NO_EMAIL = N_("Vul je e-mailadres in.")
NO_PASSWORD = N_("Vul je wachtwoord in.")
FIELDS = ("email", "password")
MISSING: forms.Overrides = {("email", "missing"): NO_EMAIL, ("password", "missing"): NO_PASSWORD}


def _login_page(
    request: Request,
    settings: Settings,
    *,
    email: str = "",
    next_path: str = "/",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_token(24)
    response = render(
        request,
        TEMPLATE,
        {
            "email": email,
            "next": next_path,
            "errors": errors or {},
            "login_csrf": token,
            "school_accounts": bool(settings.oidc_providers),
        },
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path="/login",
    )
    return response


@router.get("/login")
def login_form(
    request: Request,
    auth: OptionalAuth,
    settings: SettingsDep,
    next: Annotated[str | None, Query(max_length=2000)] = None,
    lang: Annotated[str | None, Query(max_length=5)] = None,
) -> Response:
    if auth is not None:
        return RedirectResponse(local_path(next), status_code=303)
    if lang in i18n.LOCALES:
        request.state.locale = lang
    response = _login_page(request, settings, next_path=local_path(next))
    if lang in i18n.LOCALES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


@router.post("/login")
def login(
    request: Request, session: SessionDep, settings: SettingsDep, form: FormDep, _: OptionalAuth
) -> Response:
    email = form.get("email", "").strip()[:254]
    next_path = local_path(form.get("next"))
    locale = locale_of(request)

    def again(errors: dict[str, str], status_code: int) -> Response:
        return _login_page(
            request,
            settings,
            email=email,
            next_path=next_path,
            errors=errors,
            status_code=status_code,
        )

    def said(message: str) -> str:
        return i18n.gettext(locale, message)

    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    sent = form.get("csrf_token", "")
    if not cookie or not sent or not same(cookie, sent):
        return again({GENERAL: said(EXPIRED_FORM)}, 403)
    try:
        login_form = forms.parse(LoginForm, form, locale, FIELDS, overrides=MISSING)
    except forms.FormErrors as exc:
        return again(exc.errors, 422)
    client_ip = request.client.host if request.client else "unknown"
    try:
        user = accounts.authenticate(
            session, settings, login_form.email, login_form.password, client_ip
        )
    except TooManyAttempts:
        return again({GENERAL: said(THROTTLED)}, 429)
    if user is None:
        return again({"password": said(WRONG_LOGIN)}, 401)
    if accounts.passwords_off(session, user):
        return again({GENERAL: said(PASSWORDS_OFF)}, 403)
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen is not None and chosen in i18n.LOCALES and chosen != user.locale:
        accounts.set_locale(session, user, chosen)  # the language picked on the login page
    response = onetime.signed_in(session, settings, user, next_path)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(auth: AuthDep, session: SessionDep, settings: SettingsDep) -> Response:
    if auth.login is not None:
        accounts.end_session(session, auth.login)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response


@router.post("/locale")
def switch_locale(auth: AuthDep, session: SessionDep, form: FormDep) -> Response:
    locale = form.get("locale", "")
    if locale in i18n.LOCALES:
        accounts.set_locale(session, auth.user, locale)
    response = RedirectResponse(local_path(form.get("next")), status_code=303)
    if locale in i18n.LOCALES:
        response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax")
    return response
