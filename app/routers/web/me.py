"""The profile page: your name, language and password, where you are signed in, API tokens and
your calendar link."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.deps import SESSION_COOKIE, Auth, AuthDep, BaseUrl, IdPath, SessionDep, SettingsDep
from app.errors import Invalid
from app.handlers import Rejected
from app.models.auth import TokenCreate
from app.models.people import PasswordChange, ProfileUpdate
from app.routing import APIRouter
from app.services import accounts, calendar_feeds, overview
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.forms import N_

router = APIRouter(include_in_schema=False)
TEMPLATE = "pages/me/me.html"
LANG_COOKIE = "bord_lang"

# The new password's own words for what its schema refuses, as the service's rules say them.
NEW_PASSWORD: forms.Overrides = {
    ("new_password", "missing"): forms.SHORT_PASSWORD,
    ("new_password", "string_too_short"): forms.SHORT_PASSWORD,
    ("new_password", "string_too_long"): forms.LONG_PASSWORD,
}
DONE = {
    "name": N_("Je naam is opgeslagen."),
    "locale": N_("Je taal is opgeslagen."),
    "password": N_("Je wachtwoord is gewijzigd. Op je andere apparaten ben je uitgelogd."),
    "logins": N_("Je bent op je andere apparaten uitgelogd."),
    "login": N_("Dat apparaat is uitgelogd."),
    "token": N_("De sleutel werkt niet meer."),
    "calendar": N_("Je agenda-link werkt niet meer."),
}


def _page(
    request: Request,
    session: Session,
    auth: Auth,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    done: str = "",
    new_token: str = "",
    new_calendar_url: str = "",
    status_code: int = 200,
) -> Response:
    message = DONE.get(done)
    context: dict[str, Any] = {
        "me": auth.user,
        "logins": accounts.logins_of(session, auth.user),
        "current_login": auth.login.id if auth.login else None,
        "tokens": accounts.tokens_of(session, auth.user),
        "new_token": new_token,
        "calendar_link": calendar_feeds.link_of(session, auth.user),
        "new_calendar_url": new_calendar_url,
        "errors": errors or {},
        "values": values or {},
        "done": i18n.gettext(locale_of(request), message) if message else "",
        "overview_url": overview.overview_link(session, auth.user),
    }
    return render(request, TEMPLATE, context, status_code=status_code)


def _refused(
    request: Request,
    session: Session,
    auth: Auth,
    part: str,
    errors: dict[str, str],
    form: dict[str, str] | None = None,
) -> Rejected:
    """The page again with the messages next to the fields of `part`; nothing changed."""
    values = {part: form} if form is not None else {}
    page = _page(request, session, auth, errors={part: errors}, values=values, status_code=422)
    return Rejected(page)


def _back(done: str, anchor: str) -> Response:
    return RedirectResponse(f"/me?done={done}#{anchor}", status_code=303)


@router.get("/me")
def profile(request: Request, auth: AuthDep, session: SessionDep, done: str = "") -> Response:
    return _page(request, session, auth, done=done)


@router.post("/me/name")
def change_name(request: Request, auth: AuthDep, session: SessionDep, form: FormDep) -> Response:
    try:
        data = forms.parse(ProfileUpdate, form, locale_of(request), ("name",))
    except forms.FormErrors as exc:
        raise _refused(request, session, auth, "name", exc.errors, form) from None
    if data.name is None:
        message = i18n.gettext(locale_of(request), forms.REQUIRED)
        raise _refused(request, session, auth, "name", {"name": message}, form)
    accounts.set_name(session, auth.user, data.name)
    return _back("name", "profile-name")


@router.post("/me/locale")
def change_locale(auth: AuthDep, session: SessionDep, form: FormDep) -> Response:
    locale = form.get("locale", "")
    if locale not in i18n.LOCALES:
        raise Invalid("locale", "unknown language")
    accounts.set_locale(session, auth.user, locale)
    response = _back("locale", "profile-locale")
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax")
    return response


@router.post("/me/password")
def change_password(
    request: Request, auth: AuthDep, session: SessionDep, form: FormDep
) -> Response:
    locale = locale_of(request)
    fields = ("current_password", "new_password")
    try:
        data = forms.parse(PasswordChange, form, locale, fields, overrides=NEW_PASSWORD)
        accounts.change_password(
            session, auth.user, data.current_password, data.new_password, auth.login
        )
    except forms.FormErrors as exc:
        raise _refused(request, session, auth, "password", exc.errors) from None
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, fields)
        raise _refused(request, session, auth, "password", errors) from None
    return _back("password", "profile-password")


@router.post("/me/sessions/end-others")
def end_other_logins(auth: AuthDep, session: SessionDep) -> Response:
    accounts.end_logins(session, auth.user, keep=auth.login)
    return _back("logins", "profile-logins")


@router.post("/me/sessions/end-all")
def end_all_logins(auth: AuthDep, session: SessionDep, settings: SettingsDep) -> Response:
    """Signed out everywhere, this browser included."""
    accounts.end_logins(session, auth.user)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response


@router.post("/me/sessions/{login_id}/end")
def end_login(login_id: IdPath, auth: AuthDep, session: SessionDep) -> Response:
    accounts.end_login(session, auth.user, login_id)
    return _back("login", "profile-logins")


@router.post("/me/tokens")
def create_token(request: Request, auth: AuthDep, session: SessionDep, form: FormDep) -> Response:
    """The new token is on this answer only: it is stored hashed."""
    try:
        data = forms.parse(TokenCreate, form, locale_of(request), ("label",))
    except forms.FormErrors as exc:
        raise _refused(request, session, auth, "token", exc.errors, form) from None
    token, _row = accounts.create_token(session, auth.user, data.label)
    return _page(request, session, auth, new_token=token)


@router.post("/me/tokens/{token_id}/revoke")
def revoke_token(token_id: IdPath, auth: AuthDep, session: SessionDep) -> Response:
    accounts.revoke_token(session, auth.user, token_id)
    return _back("token", "profile-tokens")


@router.post("/me/calendar")
def create_calendar(
    request: Request, auth: AuthDep, session: SessionDep, base_url: BaseUrl
) -> Response:
    """The new calendar link is on this answer only: it is stored hashed. The old one stops."""
    token = calendar_feeds.create(session, auth.user)
    url = base_url + calendar_feeds.feed_path(token)
    return _page(request, session, auth, new_calendar_url=url)


@router.post("/me/calendar/revoke")
def revoke_calendar(auth: AuthDep, session: SessionDep) -> Response:
    calendar_feeds.revoke(session, auth.user)
    return _back("calendar", "profile-calendar")
