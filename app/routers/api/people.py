"""A school's people, for its leaders (and admins): role, teams, unlocking, removing access."""

from fastapi import Response

from app.deps import CurrentUser, IdPath, SessionDep, SettingsDep
from app.models.people import PersonPublic, PersonUpdate
from app.routing import APIRouter
from app.services import people

router = APIRouter(tags=["people"])


@router.get("/schools/{school_id}/people", response_model=list[PersonPublic])
def list_people(
    school_id: IdPath, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> list[PersonPublic]:
    """Everyone with a role in the school; `locked` when the login page refuses them for too
    many failed attempts."""
    return people.people_of(session, user, school_id, settings)


@router.patch("/schools/{school_id}/people/{user_id}", response_model=PersonPublic)
def update_person(
    school_id: IdPath,
    user_id: IdPath,
    data: PersonUpdate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> PersonPublic:
    """Sets the fields sent (the last write wins); `team_ids` replaces the person's teams in
    this school. The school's last leader cannot be demoted (422, `role`)."""
    found = people.update_person(session, user, school_id, user_id, data)
    return people.describe(session, school_id, settings, found)


@router.post("/schools/{school_id}/people/{user_id}/unlock", response_model=PersonPublic)
def unlock_person(
    school_id: IdPath,
    user_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> PersonPublic:
    """Forget their failed logins: they may sign in again at once."""
    found = people.unlock(session, user, school_id, user_id)
    return people.describe(session, school_id, settings, found)


@router.delete("/schools/{school_id}/people/{user_id}", status_code=204, response_class=Response)
def remove_person(
    school_id: IdPath, user_id: IdPath, user: CurrentUser, session: SessionDep
) -> Response:
    """Their membership and teams here end and their open boards of the school close; with no
    other school, their logins and tokens end too. What they wrote stays. The school's last
    leader cannot be removed (422, `user_id`)."""
    people.remove(session, user, school_id, user_id)
    return Response(status_code=204)
