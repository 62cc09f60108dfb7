"""Users, login sessions, throttling and API tokens."""

from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, delete, func, select

from app import clock
from app.config import Settings
from app.errors import Invalid, NotFound, TooManyAttempts
from app.models import (
    ApiToken,
    LoginFailure,
    Membership,
    Role,
    School,
    SchoolSignIn,
    User,
    UserSession,
)
from app.models.rows import require_id
from app.security.passwords import hash_password, verify_password
from app.security.tokens import new_token, token_hash

# The user id behind a credential that still works, as a subquery bound by `secret_hash` (and
# `now`), built once: one-query checks such as a live screen's join use these (building a
# statement costs more than running it).
TOKEN_USER_ID = (
    select(ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("secret_hash"), col(ApiToken.revoked_at).is_(None))
    .scalar_subquery()
)
SESSION_USER_ID = (
    select(UserSession.user_id)
    .where(
        UserSession.token_hash == bindparam("secret_hash"),
        col(UserSession.revoked_at).is_(None),
        UserSession.expires_at > bindparam("now"),
    )
    .scalar_subquery()
)


# The CSRF token of the login behind a session cookie (bound like SESSION_USER_ID): a page's
# forms carry it.
SESSION_CSRF = (
    select(UserSession.csrf_token)
    .where(
        UserSession.token_hash == bindparam("secret_hash"),
        col(UserSession.revoked_at).is_(None),
        UserSession.expires_at > bindparam("now"),
    )
    .scalar_subquery()
)


def secret_params(secret: str) -> dict[str, Any]:
    """The parameters of TOKEN_USER_ID and SESSION_USER_ID for a token or session cookie."""
    return {"secret_hash": token_hash(secret), "now": clock.now()}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    is_admin: bool = False,
    school: School | None = None,
    role: Role | None = None,
) -> User:
    if find_user(session, email):
        raise Invalid("email", "a user with this email exists")
    check_password(password)
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        is_admin=is_admin,
    )
    session.add(user)
    session.flush()
    if school is not None:
        session.add(
            Membership(
                user_id=require_id(user), school_id=require_id(school), role=role or Role.teacher
            )
        )
        session.flush()
    return user


# --- login --------------------------------------------------------------------------------------


def _throttle_keys(email: str, client_ip: str, purpose: str = "") -> list[str]:
    """Login failures count per address and per IP; other purposes (a password reset asked
    for) keep their own counts under a prefix, in the same table."""
    return [f"{purpose}email:{normalise_email(email)}", f"{purpose}ip:{client_ip}"]


def check_throttle(
    session: Session, settings: Settings, email: str, client_ip: str, purpose: str = ""
) -> None:
    """TooManyAttempts once an address (or, four times as many, an IP) has used up its
    attempts within the window."""
    since = clock.now() - timedelta(minutes=settings.login_window_minutes)
    for key in _throttle_keys(email, client_ip, purpose):
        limit = settings.login_max_failures * (4 if key.startswith(f"{purpose}ip:") else 1)
        failures = session.exec(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.key == key, LoginFailure.at >= since)
        ).one()
        if failures >= limit:
            raise TooManyAttempts()


def count_attempt(session: Session, email: str, client_ip: str, purpose: str = "") -> None:
    for key in _throttle_keys(email, client_ip, purpose):
        session.add(LoginFailure(key=key))


def clear_failures(session: Session, email: str) -> None:
    """Forget an address's failed logins, so that a locked account can log in again."""
    session.exec(delete(LoginFailure).where(col(LoginFailure.key) == _throttle_keys(email, "")[0]))


def check_password(password: str, field: str = "password") -> None:
    """A password long enough to hold, short enough to hash; refused by its rule's kind."""
    if len(password) < 8:
        raise Invalid(field, "at least 8 characters", kind="password_too_short")
    if len(password) > 1024:
        raise Invalid(field, "at most 1024 characters", kind="password_too_long")


def set_password(session: Session, user: User, password: str) -> None:
    """A new password; every login session of the user ends."""
    check_password(password)
    user.password_hash = hash_password(password)
    session.add(user)
    session.exec(
        update(UserSession)
        .where(col(UserSession.user_id) == user.id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=clock.now())
    )


def authenticate(
    session: Session, settings: Settings, email: str, password: str, client_ip: str
) -> User | None:
    """The user, or None after recording a failure; refuses outright while throttled."""
    check_throttle(session, settings, email, client_ip)
    user = find_user(session, email)
    if verify_password(password, user.password_hash if user else None):
        clear_failures(session, email)
        return user
    count_attempt(session, email, client_ip)
    return None


def passwords_off(session: Session, user: User) -> bool:
    """A school of the user signs its people in with its own accounts only (its admin excepted)."""
    if user.is_admin:
        return False
    found = session.exec(
        select(SchoolSignIn.id)
        .join(Membership, col(Membership.school_id) == SchoolSignIn.school_id)
        .where(Membership.user_id == user.id, col(SchoolSignIn.passwords_off).is_(True))
    ).first()
    return found is not None


