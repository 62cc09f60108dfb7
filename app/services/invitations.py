"""Invitations: a leader asks colleagues to join the school; the link in their mail makes their
account (or adds the school to the one they have) with the role and teams they were given.

A link is a long random token of which only the hash is kept; it works once, until it expires
or is withdrawn. The mail is queued in the same transaction as the invitation.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app import clock
from app.config import Settings
from app.errors import Conflict, Invalid, InvalidLines, LineFault, NotFound
from app.models import (
    Board,
    BoardKind,
    Invitation,
    Membership,
    Role,
    School,
    Team,
    TeamMember,
    User,
)
from app.models.links import InvitationBulk, InvitationCreate, InvitationPublic, LinkState
from app.models.rows import key_column, require_id
from app.security.policy import boards_clause, led_school
from app.security.tokens import new_token, token_hash
from app.services import accounts, addresses, mail, people

# The rules an invitation can break: each refusal names its rule (the error's `kind`, which a
# page says in the reader's language) and says it in English for the API.
BAD_ADDRESS = "bad_address"
ALREADY_INVITED = "already_invited"
ALREADY_MEMBER = "already_member"
LISTED_TWICE = "listed_twice"
UNKNOWN_TEAM = "unknown_team"
TOO_MANY = "too_many_lines"
EMPTY_LIST = "empty_list"
NAME_TOO_LONG = "name_too_long"
ENGLISH = {
    BAD_ADDRESS: "not a valid e-mail address",
    ALREADY_INVITED: "already invited",
    ALREADY_MEMBER: "already a member of this school",
    LISTED_TWICE: "listed twice",
    UNKNOWN_TEAM: "unknown team",
    TOO_MANY: "too many lines",
    EMPTY_LIST: "the list is empty",
    NAME_TOO_LONG: "name too long",
}


def refusal(field: str, kind: str) -> Invalid:
    """The refusal of `field` for breaking the rule `kind`."""
    return Invalid(field, ENGLISH[kind], kind=kind)


def _fault(line: int, kind: str) -> LineFault:
    return LineFault(line, kind, ENGLISH[kind])


@dataclass
class Sent:
    invitation: Invitation
    link: str  # shown to the leader only when no mail goes out: it is not kept


def state(invitation: Invitation) -> LinkState:
    if invitation.accepted_at is not None:
        return LinkState.accepted
    if invitation.withdrawn_at is not None:
        return LinkState.withdrawn
    if invitation.expires_at <= clock.now():
        return LinkState.expired
    return LinkState.pending


def public(invitation: Invitation, link: str | None = None) -> InvitationPublic:
    return InvitationPublic.model_validate(
        invitation, update={"status": state(invitation), "link": link}
    )


def invitations_of(session: Session, user: User, school_id: int) -> list[Invitation]:
    led_school(session, user, school_id)
    return list(
        session.exec(
            select(Invitation)
            .where(Invitation.school_id == school_id)
            .order_by(col(Invitation.created_at).desc(), col(Invitation.id).desc())
        )
    )


@dataclass
class Listing:
    """What the leader's invitations page shows."""

    school: School
    teams: list[Team]
    invitations: list[tuple[Invitation, LinkState]]


def listing(session: Session, user: User, school_id: int) -> Listing:
    school = led_school(session, user, school_id)
    teams = session.exec(select(Team).where(Team.school_id == school_id).order_by(Team.name))
    rows = invitations_of(session, user, school_id)
    return Listing(school, list(teams), [(i, state(i)) for i in rows])


def school_of(session: Session, invitation: Invitation) -> School:
    school = session.get(School, invitation.school_id)
    assert school is not None  # the invitation goes with its school
    return school


def invite(
    session: Session,
    settings: Settings,
    user: User,
    school_id: int,
    data: InvitationCreate,
    base_url: str,
) -> Sent:
    school = _lock(session, led_school(session, user, school_id))
    _check_teams(session, require_id(school), data.team_ids)
    email = accounts.normalise_email(data.email)
    problem = (
        BAD_ADDRESS
        if not addresses.is_address(email)
        else _taken(session, require_id(school), email)
    )
    if problem:
        raise refusal("email", problem)
    locale = data.locale or settings.default_locale
    people = [(email, data.name)]
    return _create(
        session, settings, user, school, people, data.role, data.team_ids, locale, base_url
    )[0]


