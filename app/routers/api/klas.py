"""Bord in de Klas: the pupils' first names, this week's roles, and klasscherm links (their
token path is shown once, when the link is made)."""

from fastapi import Response

from app import clock
from app.deps import CurrentUser, IdPath, SessionDep
from app.models.klas import PupilsPublic, PupilsUpdate, RolesPublic
from app.models.rows import require_id
from app.models.screen import ScreenCreate, ScreenCreated, ScreenLink, ScreenPublic
from app.routing import APIRouter
from app.services import class_pupils, class_screens
from app.services.school_time import board_today
from app.web.api_common import board_version, no_content

router = APIRouter(tags=["class boards"])


@router.get("/boards/{board_id}/pupils", response_model=PupilsPublic)
def get_pupils(board_id: IdPath, user: CurrentUser, session: SessionDep) -> PupilsPublic:
    return PupilsPublic(board_id=board_id, names=class_pupils.get_names(session, user, board_id))


@router.put("/boards/{board_id}/pupils", response_model=PupilsPublic)
def put_pupils(
    board_id: IdPath, data: PupilsUpdate, user: CurrentUser, session: SessionDep
) -> PupilsPublic:
    """Replace the class's first names (blank and repeated names are left out)."""
    names = class_pupils.set_names(session, user, board_id, data.names)
    return PupilsPublic(board_id=board_id, names=names)


@router.get("/boards/{board_id}/roles", response_model=RolesPublic)
def get_roles(board_id: IdPath, user: CurrentUser, session: SessionDep) -> RolesPublic:
    """This ISO week's pupil roles, rotating through the names every week."""
    board = class_pupils.class_board(session, user, board_id)
    today = board_today(session, board)
    roles = class_pupils.week_roles(session, board, today)
    return RolesPublic(board_id=board_id, week=clock.iso_week(today), roles=roles)


@router.get("/boards/{board_id}/class-screens", response_model=list[ScreenPublic])
def list_class_screens(
    board_id: IdPath, user: CurrentUser, session: SessionDep
) -> list[ScreenLink]:
    return class_screens.links_of(session, user, board_id)


@router.post("/boards/{board_id}/class-screens", status_code=201, response_model=ScreenCreated)
def create_class_screen(
    board_id: IdPath, data: ScreenCreate, user: CurrentUser, session: SessionDep
) -> ScreenCreated:
    token, row = class_screens.create(session, user, board_id, data.label)
    return ScreenCreated(
        id=require_id(row),
        board_id=row.board_id,
        label=row.label,
        created_at=row.created_at,
        path=class_screens.class_path(token),
    )


@router.delete("/class-screens/{link_id}", status_code=204, response_class=Response)
def revoke_class_screen(link_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    """Revoke a klasscherm link: its open screens close on every instance."""
    link = class_screens.revoke(session, user, link_id)
    return no_content(board_version(session, link.board_id))
