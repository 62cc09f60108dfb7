"""Signing in with the school's own account (OpenID Connect): off to the school's provider, and
back. The provider is called without a database session open; the account is found and the
login session started in one transaction afterwards."""

import logging
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Query, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import clock, i18n
from app.config import Settings
from app.deps import BaseUrl, SettingsDep
from app.errors import NotFound
from app.routing import APIRouter
from app.security.oidc import OidcClient, ProviderDown, TokenRefused
from app.security.tokens import new_token, same, seal, unseal
from app.services import sso
from app.templating import render
from app.web import onetime
from app.web.common import local_path
from app.web.forms import N_

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)

FLOW_COOKIE = "bord_sso"
FLOW_PATH = "/login/sso"
FLOW_SECONDS = 15 * 60
CALLBACK = "/login/sso/callback"

UNKNOWN_SCHOOL = "unknown_school"
STATE = "state"
CANCELLED = "cancelled"
PROVIDER_DOWN = "provider_down"
REFUSED = "refused"
MESSAGES = {
    UNKNOWN_SCHOOL: N_(
        "We kennen geen school die met dit e-mailadres of deze naam met een schoolaccount "
        "inlogt. Controleer het adres, of log in met je wachtwoord."
    ),
    STATE: N_(
        "Het inloggen is verlopen of in een ander venster begonnen. Begin opnieuw vanaf de "
        "inlogpagina."
    ),
    CANCELLED: N_("Je hebt het inloggen bij je schoolaccount afgebroken. Er is niets veranderd."),
    PROVIDER_DOWN: N_(
        "De inlogdienst van je school antwoordt nu niet. Probeer het over een paar minuten "
        "opnieuw, of log in met je wachtwoord."
    ),
    REFUSED: N_(
        "Je schoolaccount gaf geen geldige aanmelding terug. Begin opnieuw vanaf de inlogpagina."
    ),
    sso.UNVERIFIED: N_(
        "Je schoolaccount bevestigt je e-mailadres niet. Vraag je schoolleider om een "
        "uitnodiging, of log in met je wachtwoord."
    ),
    sso.NO_ACCOUNT: N_(
        "Er is bij deze school nog geen Bord-account voor je. Vraag je schoolleider om een "
        "uitnodiging."
    ),
    sso.NOT_STAFF: N_(
        "Bord is er voor het personeel van de school. Je schoolaccount noemt je geen "
        "medewerker; vraag je schoolleider om hulp als dat niet klopt."
    ),
    sso.OTHER_SCHOOL: N_(
        "Dit schoolaccount hoort niet bij deze school. Kies je eigen school, of vraag je "
        "schoolleider om hulp."
    ),
}
STATUS = {PROVIDER_DOWN: 504, UNKNOWN_SCHOOL: 404}


def _set_locale(request: Request, settings: Settings) -> None:
    request.state.locale = i18n.pick_locale(
        request.cookies.get("bord_lang"), settings.default_locale
    )


def _failed(request: Request, kind: str) -> Response:
    """A page that says what went wrong; the half-done sign-in is forgotten."""
    response = render(
        request,
        "pages/auth/sso_error.html",
        {"message": MESSAGES[kind]},
        status_code=STATUS.get(kind, 400),
    )
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    return response


async def _read(request: Request, work: Any, *args: Any) -> Any:
    """`work(session, *args)` in a worker thread, in a read transaction."""
    async with request.app.state.db.transaction(write=False) as session:
        return await anyio.to_thread.run_sync(work, session, *args)


def _schools_meant(
    session: Session, slug: str | None, email: str | None
) -> list[tuple[str, str, str]]:
    """(slug, name, provider) of the schools the person may mean: by slug, else by domain."""
    if slug:
        try:
            school, config = sso.for_school(session, slug)
        except NotFound:
            return []
        return [(school.slug, school.name, config.provider)]
    return [
        (school.slug, school.name, config.provider)
        for school, config in sso.for_domain(session, email or "")
    ]