def invite_many(
    session: Session,
    settings: Settings,
    user: User,
    school_id: int,
    data: InvitationBulk,
    base_url: str,
) -> list[Sent]:
    """Everyone on the list, or nobody: any fault on any line refuses the whole list."""
    school = _lock(session, led_school(session, user, school_id))
    _check_teams(session, require_id(school), data.team_ids)
    lines = addresses.parse_list(data.addresses)
    if not lines:
        raise refusal("addresses", EMPTY_LIST)
    if len(lines) > addresses.MAX_LINES:
        raise refusal("addresses", TOO_MANY)
    problems: list[LineFault] = []
    seen: set[str] = set()
    people = []
    for number, name, address in lines:
        email = accounts.normalise_email(address or "")
        if not addresses.is_address(email):
            problems.append(_fault(number, BAD_ADDRESS))
        elif email in seen:
            problems.append(_fault(number, LISTED_TWICE))
        elif len(name) > 120:
            problems.append(_fault(number, NAME_TOO_LONG))
        elif problem := _taken(session, require_id(school), email):
            problems.append(_fault(number, problem))
        seen.add(email)
        people.append((email, name or addresses.name_from(email)))
    if problems:
        raise InvalidLines("addresses", problems)
    locale = data.locale or settings.default_locale
    return _create(
        session, settings, user, school, people, data.role, data.team_ids, locale, base_url
    )


def withdraw(
    session: Session, user: User, invitation_id: int, school_id: int | None = None
) -> Invitation:
    invitation = _led_invitation(session, user, invitation_id, school_id)
    if invitation.accepted_at is not None:
        raise Conflict(public(invitation), "already accepted")
    if invitation.withdrawn_at is None:
        invitation.withdrawn_at = clock.now()
        session.add(invitation)
    return invitation


def resend(
    session: Session,
    settings: Settings,
    user: User,
    invitation_id: int,
    base_url: str,
    school_id: int | None = None,
) -> Sent:
    """A new link with a new expiry, in a new mail; the old link stops working."""
    invitation = _led_invitation(session, user, invitation_id, school_id)
    if state(invitation) not in (LinkState.pending, LinkState.expired):
        raise Conflict(public(invitation), f"already {state(invitation).value}")
    school = school_of(session, invitation)
    token = _renew(invitation, settings)
    session.add(invitation)
    return _mail(session, settings, invitation, school, user, token, base_url)


# --- the invited colleague ----------------------------------------------------------------------


def find(session: Session, token: str) -> Invitation | None:
    if not token or len(token) > 200:
        return None
    return session.exec(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    ).first()


def existing_account(session: Session, invitation: Invitation) -> User | None:
    return accounts.find_user(session, invitation.email)


def accept(session: Session, token: str, *, name: str, password: str, current: User | None) -> User:
    """Make the account (or, for someone who has one, add the school to it when they are
    signed in as themselves) and the memberships; the link is used up."""
    invitation = find(session, token)
    if invitation is None or state(invitation) != LinkState.pending:
        raise NotFound()
    existing = existing_account(session, invitation)
    if existing is not None and (current is None or current.id != existing.id):
        raise Invalid("account", "sign in as the invited user first", kind="sign_in_first")
    _claim(session, invitation)
    user = existing or accounts.create_user(
        session, email=invitation.email, name=name.strip() or invitation.name, password=password
    )
    return _accepted(session, invitation, user, new=existing is None)


def pending_for(session: Session, school_id: int, email: str) -> Invitation | None:
    """The school's open invitation for this address, if any."""
    return session.exec(
        select(Invitation).where(
            Invitation.school_id == school_id,
            Invitation.email == accounts.normalise_email(email),
            col(Invitation.accepted_at).is_(None),
            col(Invitation.withdrawn_at).is_(None),
            col(Invitation.expires_at) > clock.now(),
        )
    ).first()


def accept_signed_in(session: Session, invitation: Invitation, name: str) -> User:
    """Accept for someone whose school account vouches for the invited address: their account
    (made without a password they know, when they had none) joins the school."""
    _claim(session, invitation)
    existing = existing_account(session, invitation)
    user = existing or accounts.create_user(
        session,
        email=invitation.email,
        name=name.strip()[:120] or invitation.name,
        password=new_token(),
    )
    return _accepted(session, invitation, user, new=existing is None)


