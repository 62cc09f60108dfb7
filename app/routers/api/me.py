from fastapi import APIRouter

from app.deps import CurrentUser, SessionDep
from app.models.home import HomePublic
from app.models.school import MembershipPublic, MePublic
from app.services import accounts, home

router = APIRouter(tags=["me"])


@router.get("/me", response_model=MePublic)
def read_me(user: CurrentUser, session: SessionDep) -> MePublic:
    memberships = [
        MembershipPublic(school_id=m.school_id, role=m.role)
        for m in accounts.memberships_of(session, user)
    ]
    return MePublic(
        id=user.id,
        email=user.email,
        name=user.name,
        is_admin=user.is_admin,
        locale=user.locale,
        memberships=memberships,
    )


@router.get("/me/home", response_model=HomePublic)
def read_home(user: CurrentUser, session: SessionDep) -> HomePublic:
    """What the start page shows: my open actions (late first, then due this week, then later),
    my teams' bordsessies, answers to my help requests and, for a leader, the teams that need
    attention."""
    return home.public(session, user)
