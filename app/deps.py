"""Dependencies as Annotated aliases, so handler signatures read as prose."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlmodel import Session
from starlette.datastructures import UploadFile

from app import i18n
from app.config import Settings
from app.errors import CsrfFailed, NotAuthenticated
from app.models import User, UserSession
from app.models.types import MAX_ID
from app.security.tokens import same
from app.services import mail, webhook_events
from app.web import sign_in

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "bord_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


# Dependencies that only read the request are `async def`: FastAPI runs a plain `def` dependency
# in a worker thread, and that hop costs more than the work.
async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request; the outbox reaches the bus only after a commit."""
    state = request.app.state
    async with state.db.transaction(
        write=request.method not in SAFE_METHODS, publish=state.bus.publish
    ) as session:
        yield session
    if mail.queued(session):
        state.mailer.wake()
    if webhook_events.queued(session):
        state.webhooks.wake()


def base_url_of(request: Request) -> str:
    """Where links in mails point: BORD_BASE_URL, else the address this request came in on."""
    configured = request.app.state.settings.base_url
    return (configured or str(request.base_url)).rstrip("/")


async def get_base_url(request: Request) -> str:
    return base_url_of(request)


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
BaseUrl = Annotated[str, Depends(get_base_url)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@dataclass
class Auth:
    user: User
    login: UserSession | None  # None when the request came with an API token


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def get_auth(request: Request, session: SessionDep) -> Auth | None:
    auth: Auth | None = None
    token = bearer(request)
    secret = token or request.cookies.get(SESSION_COOKIE)
    if secret and (found := await sign_in.find(request, secret, by_token=bool(token))):
        auth = Auth(*sign_in.attach(session, found))
        if token:
            request.app.state.token_use.used(token)
    request.state.auth = auth
    # Plain copies for the page layout: error pages render after a rollback has expired the rows.
    request.state.user_name = auth.user.name if auth else None
    request.state.csrf_token = auth.login.csrf_token if auth and auth.login else None
    request.state.locale = i18n.pick_locale(
        auth.user.locale if auth else request.cookies.get("bord_lang"),
        request.app.state.settings.default_locale,
    )
    return auth


OptionalAuth = Annotated[Auth | None, Depends(get_auth)]


async def require_auth(request: Request, auth: OptionalAuth) -> Auth:
    if auth is None:
        raise NotAuthenticated()
    if auth.login is not None and request.method not in SAFE_METHODS:
        await check_csrf(request, auth.login.csrf_token)
    return auth


async def check_csrf(request: Request, expected: str) -> None:
    sent: str | UploadFile | None = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get(CSRF_FIELD)
    if not isinstance(sent, str) or not same(sent, expected):
        raise CsrfFailed()


async def current_user(auth: Annotated[Auth, Depends(require_auth)]) -> User:
    return auth.user


AuthDep = Annotated[Auth, Depends(require_auth)]
CurrentUser = Annotated[User, Depends(current_user)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


async def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


Htmx = Annotated[bool, Depends(is_htmx)]
