"""'Wachtwoord vergeten': a one-time link by mail that sets a new password.

Asking says the same whether the address is known or not, and is throttled per address and
per IP by the same counts as logins (under their own prefix). A link works once, within
BORD_RESET_MINUTES; using it ends every login session of the account and forgets its failed
logins, so a locked-out account can be used again at once.
"""

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app import clock
from app.config import Settings
from app.errors import NotFound
from app.models import PasswordReset, User
from app.models.links import LinkState
from app.models.rows import require_id
from app.security.tokens import new_token, token_hash
from app.services import accounts, mail

THROTTLE = "reset:"


def request_reset(
    session: Session, settings: Settings, email: str, client_ip: str, base_url: str
) -> None:
    """Queue a reset mail if `email` belongs to someone; TooManyAttempts when throttled."""
    accounts.check_throttle(session, settings, email, client_ip, THROTTLE)
    accounts.count_attempt(session, email, client_ip, THROTTLE)
    user = accounts.find_user(session, email)
    if user is None:
        return
    token = new_token()
    session.add(
        PasswordReset(
            user_id=require_id(user),
            token_hash=token_hash(token),
            expires_at=clock.now() + timedelta(minutes=settings.reset_minutes),
        )
    )
    mail.queue(
        session,
        settings,
        user.email,
        user.locale,
        "password_reset",
        name=user.name,
        link=f"{base_url}/password/reset/{token}",
        minutes=settings.reset_minutes,
    )


def find(session: Session, token: str) -> PasswordReset | None:
    if not token or len(token) > 200:
        return None
    return session.exec(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    ).first()


def state(reset: PasswordReset) -> LinkState:
    if reset.used_at is not None:
        return LinkState.accepted
    if reset.expires_at <= clock.now():
        return LinkState.expired
    return LinkState.pending


def reset_password(session: Session, token: str, password: str) -> User:
    """Set the new password (the link is used up, every session ends, failed logins are
    forgotten); NotFound when the link no longer works."""
    reset = find(session, token)
    if reset is None or state(reset) != LinkState.pending:
        raise NotFound()
    accounts.check_password(password)
    now = clock.now()
    claimed = session.exec(
        update(PasswordReset)
        .where(col(PasswordReset.id) == reset.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
    )
    user = session.get(User, reset.user_id)
    if claimed.rowcount != 1 or user is None:  # used a moment ago
        raise NotFound()
    # The account's other open links are used up with it.
    session.exec(
        update(PasswordReset)
        .where(col(PasswordReset.user_id) == user.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
    )
    accounts.set_password(session, user, password)
    accounts.clear_failures(session, user.email)
    return user
