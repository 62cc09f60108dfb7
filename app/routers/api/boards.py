"""A whole board in one answer: its goals, actions (by column) and the smaller items."""

from fastapi import APIRouter, Response
from sqlmodel import SQLModel

from app.deps import CurrentUser, IdPath, SessionDep
from app.models import ActionStatus
from app.models.action import ActionPublic
from app.models.board import BoardKind
from app.models.goal import GoalPublic
from app.models.notes import HelpRequestPublic, IdeaPublic, PlanItemPublic, SuccessPublic
from app.routers.api.common import set_board_version, versioned
from app.security.policy import visible_board
from app.services.board_view import BoardView, action_public, goal_public, load_board

router = APIRouter(tags=["boards"])


class BoardDetail(SQLModel):
    id: int
    team_id: int
    title: str
    kind: BoardKind
    version: int
    goals: list[GoalPublic]
    actions: list[ActionPublic]
    successes: list[SuccessPublic]
    plan_items: list[PlanItemPublic]
    ideas: list[IdeaPublic]
    help_requests: list[HelpRequestPublic]


def board_detail(view: BoardView) -> BoardDetail:
    """Actions in column order (todo, doing, done); `position` is the index within the column."""
    board = view.board
    return BoardDetail(
        id=board.id,
        team_id=board.team_id,
        title=board.title,
        kind=board.kind,
        version=board.version,
        goals=[goal_public(g) for g in view.goals],
        actions=[
            action_public(action, position)
            for status in ActionStatus
            for position, action in enumerate(view.columns[status])
        ],
        successes=[SuccessPublic.model_validate(s.model_dump()) for s in view.successes],
        plan_items=[PlanItemPublic.model_validate(p.model_dump()) for p in view.plan_items],
        ideas=[IdeaPublic.model_validate(i.model_dump()) for i in view.ideas],
        help_requests=[
            HelpRequestPublic.model_validate(h.model_dump()) for h in view.help_requests
        ],
    )


@router.get("/boards/{board_id}", response_model=BoardDetail, responses=versioned(200))
def read_board(board_id: IdPath, user: CurrentUser, session: SessionDep, response: Response):
    board = visible_board(session, user, board_id)
    set_board_version(response, session, board.id)
    return board_detail(load_board(session, board))
