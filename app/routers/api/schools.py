"""Schools, their teams, team members and the boards of a team."""

from typing import Annotated

from fastapi import Query, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.board import Board, BoardCreate, BoardPublic
from app.models.rows import require_id
from app.models.school import (
    MemberAdd,
    MemberPublic,
    School,
    SchoolCreate,
    SchoolPublic,
    SchoolUpdate,
    Team,
    TeamCreate,
    TeamPublic,
    TeamUpdate,
)
from app.routing import APIRouter
from app.services import schools, teams
from app.web.api_common import set_board_version, versioned

ArchivedQuery = Annotated[
    bool, Query(description="true: the archived ones instead (they can be restored)")
]

router = APIRouter(tags=["schools"])


@router.get("/schools", response_model=list[SchoolPublic])
def list_schools(user: CurrentUser, session: SessionDep) -> list[School]:
    return schools.schools_of(session, user)


@router.post("/schools", status_code=201, response_model=SchoolPublic)
def create_school(data: SchoolCreate, user: CurrentUser, session: SessionDep) -> School:
    """Admins only; anyone else is answered 404."""
    return schools.create_school(session, user, data)


@router.patch("/schools/{school_id}", response_model=SchoolPublic)
def update_school(
    school_id: IdPath, data: SchoolUpdate, user: CurrentUser, session: SessionDep
) -> School:
    """Admins only: name, slug, BRIN code (`null` removes it), time zone."""
    return schools.update_school(session, user, school_id, data)


@router.get("/schools/{school_id}/teams", response_model=list[TeamPublic])
def list_teams(
    school_id: IdPath, user: CurrentUser, session: SessionDep, archived: ArchivedQuery = False
) -> list[Team]:
    return schools.teams_of(session, user, school_id, archived=archived)


@router.post("/schools/{school_id}/teams", status_code=201, response_model=TeamPublic)
def create_team(
    school_id: IdPath, data: TeamCreate, user: CurrentUser, session: SessionDep
) -> Team:
    """The school's leader (or an admin)."""
    return schools.create_team(session, user, school_id, data)


@router.patch("/teams/{team_id}", response_model=TeamPublic)
def update_team(team_id: IdPath, data: TeamUpdate, user: CurrentUser, session: SessionDep) -> Team:
    """The school's leader (or an admin): rename; `archived: true` archives the team with its
    boards, `archived: false` restores them."""
    return teams.update_team(session, user, team_id, data)


@router.post("/teams/{team_id}/members", status_code=201, response_model=MemberPublic)
def add_member(
    team_id: IdPath, data: MemberAdd, user: CurrentUser, session: SessionDep
) -> MemberPublic:
    """Add an existing user by email; `role` sets their role in the school."""
    team, member, membership = schools.add_team_member(session, user, team_id, data)
    return MemberPublic(
        team_id=require_id(team),
        user_id=require_id(member),
        email=member.email,
        name=member.name,
        role=membership.role,
    )


@router.get("/teams/{team_id}/boards", response_model=list[BoardPublic])
def list_boards(
    team_id: IdPath, user: CurrentUser, session: SessionDep, archived: ArchivedQuery = False
) -> list[Board]:
    return schools.boards_of_team(session, user, team_id, archived=archived)


@router.post(
    "/teams/{team_id}/boards",
    status_code=201,
    response_model=BoardPublic,
    responses=versioned(201),
)
def create_board(
    team_id: IdPath, data: BoardCreate, user: CurrentUser, session: SessionDep, response: Response
) -> Board:
    """A care board belongs to an IB'er, who makes it, or whom a leader names (`ib_email`);
    it is visible only to its members."""
    board = schools.create_board(session, user, team_id, data)
    set_board_version(response, session, require_id(board))
    return board
