"""Your own account: who you are, your name and language, and where you are signed in."""

from fastapi import Response
from sqlmodel import Session

from app.deps import AuthDep, CurrentUser, IdPath, SessionDep
from app.models.home import HomePublic
from app.models.people import LoginPublic, ProfileUpdate
from app.models.rows import require_id
from app.models.school import MembershipPublic, MePublic, User
from app.routing import APIRouter
from app.services import accounts, home

router = APIRouter(tags=["me"])


def _me(session: Session, user: User) -> MePublic:
    memberships = [
        MembershipPublic(school_id=m.school_id, role=m.role)
        for m in accounts.memberships_of(session, user)
    ]
    return MePublic(
        id=require_id(user),
        email=user.email,
        name=user.name,
        is_admin=user.is_admin,
        locale=user.locale,
        memberships=memberships,
    )


@router.get("/me", response_model=MePublic)
def read_me(user: CurrentUser, session: SessionDep) -> MePublic:
    return _me(session, user)


@router.patch("/me", response_model=MePublic)
def update_me(data: ProfileUpdate, user: CurrentUser, session: SessionDep) -> MePublic:
    """Your name and language (`nl` or `en`); fields left out stay as they are."""
    if data.name is not None:
        accounts.set_name(session, user, data.name)
    if data.locale is not None:
        accounts.set_locale(session, user, data.locale)
    return _me(session, user)


@router.get("/me/sessions", response_model=list[LoginPublic])
def list_logins(auth: AuthDep, session: SessionDep) -> list[LoginPublic]:
    """The browsers you are signed in on; `current` is the one asking (none, with a token)."""
    current = auth.login.id if auth.login else None
    return [
        LoginPublic(
            id=require_id(row),
            created_at=row.created_at,
            expires_at=row.expires_at,
            current=row.id == current,
        )
        for row in accounts.logins_of(session, auth.user)
    ]


@router.delete("/me/sessions", status_code=204, response_class=Response)
def end_other_logins(auth: AuthDep, session: SessionDep) -> Response:
    """Sign out everywhere else: every login but the one asking ends."""
    accounts.end_logins(session, auth.user, keep=auth.login)
    return Response(status_code=204)


@router.delete("/me/sessions/{login_id}", status_code=204, response_class=Response)
def end_login(login_id: IdPath, auth: AuthDep, session: SessionDep) -> Response:
    accounts.end_login(session, auth.user, login_id)
    return Response(status_code=204)


@router.get("/me/home", response_model=HomePublic)
def read_home(user: CurrentUser, session: SessionDep) -> HomePublic:
    """What the start page shows: my open actions (late first, then due this week, then later),
    my teams' bordsessies, answers to my help requests and, for a leader, the teams that need
    attention."""
    return home.public(session, user)
