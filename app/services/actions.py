"""Improvement actions: wat / wie / wanneer, in three columns ordered by a sortable key."""

from fractional_indexing import generate_key_between
from sqlmodel import Session, col, func, select

from app import clock
from app.errors import Conflict, Invalid, NotFound
from app.models import Action, ActionStatus, Board, Goal, Idea, User
from app.models.action import ActionCreate, ActionPublic, ActionUpdate
from app.models.rows import require_id
from app.security.policy import visible_board
from app.services import changes
from app.services.board_view import action_public
from app.services.school_time import board_today

SECTIONS = ("actions",)


def get_action(session: Session, user: User, action_id: int) -> tuple[Action, Board]:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound()
    return action, visible_board(session, user, action.board_id)


def position_of(session: Session, action: Action) -> int:
    return session.exec(
        select(func.count())
        .select_from(Action)
        .where(
            Action.board_id == action.board_id,
            Action.status == action.status,
            col(Action.rank) < action.rank,
        )
    ).one()


def public(session: Session, action: Action) -> ActionPublic:
    board = session.get(Board, action.board_id)
    assert board is not None
    return action_public(action, position_of(session, action), board_today(session, board))


def _column_ranks(
    session: Session, board_id: int, status: ActionStatus, skip: int | None
) -> list[str]:
    query = select(Action.rank).where(Action.board_id == board_id, Action.status == status)
    if skip is not None:
        query = query.where(Action.id != skip)
    return list(session.exec(query.order_by(Action.rank)))


def rank_at(
    session: Session,
    board_id: int,
    status: ActionStatus,
    position: int | None,
    skip: int | None = None,
) -> str:
    """A key that sorts at `position` (None: at the end) in the column, without moving others."""
    ranks = _column_ranks(session, board_id, status, skip)
    index = len(ranks) if position is None else min(position, len(ranks))
    before = ranks[index - 1] if index > 0 else None
    after = ranks[index] if index < len(ranks) else None
    key: str = generate_key_between(before, after)
    return key


def _check_goal(session: Session, board: Board, goal_id: int | None) -> None:
    if goal_id is None:
        return
    goal = session.get(Goal, goal_id)
    if goal is None or goal.board_id != board.id:
        raise Invalid("goal_id", "unknown goal on this board", "unknown_goal")


def create_action(session: Session, user: User, board_id: int, data: ActionCreate) -> Action:
    board = visible_board(session, user, board_id)
    changes.begin(session, board)
    _check_goal(session, board, data.goal_id)
    now = clock.now()
    action = Action(
        board_id=require_id(board),
        title=data.title,
        owner=data.owner,
        due=data.due,
        status=data.status,
        goal_id=data.goal_id,
        rank=rank_at(session, require_id(board), data.status, None),
        done_at=now if data.status == ActionStatus.done else None,
        updated_at=now,  # one instant with done_at: webhooks tell "done now" by it
    )
    session.add(action)
    session.flush()
    changes.record(session, board, user, "created", "action", action.id, SECTIONS)
    return action


def update_action(session: Session, user: User, action_id: int, data: ActionUpdate) -> Action:
    action, board = get_action(session, user, action_id)
    changes.begin(session, board)
    session.refresh(action)
    if action.version != data.version:
        raise Conflict(current=public(session, action))
    given = data.model_fields_set
    if "goal_id" in given:
        _check_goal(session, board, data.goal_id)
        action.goal_id = data.goal_id
    for name in ("title", "owner", "due"):
        if name in given:
            value = getattr(data, name)
            setattr(action, name, "" if value is None and name == "owner" else value)
    now = clock.now()  # done_at and updated_at share it: webhooks tell "done now" by it
    new_status = data.status if "status" in given and data.status else action.status
    moved = new_status != action.status or "position" in given
    if moved:
        position = data.position if "position" in given else None
        action.rank = rank_at(
            session, require_id(board), new_status, position, skip=require_id(action)
        )
        if new_status != action.status:
            action.done_at = now if new_status == ActionStatus.done else None
        action.status = new_status
    action.version += 1
    action.updated_at = now
    session.add(action)
    session.flush()
    changes.record(
        session, board, user, "moved" if moved else "updated", "action", action.id, SECTIONS
    )
    return action


def delete_action(session: Session, user: User, action_id: int, version: int | None) -> Board:
    action, board = get_action(session, user, action_id)
    changes.begin(session, board)
    session.refresh(action)
    if version is not None and action.version != version:
        raise Conflict(current=public(session, action))
    session.delete(action)
    session.flush()
    changes.record(session, board, user, "deleted", "action", action_id, SECTIONS)
    return board


def promote_idea(session: Session, user: User, idea_id: int) -> Action:
    """An idea from the parking lot becomes an action in Te doen, in one change."""
    idea = session.get(Idea, idea_id)
    if idea is None:
        raise NotFound()
    board = visible_board(session, user, idea.board_id)
    changes.begin(session, board)
    title = idea.text if len(idea.text) <= 200 else idea.text[:199] + "…"
    action = Action(
        board_id=require_id(board),
        title=title,
        rank=rank_at(session, require_id(board), ActionStatus.todo, None),
    )
    session.add(action)
    session.delete(idea)
    session.flush()
    changes.record(session, board, user, "promoted", "action", action.id, ("ideas", "actions"))
    return action