def start_session(session: Session, settings: Settings, user: User) -> tuple[str, UserSession]:
    token = new_token()
    row = UserSession(
        token_hash=token_hash(token),
        user_id=require_id(user),
        csrf_token=new_token(24),
        expires_at=clock.now() + timedelta(days=settings.session_days),
    )
    session.add(row)
    session.flush()
    return token, row


# Built once: every request signs in with one of these (models/item.py says why that counts).
_SIGNED_IN = (
    select(User, UserSession)
    .join(UserSession, col(UserSession.user_id) == col(User.id))
    .where(
        col(UserSession.token_hash) == bindparam("token_hash"),
        col(UserSession.revoked_at).is_(None),
        col(UserSession.expires_at) > bindparam("now"),
    )
)
_TOKEN_USER = (
    select(User)
    .join(ApiToken, col(ApiToken.user_id) == col(User.id))
    .where(col(ApiToken.token_hash) == bindparam("token_hash"), col(ApiToken.revoked_at).is_(None))
)


def session_user(session: Session, token: str) -> tuple[User, UserSession] | None:
    row = session.exec(
        _SIGNED_IN, params={"token_hash": token_hash(token), "now": clock.now()}
    ).first()
    return (row[0], row[1]) if row else None


def end_session(session: Session, user_session: UserSession) -> None:
    user_session.revoked_at = clock.now()
    session.add(user_session)


# --- API tokens ---------------------------------------------------------------------------------


def create_token(session: Session, user: User, label: str = "") -> tuple[str, ApiToken]:
    """A new token; only its hash is kept, so this is the one time it can be shown."""
    token = "bord_" + new_token()
    row = ApiToken(token_hash=token_hash(token), user_id=require_id(user), label=label)
    session.add(row)
    session.flush()
    return token, row


def token_user(session: Session, token: str) -> User | None:
    return session.exec(_TOKEN_USER, params={"token_hash": token_hash(token)}).first()


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, col(ApiToken.revoked_at).is_(None))
            .order_by(col(ApiToken.id))
        )
    )


def revoke_token(session: Session, user: User, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound()
    row.revoked_at = clock.now()
    session.add(row)


def set_locale(session: Session, user: User, locale: str) -> None:
    if locale not in ("nl", "en"):
        raise Invalid("locale", "unknown language")
    user.locale = locale
    session.add(user)


def memberships_of(session: Session, user: User) -> list[Membership]:
    return list(
        session.exec(
            select(Membership)
            .where(col(Membership.user_id) == user.id)
            .order_by(col(Membership.school_id))
        )
    )


def set_name(session: Session, user: User, name: str) -> None:
    user.name = name.strip()
    session.add(user)


# --- lockout (the login throttle, seen by the school leader) ------------------------------------


def locked_emails(session: Session, settings: Settings, emails: list[str]) -> set[str]:
    """Which of `emails` the login page refuses now for too many failed attempts."""
    if not emails:
        return set()
    since = clock.now() - timedelta(minutes=settings.login_window_minutes)
    keys = {_throttle_keys(email, "")[0]: normalise_email(email) for email in emails}
    rows = session.exec(
        select(LoginFailure.key)
        .where(col(LoginFailure.key).in_(list(keys)), LoginFailure.at >= since)
        .group_by(LoginFailure.key)
        .having(func.count() >= settings.login_max_failures)
    ).all()
    return {keys[key] for key in rows}


def unlock(session: Session, email: str) -> None:
    """Forget the failed logins for `email`, so its owner may try again at once."""
    session.exec(delete(LoginFailure).where(col(LoginFailure.key) == _throttle_keys(email, "")[0]))


# --- one's own logins -----------------------------------------------------------------------------


def logins_of(session: Session, user: User) -> list[UserSession]:
    """The user's logins that still work, newest first."""
    return list(
        session.exec(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                col(UserSession.revoked_at).is_(None),
                UserSession.expires_at > clock.now(),
            )
            .order_by(col(UserSession.created_at).desc(), col(UserSession.id).desc())
        )
    )


def end_login(session: Session, user: User, login_id: int) -> None:
    row = session.get(UserSession, login_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound()
    end_session(session, row)


def end_logins(session: Session, user: User, keep: UserSession | None = None) -> int:
    """End every login of `user` but `keep`; returns how many ended."""
    query = update(UserSession).where(
        col(UserSession.user_id) == user.id, col(UserSession.revoked_at).is_(None)
    )
    if keep is not None:
        query = query.where(col(UserSession.id) != keep.id)
    return session.exec(query.values(revoked_at=clock.now())).rowcount


def revoke_tokens(session: Session, user: User) -> None:
    session.exec(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user.id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=clock.now())
    )


def change_password(
    session: Session, user: User, current: str, new: str, keep: UserSession | None
) -> None:
    """A new password; every other login of the user ends (`keep`, this one, stays)."""
    if not verify_password(current, user.password_hash):
        raise Invalid("current_password", "this is not your current password", "wrong_password")
    check_password(new, "new_password")
    user.password_hash = hash_password(new)
    session.add(user)
    end_logins(session, user, keep)
