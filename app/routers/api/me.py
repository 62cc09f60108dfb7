from fastapi import APIRouter

from app.deps import CurrentUser, SessionDep
from app.models.rows import require_id
from app.models.school import MembershipPublic, MePublic
from app.services import accounts

router = APIRouter(tags=["me"])


@router.get("/me", response_model=MePublic)
def read_me(user: CurrentUser, session: SessionDep) -> MePublic:
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