@router.get("/login/sso")
async def start(
    request: Request,
    settings: SettingsDep,
    base_url: BaseUrl,
    school: Annotated[str | None, Query(max_length=60)] = None,
    email: Annotated[str | None, Query(max_length=254)] = None,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """To the school's provider: the school named by its slug, or by the address's domain."""
    _set_locale(request, settings)
    if not school and not (email or "").strip():
        return RedirectResponse("/login", status_code=303)
    found = await _read(request, _schools_meant, school, email)
    if not found:
        return _failed(request, UNKNOWN_SCHOOL)
    if len(found) > 1:
        schools = [(slug, name) for slug, name, _provider in found]
        context = {"schools": schools, "email": email or "", "next": local_path(next)}
        return render(request, "pages/auth/sso_schools.html", context)
    [(slug, _name, provider_key)] = found
    provider = settings.oidc_providers.get(provider_key)
    if provider is None:
        return _failed(request, UNKNOWN_SCHOOL)
    flow = {
        "state": new_token(24),
        "nonce": new_token(24),
        "verifier": new_token(48),
        "school": slug,
        "provider": provider_key,
        "next": local_path(next),
        "at": int(clock.now().timestamp()),
    }
    oidc: OidcClient = request.app.state.oidc
    try:
        url = await oidc.authorization_url(
            provider,
            redirect_uri=base_url + CALLBACK,
            state=flow["state"],
            nonce=flow["nonce"],
            code_verifier=flow["verifier"],
            login_hint=(email or "").strip() or None,
        )
    except ProviderDown as exc:
        log.warning("sign-in provider %s not answering: %s", provider_key, exc)
        return _failed(request, PROVIDER_DOWN)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLOW_COOKIE,
        seal(settings.secret_key, flow),
        max_age=FLOW_SECONDS,
        httponly=True,
        samesite="lax",  # the provider sends the browser back with a top-level GET
        secure=settings.secure_cookies,
        path=FLOW_PATH,
    )
    return response


@router.get(CALLBACK)
async def callback(
    request: Request,
    settings: SettingsDep,
    base_url: BaseUrl,
    state: Annotated[str | None, Query(max_length=500)] = None,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Back from the provider: the state must be the one this browser was sent off with."""
    _set_locale(request, settings)
    flow = unseal(settings.secret_key, request.cookies.get(FLOW_COOKIE))
    if (
        flow is None
        or not isinstance(flow.get("state"), str)
        or not state
        or not same(state, flow["state"])
        or not isinstance(flow.get("at"), int)
        or clock.now().timestamp() - flow["at"] > FLOW_SECONDS
    ):
        return _failed(request, STATE)
    if error or not code:
        return _failed(request, CANCELLED if error == "access_denied" else REFUSED)
    provider = settings.oidc_providers.get(str(flow.get("provider")))
    if provider is None:
        return _failed(request, UNKNOWN_SCHOOL)
    oidc: OidcClient = request.app.state.oidc
    try:
        claims = await oidc.id_token_claims(
            provider,
            code=code,
            redirect_uri=base_url + CALLBACK,
            code_verifier=str(flow.get("verifier")),
            nonce=str(flow.get("nonce")),
        )
    except ProviderDown as exc:
        log.warning("sign-in provider %s not answering: %s", flow.get("provider"), exc)
        return _failed(request, PROVIDER_DOWN)
    except TokenRefused as exc:
        log.warning("sign-in with %s refused: %s", flow.get("provider"), exc.reason)
        return _failed(request, REFUSED)
    issuer = str(claims["iss"])  # checked: the provider's own

    def sign_in(session: Session) -> Response:
        school, config = sso.for_school(session, str(flow.get("school")))
        if config.provider != flow.get("provider"):
            raise sso.Refused(sso.OTHER_SCHOOL)
        user = sso.account_for(session, school, config, provider, issuer, claims)
        return onetime.signed_in(session, settings, user, str(flow.get("next") or "/"))

    db = request.app.state.db
    try:
        async with db.transaction(write=True, publish=request.app.state.bus.publish) as session:
            response: Response = await anyio.to_thread.run_sync(sign_in, session)
    except NotFound:
        return _failed(request, UNKNOWN_SCHOOL)
    except sso.Refused as exc:
        return _failed(request, exc.kind)
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    return response
