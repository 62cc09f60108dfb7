"""Signing in with the school's own account: which school a sign-in is for, and which account
of that school it opens. The provider's answer has been checked (app/security/oidc.py) before
anything here runs; a refusal creates and links nothing."""

import re
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.config import OidcProvider
from app.errors import Invalid, NotFound
from app.models import IdentityLink, Membership, Role, School, SchoolSignIn, User
from app.security.tokens import new_token
from app.services import accounts, invitations

SLUG = re.compile(r"[a-z0-9-]{1,60}")
DOMAIN = re.compile(r"[a-z0-9.-]{1,100}\.[a-z0-9-]{2,63}")

# Why a sign-in is refused (the page says it in the reader's language).
UNVERIFIED = "unverified"
NO_ACCOUNT = "no_account"
OTHER_SCHOOL = "other_school"
NOT_STAFF = "not_staff"


class Refused(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def for_school(session: Session, slug: str) -> tuple[School, SchoolSignIn]:
    """The school by its slug with its sign-in settings; NotFound when it has none."""
    if not SLUG.fullmatch(slug.strip().lower()):
        raise NotFound()
    found = session.exec(
        select(School, SchoolSignIn)
        .join(SchoolSignIn, col(SchoolSignIn.school_id) == School.id)
        .where(School.slug == slug.strip().lower())
    ).first()
    if found is None:
        raise NotFound()
    return found[0], found[1]


def for_domain(session: Session, email: str) -> list[tuple[School, SchoolSignIn]]:
    """The schools that named the address's domain as theirs, with their settings."""
    domain = accounts.normalise_email(email).rpartition("@")[2]
    if not DOMAIN.fullmatch(domain):
        return []
    rows = session.exec(
        select(School, SchoolSignIn)
        .join(SchoolSignIn, col(SchoolSignIn.school_id) == School.id)
        .where(col(SchoolSignIn.domains).contains(domain))
        .order_by(School.name)
    ).all()
    return [(school, config) for school, config in rows if domain in config.domain_list]


def settings_of(session: Session, school_id: int) -> SchoolSignIn | None:
    return session.exec(select(SchoolSignIn).where(SchoolSignIn.school_id == school_id)).first()


def all_settings(session: Session) -> dict[int, SchoolSignIn]:
    """Every school's sign-in settings, by school id (the admin's schools page)."""
    return {row.school_id: row for row in session.exec(select(SchoolSignIn))}


def save_settings(
    session: Session,
    user: User,
    school_id: int,
    *,
    provider: str,
    domains: str,
    auto_accounts: bool,
    passwords_off: bool,
    providers: dict[str, OidcProvider],
) -> SchoolSignIn | None:
    """The installation's admin switches a school's sign-in on (a provider) or off (none)."""
    school = session.get(School, school_id)
    if not user.is_admin or school is None:
        raise NotFound()
    current = settings_of(session, school_id)
    if not provider:
        if current is not None:
            session.delete(current)
            session.flush()
        return None
    if provider not in providers:
        raise Invalid("provider", "unknown provider", kind="unknown_provider")
    names = [d.strip().lstrip("@").lower() for d in domains.replace(",", " ").split()]
    if not all(DOMAIN.fullmatch(d) for d in names):
        raise Invalid("domains", "not a list of e-mail domains", kind="bad_domains")
    row = current or SchoolSignIn(school_id=school_id, provider=provider)
    row.provider = provider
    row.domains = " ".join(dict.fromkeys(names))[:500]
    row.auto_accounts = auto_accounts
    row.passwords_off = passwords_off
    session.add(row)
    session.flush()
    return row


def account_for(
    session: Session,
    school: School,
    config: SchoolSignIn,
    provider: OidcProvider,
    issuer: str,
    claims: dict[str, Any],
) -> User:
    """The account of `school` that the provider's checked claims stand for.

    Two first sign-ins of one person at once (two tabs) both try to link the subject (and maybe
    make the account): the second one's insert fails on the unique key, and it is answered as if
    it came after the first, from what the first one committed."""
    try:
        with session.begin_nested():
            return _account_for(session, school, config, provider, issuer, claims)
    except IntegrityError:
        return _account_for(session, school, config, provider, issuer, claims)


def _account_for(
    session: Session,
    school: School,
    config: SchoolSignIn,
    provider: OidcProvider,
    issuer: str,
    claims: dict[str, Any],
) -> User:
    assert school.id is not None
    if not _staff(provider, claims):
        raise Refused(NOT_STAFF)
    subject = str(claims["sub"])[:255]
    link = session.exec(
        select(IdentityLink).where(IdentityLink.issuer == issuer, IdentityLink.subject == subject)
    ).first()
    if link is not None:
        # Once linked, the subject decides; the address it sends now does not matter.
        if link.school_id != school.id or not _member(session, link.user_id, school.id):
            raise Refused(OTHER_SCHOOL)
        user = session.get(User, link.user_id)
        assert user is not None
        return user
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") not in (True, "true"):
        raise Refused(UNVERIFIED)
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    user = _account(session, school, config, provider, claims, email, str(name))
    assert user.id is not None
    session.add(IdentityLink(issuer=issuer, subject=subject, user_id=user.id, school_id=school.id))
    session.flush()
    return user


def _account(
    session: Session,
    school: School,
    config: SchoolSignIn,
    provider: OidcProvider,
    claims: dict[str, Any],
    email: str,
    name: str,
) -> User:
    assert school.id is not None
    existing = accounts.find_user(session, email)
    member = existing is not None and _member(session, existing.id or 0, school.id)
    if existing is not None and member:
        return existing
    invitation = invitations.pending_for(session, school.id, email)
    if invitation is not None:
        return invitations.accept_signed_in(session, invitation, name)
    if existing is not None:
        raise Refused(OTHER_SCHOOL)
    if not config.auto_accounts or not _belongs(school, config, provider, claims, email):
        raise Refused(NO_ACCOUNT)
    local_part = email.partition("@")[0]
    return accounts.create_user(
        session,
        email=email,
        name=name.strip()[:120] or local_part[:120],
        password=new_token(),
        school=school,
        role=Role.teacher,
    )


def _belongs(
    school: School,
    config: SchoolSignIn,
    provider: OidcProvider,
    claims: dict[str, Any],
    email: str,
) -> bool:
    """The address is of one of the school's domains, or the provider names the school's BRIN."""
    if accounts.normalise_email(email).rpartition("@")[2] in config.domain_list:
        return True
    if provider.brin_claim and school.brin:
        sent = claims.get(provider.brin_claim)
        values = sent if isinstance(sent, list) else [sent]
        return any(isinstance(v, str) and v.strip().upper() == school.brin for v in values)
    return False


def _staff(provider: OidcProvider, claims: dict[str, Any]) -> bool:
    if not provider.role_claim:
        return True
    sent = claims.get(provider.role_claim)
    values = sent if isinstance(sent, list) else [sent]
    staff = {role.lower() for role in provider.staff_roles}
    return any(isinstance(v, str) and v.strip().lower() in staff for v in values)


def _member(session: Session, user_id: int, school_id: int) -> bool:
    return (
        session.exec(
            select(Membership.id).where(
                Membership.user_id == user_id, Membership.school_id == school_id
            )
        ).first()
        is not None
    )
