"""What the pages opened from a mailed link share: a double-submit token for their forms, filled
in before anyone is signed in; and signing in (also the login form's), once the link is used."""

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from app.config import Settings
from app.deps import SESSION_COOKIE
from app.models import User
from app.security.tokens import new_token, same
from app.services import accounts

FORM_COOKIE = "bord_link_csrf"


def form_token(request: Request) -> str:
    return request.cookies.get(FORM_COOKIE) or new_token(24)


def keep_form_token(response: Response, token: str, settings: Settings, path: str) -> Response:
    response.set_cookie(
        FORM_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path=path,
    )
    return response


def form_token_ok(request: Request, form: dict[str, str]) -> bool:
    cookie = request.cookies.get(FORM_COOKIE)
    sent = form.get("csrf_token", "")
    return bool(cookie and sent and same(cookie, sent))


def signed_in(session: Session, settings: Settings, user: User, target: str) -> Response:
    """A new login session for `user`, and on to `target`."""
    token, _row = accounts.start_session(session, settings, user)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response