def _claim(session: Session, invitation: Invitation) -> None:
    now = clock.now()
    claimed = session.exec(
        update(Invitation)
        .where(
            col(Invitation.id) == invitation.id,
            col(Invitation.accepted_at).is_(None),
            col(Invitation.withdrawn_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(accepted_at=now)
    )
    if claimed.rowcount != 1:  # used or withdrawn a moment ago
        raise NotFound()


def _accepted(session: Session, invitation: Invitation, user: User, *, new: bool) -> User:
    if new:
        user.locale = invitation.locale
        session.add(user)
    invitation.accepted_by_id = user.id
    session.add(invitation)
    _join(session, invitation, user)
    return user


def landing(session: Session, user: User, invitation: Invitation) -> str:
    """The first board of the colleague's first team, else the start page."""
    team_ids = invitation.team_ids or [-1]
    board = session.exec(
        select(Board)
        .where(col(Board.team_id).in_(team_ids), Board.kind != BoardKind.care, boards_clause(user))
        .order_by(col(Board.team_id), col(Board.id))
    ).first()
    return f"/boards/{board.id}" if board else "/"


# --- inside -------------------------------------------------------------------------------------


def _led_invitation(
    session: Session, user: User, invitation_id: int, school_id: int | None
) -> Invitation:
    """The invitation if `user` leads its school (and it is of `school_id`, when given)."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or school_id not in (None, invitation.school_id):
        raise NotFound()
    led_school(session, user, invitation.school_id)
    return invitation


def _lock(session: Session, school: School) -> School:
    """Invitations of one school are made one at a time, so that two leaders inviting the
    same address at once make one invitation (SQLite's single writer does this already)."""
    session.exec(select(School.id).where(School.id == school.id).with_for_update())
    return school


def _check_teams(session: Session, school_id: int, team_ids: list[int]) -> None:
    if not team_ids:
        return
    known = set(
        session.exec(
            select(Team.id).where(col(Team.id).in_(team_ids), Team.school_id == school_id)
        ).all()
    )
    if set(team_ids) - known:
        raise refusal("team_ids", UNKNOWN_TEAM)


def _taken(session: Session, school_id: int, email: str) -> str | None:
    member = session.exec(
        select(Membership.id)
        .join(User, col(User.id) == col(Membership.user_id))
        .where(Membership.school_id == school_id, User.email == email)
    ).first()
    if member is not None:
        return ALREADY_MEMBER
    pending = session.exec(
        select(Invitation.id).where(
            Invitation.school_id == school_id,
            Invitation.email == email,
            col(Invitation.accepted_at).is_(None),
            col(Invitation.withdrawn_at).is_(None),
            Invitation.expires_at > clock.now(),
        )
    ).first()
    return ALREADY_INVITED if pending is not None else None


def _renew(invitation: Invitation, settings: Settings) -> str:
    token = new_token()
    invitation.token_hash = token_hash(token)
    invitation.expires_at = clock.now() + timedelta(days=settings.invitation_days)
    return token


def _create(
    session: Session,
    settings: Settings,
    inviter: User,
    school: School,
    people: list[tuple[str, str]],
    role: str,
    team_ids: list[int],
    locale: str,
    base_url: str,
) -> list[Sent]:
    sent = []
    for email, name in people:
        invitation = Invitation(
            school_id=require_id(school),
            email=email,
            name=name.strip(),
            role=Role(role),
            team_ids=sorted(set(team_ids)),
            locale=locale,
            invited_by_id=inviter.id,
            token_hash="",
            expires_at=clock.now(),
        )
        token = _renew(invitation, settings)
        session.add(invitation)
        session.flush()
        sent.append(_mail(session, settings, invitation, school, inviter, token, base_url))
    return sent


def _mail(
    session: Session,
    settings: Settings,
    invitation: Invitation,
    school: School,
    inviter: User,
    token: str,
    base_url: str,
) -> Sent:
    link = f"{base_url}/invitations/{token}"
    mail.queue(
        session,
        settings,
        invitation.email,
        invitation.locale,
        "invitation",
        name=invitation.name,
        school=school.name,
        inviter=inviter.name,
        link=link,
        expires_at=invitation.expires_at,
    )
    session.flush()
    return Sent(invitation, link)


def _join(session: Session, invitation: Invitation, user: User) -> None:
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.school_id == invitation.school_id
        )
    ).first()
    if membership is None:
        session.add(
            Membership(
                user_id=require_id(user), school_id=invitation.school_id, role=invitation.role
            )
        )
    teams = session.exec(
        select(key_column(Team)).where(
            col(Team.id).in_(invitation.team_ids or [-1]), Team.school_id == invitation.school_id
        )
    ).all()
    already = set(
        session.exec(
            select(TeamMember.team_id).where(
                TeamMember.user_id == user.id, col(TeamMember.team_id).in_(teams or [-1])
            )
        ).all()
    )
    joined = set(teams) - already
    for team_id in joined:
        session.add(TeamMember(team_id=team_id, user_id=require_id(user)))
    session.flush()
    # the new colleague appears on their teams' boards (the session panel's attendance list)
    people.announce(session, user, user, invitation.school_id, set(), joined)
