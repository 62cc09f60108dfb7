"""Goals, successes, plan items, ideas and help requests: one set of routes, described per kind.

Each kind gets `POST /boards/{board_id}/<path>`, `PATCH /<path>/{item_id}` and
`DELETE /<path>/{item_id}`; the rules live in services/items.py.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Response
from sqlmodel import Session, SQLModel

from app.deps import CurrentUser, IdPath, SessionDep
from app.models import Board
from app.models.goal import GoalCreate, GoalPublic, GoalUpdate, MeasurementCreate, MeasurementPublic
from app.models.notes import (
    HelpAnswer,
    HelpRequestCreate,
    HelpRequestPublic,
    HelpRequestUpdate,
    IdeaCreate,
    IdeaPublic,
    IdeaUpdate,
    PlanItemCreate,
    PlanItemPublic,
    PlanItemUpdate,
    SuccessCreate,
    SuccessPublic,
    SuccessUpdate,
)
from app.models.rows import require_id
from app.services import items
from app.services.board_view import goal_public, goal_view, measurement_public
from app.services.school_time import board_today
from app.web.api_common import STALE, VersionQuery, no_content, set_board_version, versioned

router = APIRouter()


@dataclass(frozen=True)
class ItemApi:
    kind: items.Kind
    path: str
    tag: str
    create: type[SQLModel]
    update: type[SQLModel]
    public: type[SQLModel]
    to_public: Callable[[Session, Any], SQLModel] | None = None

    def answer(self, session: Session, item: Any) -> SQLModel:
        if self.to_public is not None:
            return self.to_public(session, item)
        return self.public.model_validate(item.model_dump())


def _goal(session: Session, goal: Any) -> GoalPublic:
    board = session.get(Board, goal.board_id)
    assert board is not None
    return goal_public(goal_view(session, goal, board_today(session, board)))


APIS = (
    ItemApi(items.GOAL, "goals", "goals", GoalCreate, GoalUpdate, GoalPublic, _goal),
    ItemApi(items.SUCCESS, "successes", "successes", SuccessCreate, SuccessUpdate, SuccessPublic),
    ItemApi(
        items.PLAN_ITEM, "plan-items", "plan items", PlanItemCreate, PlanItemUpdate, PlanItemPublic
    ),
    ItemApi(items.IDEA, "ideas", "ideas", IdeaCreate, IdeaUpdate, IdeaPublic),
    ItemApi(
        items.HELP_REQUEST,
        "help-requests",
        "help requests",
        HelpRequestCreate,
        HelpRequestUpdate,
        HelpRequestPublic,
    ),
)


def add_routes(api: ItemApi) -> None:
    entity = api.kind.entity

    def create(
        board_id: IdPath,
        data: api.create,  # type: ignore[name-defined]  # the kind's schema, read by FastAPI
        user: CurrentUser,
        session: SessionDep,
        response: Response,
    ) -> SQLModel:
        item = items.create_item(session, user, api.kind, board_id, data)
        set_board_version(response, session, item.board_id)
        return api.answer(session, item)

    def update(
        item_id: IdPath,
        data: api.update,  # type: ignore[name-defined]  # the kind's schema, read by FastAPI
        user: CurrentUser,
        session: SessionDep,
        response: Response,
    ) -> SQLModel:
        item = items.update_item(session, user, api.kind, item_id, data)
        set_board_version(response, session, item.board_id)
        return api.answer(session, item)

    def delete(
        item_id: IdPath, user: CurrentUser, session: SessionDep, version: VersionQuery = None
    ) -> Response:
        board = items.delete_item(session, user, api.kind, item_id, version)
        return no_content(board.version)

    router.add_api_route(
        f"/boards/{{board_id}}/{api.path}",
        create,
        methods=["POST"],
        status_code=201,
        response_model=api.public,
        responses=versioned(201),
        name=f"create_{entity}",
        tags=[api.tag],
    )
    router.add_api_route(
        f"/{api.path}/{{item_id}}",
        update,
        methods=["PATCH"],
        response_model=api.public,
        responses={**versioned(200), **STALE},
        name=f"update_{entity}",
        tags=[api.tag],
        description="Any of the fields, plus the `version` last read (a stale one answers 409).",
    )
    router.add_api_route(
        f"/{api.path}/{{item_id}}",
        delete,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        responses={**versioned(204), **STALE},
        name=f"delete_{entity}",
        tags=[api.tag],
    )


for _api in APIS:
    add_routes(_api)


@router.post(
    "/goals/{goal_id}/measurements",
    status_code=201,
    response_model=MeasurementPublic,
    responses=versioned(201),
    tags=["goals"],
)
def add_measurement(
    goal_id: IdPath,
    data: MeasurementCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> MeasurementPublic:
    measurement, board = items.add_measurement(session, user, goal_id, data)
    set_board_version(response, session, require_id(board))
    return measurement_public(measurement)


@router.post(
    "/help-requests/{item_id}/answer",
    response_model=HelpRequestPublic,
    responses={**versioned(200), **STALE},
    tags=["help requests"],
)
def answer_help_request(
    item_id: IdPath,
    data: HelpAnswer,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> HelpRequestPublic:
    """The school's leader answers. Changing an answer needs the `version` last read."""
    item = items.answer_help_request(session, user, item_id, data)
    set_board_version(response, session, item.board_id)
    return HelpRequestPublic.model_validate(item.model_dump())
