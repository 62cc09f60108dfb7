"""Board items of every kind (services/item_kinds.py): one set of routes.

Each kind gets `POST /boards/{board_id}/<slug>`, `PATCH /<slug>/{item_id}` and
`DELETE /<slug>/{item_id}`; the rules live in services/items.py. What only some kinds do
follows below.
"""

from fastapi import Response
from sqlmodel import SQLModel

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.goal import MeasurementCreate, MeasurementPublic
from app.models.notes import (
    HelpAnswer,
    HelpRequestPublic,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import item_kinds, items
from app.services.item_reads import measurement_public
from app.web.api_common import STALE, VersionQuery, no_content, set_board_version, versioned

router = APIRouter()


def add_routes(kind: item_kinds.ItemKind) -> None:
    entity = kind.entity

    def create(
        board_id: IdPath,
        data: kind.create,  # type: ignore[name-defined]  # the kind's schema, read by FastAPI
        user: CurrentUser,
        session: SessionDep,
        response: Response,
    ) -> SQLModel:
        item = items.create_item(session, user, kind, board_id, data)
        set_board_version(response, session, item.board_id)
        return kind.answer(session, item)

    def update(
        item_id: IdPath,
        data: kind.update,  # type: ignore[name-defined]  # the kind's schema, read by FastAPI
        user: CurrentUser,
        session: SessionDep,
        response: Response,
    ) -> SQLModel:
        item = items.update_item(session, user, kind, item_id, data)
        set_board_version(response, session, item.board_id)
        return kind.answer(session, item)

    def delete(
        item_id: IdPath, user: CurrentUser, session: SessionDep, version: VersionQuery = None
    ) -> Response:
        _item, board = items.delete_item(session, user, kind, item_id, version)
        return no_content(board.version)

    router.add_api_route(
        f"/boards/{{board_id}}/{kind.slug}",
        create,
        methods=["POST"],
        status_code=201,
        response_model=kind.public,
        responses=versioned(201),
        name=f"create_{entity}",
        tags=[kind.tag],
    )
    router.add_api_route(
        f"/{kind.slug}/{{item_id}}",
        update,
        methods=["PATCH"],
        response_model=kind.public,
        responses={**versioned(200), **STALE},
        name=f"update_{entity}",
        tags=[kind.tag],
        description="Any of the fields, plus the `version` last read (a stale one answers 409).",
    )
    router.add_api_route(
        f"/{kind.slug}/{{item_id}}",
        delete,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        responses={**versioned(204), **STALE},
        name=f"delete_{entity}",
        tags=[kind.tag],
    )


for _kind in item_kinds.KINDS:
    add_routes(_kind)


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
