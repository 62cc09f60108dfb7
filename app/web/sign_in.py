"""Who sent a request: the person behind its Bearer token or session cookie, found by one
query on the event loop (`BoardReads.first`, app/realtime/reads.py), so that signing in takes
no worker-thread hop. Where the loop cannot ask (a busy SQLite file, another event loop), the
same query runs in a thread.

The person (and the login behind a cookie) join the request's session as rows it had read
itself: a handler changes them like any other row.
"""

from typing import Any

from fastapi import Request
from sqlalchemy import Select, bindparam
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from app import clock
from app.models import ApiToken, User, UserSession
from app.security.tokens import token_hash

_USER = [c.label(f"user_{c.name}") for c in User.__table__.columns]  # type: ignore[attr-defined]
_LOGIN = [c.label(f"login_{c.name}") for c in UserSession.__table__.columns]  # type: ignore[attr-defined]

_BY_TOKEN = (
    select(*_USER)
    .join(ApiToken, col(ApiToken.user_id) == col(User.id))
    .where(col(ApiToken.token_hash) == bindparam("hash"), col(ApiToken.revoked_at).is_(None))
)
_BY_COOKIE = (
    select(*_USER, *_LOGIN)
    .join(UserSession, col(UserSession.user_id) == col(User.id))
    .where(
        col(UserSession.token_hash) == bindparam("hash"),
        col(UserSession.revoked_at).is_(None),
        col(UserSession.expires_at) > bindparam("now"),
    )
)

Found = dict[str, Any] | None  # the row's columns by label, or nobody


async def find(request: Request, secret: str, by_token: bool) -> Found:
    statement: Select = _BY_TOKEN if by_token else _BY_COOKIE
    params = {"hash": token_hash(secret), "now": clock.now()}
    return _columns(await request.app.state.board_reads.first(statement, params))


def _columns(row: Any) -> Found:
    return row._asdict() if row is not None else None


def attach(session: Session, found: dict[str, Any]) -> tuple[User, UserSession | None]:
    """The person (and the login) of `found` as rows of `session`, without asking again."""
    user = _row(session, User, found, "user_")
    login = _row(session, UserSession, found, "login_") if "login_id" in found else None
    return user, login


def _row(session: Session, model: type, found: dict[str, Any], prefix: str) -> Any:
    row = model(**{k[len(prefix) :]: v for k, v in found.items() if k.startswith(prefix)})
    make_transient_to_detached(row)
    session.add(row)
    return row
