"""Improvement actions: wat / wie / wanneer, in three columns ordered by a sortable key."""

from typing import Any

from fractional_indexing import generate_key_between
from sqlalchemy import bindparam
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from app.errors import NotFound
from app.models import Action, ActionStatus, Board, Idea, User, prebuilt
from app.models.action import ActionPublic
from app.models.rows import require_id
from app.security.policy import visible_board
from app.services import changes
from app.services.item_reads import action_public
from app.services.school_time import board_today

SECTIONS = ("actions",)


_CARDS_BEFORE = (
    select(func.count())
    .select_from(Action)
    .where(
        col(Action.board_id) == bindparam("board_id"),
        col(Action.status) == bindparam("status"),
        col(Action.archived_at).is_(None),
        col(Action.deleted_at).is_(None),
        col(Action.rank) < bindparam("rank"),
    )
)


_BEFORE = aliased(Action)
# `_CARDS_BEFORE` as SQL over the action's own row: read along with the action when a change
# reads it (item_kinds.ACTION.read_along, services/items.get_item), so that the answer of an
# edit that leaves the action in its place asks no count of its own.
PLACE_IN_COLUMN = (
    select(func.count())
    .select_from(_BEFORE)
    .where(
        col(_BEFORE.board_id) == col(Action.board_id),
        col(_BEFORE.status) == col(Action.status),
        col(_BEFORE.archived_at).is_(None),
        col(_BEFORE.deleted_at).is_(None),
        col(_BEFORE.rank) < col(Action.rank),
    )
    .correlate(Action)
    .scalar_subquery()
)
_PLACES = "action_places"  # session.info: action id -> (status, rank, cards before it)


def remember_place(session: Session, action: Action, before: int) -> None:
    """The place of `action` as read with it. It holds while the action keeps its column and
    rank: a change of a unit of work changes one action (services/items.py)."""
    session.info.setdefault(_PLACES, {})[action.id] = (action.status, action.rank, before)


def position_of(session: Session, action: Action) -> int:
    known = session.info.get(_PLACES, {}).get(action.id)
    if known is not None and known[:2] == (action.status, action.rank):
        return int(known[2])
    position: int = prebuilt.scalar(
        session, _CARDS_BEFORE, board_id=action.board_id, status=action.status, rank=action.rank
    )
    return position


def public(session: Session, action: Action) -> ActionPublic:
    board = session.get(Board, action.board_id)
    assert board is not None
    return action_public(action, position_of(session, action), board_today(session, board))


def _column_ranks(
    session: Session, board_id: int, status: ActionStatus, skip: int | None
) -> list[str]:
    query = select(Action.rank).where(
        Action.board_id == board_id, Action.status == status, col(Action.archived_at).is_(None)
    )
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


def keep_place(session: Session, action: Action) -> None:
    """An action back from the prullenbak or the archive takes its old place in its column,
    or the end of the column when another card holds that place now."""
    taken = session.exec(
        select(Action.id).where(
            Action.board_id == action.board_id,
            Action.status == action.status,
            Action.rank == action.rank,
            Action.id != action.id,
            col(Action.archived_at).is_(None),
        )
    ).first()
    if taken is not None:
        action.rank = rank_at(session, action.board_id, action.status, None, skip=action.id)


def place_new(session: Session, board: Board, action: Action) -> None:
    """A new action goes to the end of its column."""
    action.rank = rank_at(session, require_id(board), action.status, None)
    action.done_at = action.updated_at if action.status == ActionStatus.done else None


def apply_update(session: Session, board: Board, action: Action, values: dict[str, Any]) -> str:
    """An edit of its fields, or a move (`status` and/or `position` within its column)."""
    for name in ("title", "owner", "due", "goal_id"):
        if name in values:
            value = values[name]
            setattr(action, name, "" if value is None and name == "owner" else value)
    new_status = values.get("status") or action.status
    moved = new_status != action.status or "position" in values
    if moved:
        action.rank = rank_at(
            session, require_id(board), new_status, values.get("position"), skip=require_id(action)
        )
        if new_status != action.status:
            # the edit's own instant (services/items.py stamps it first): a webhook tells
            # "done now" from "done before" by done_at == updated_at
            action.done_at = action.updated_at if new_status == ActionStatus.done else None
        action.status = new_status
    return "moved" if moved else "updated"


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
