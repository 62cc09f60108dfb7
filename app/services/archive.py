"""A board's archive: finished work off the board, kept, searchable and restorable.

An item is archived (`archived_at`) by hand, or by the rule applied when a bordsessie is closed
(`archive_finished`): a finished action that was on the board as finished during that session
(done before it started), and a success older than a term (services/deadlines.py). Archiving and
restoring are board changes like any other. Only kinds marked `archivable` in
services/item_kinds.py have an archive; a care board has none.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, literal, union_all, update
from sqlmodel import Session, col, select

from app import clock
from app.errors import Conflict, Invalid, NotFound
from app.models import Action, ActionStatus, Board, BoardKind, Goal, Success, User
from app.models.archive import ArchivedPublic, ArchiveQuery
from app.models.item import BoardItem
from app.models.rows import require_id
from app.security.policy import visible_board
from app.services import actions, changes, items
from app.services.deadlines import term_start
from app.services.item_kinds import ACTION, ARCHIVABLE, SUCCESS, ItemKind
from app.services.school_time import board_zone

PER_PAGE = 50


@dataclass
class Entry:
    """One archived item, as the archive page and the API list it."""

    kind: ItemKind
    item: Any

    @property
    def text(self) -> str:
        return self.kind.text_of(self.item)

    @property
    def owner(self) -> str | None:
        return getattr(self.item, "owner", None)

    @property
    def done_at(self) -> datetime | None:
        return getattr(self.item, "done_at", None)

    def public(self) -> ArchivedPublic:
        return ArchivedPublic(
            kind=self.kind.name,
            id=require_id(self.item),
            text=self.text,
            owner=self.owner,
            goal_id=getattr(self.item, "goal_id", None),
            done_at=self.done_at,
            archived_at=self.item.archived_at,
        )


@dataclass
class Page:
    entries: list[Entry]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def archive_board(session: Session, user: User, board_id: int) -> Board:
    """A board whose archive the user may open: any board they may open, but a care board."""
    board = visible_board(session, user, board_id)
    if board.kind == BoardKind.care:
        raise NotFound()
    return board


def archivable(name: str) -> ItemKind:
    """The kind named in an archive URL; any other name is not found."""
    kind = ARCHIVABLE.get(name)
    if kind is None:
        raise NotFound()
    return kind


# --- reading ------------------------------------------------------------------------------------


def _matching(kind: ItemKind, board: Board, query: ArchiveQuery, tz: ZoneInfo) -> Select | None:
    """(kind, id, archived_at) of the kind's archived items that meet the query; None when
    none can (a filter the kind does not have)."""
    model: Any = kind.model
    owner = getattr(model, "owner", None)
    if query.owner is not None and owner is None:
        return None
    where: list[ColumnElement[bool]] = [
        col(model.board_id) == board.id,
        col(model.archived_at).is_not(None),
    ]
    if query.q:
        words = col(getattr(model, kind.text)).icontains(query.q, autoescape=True)
        if owner is not None:
            words = words | col(owner).icontains(query.q, autoescape=True)
        where.append(words)
    if query.goal_id is not None:
        where.append(col(model.goal_id) == query.goal_id)
    if query.owner is not None:
        where.append(col(owner) == query.owner)
    if query.start is not None:
        where.append(col(model.archived_at) >= clock.start_of(query.start, tz))
    if query.end is not None:
        where.append(col(model.archived_at) < clock.start_of(query.end + timedelta(days=1), tz))
    return select(
        literal(kind.name).label("kind"),
        col(model.id).label("id"),
        col(model.archived_at).label("archived_at"),
    ).where(*where)


def read(session: Session, user: User, board_id: int, query: ArchiveQuery) -> Page:
    """One page of the board's archive, the most recently archived first."""
    board = archive_board(session, user, board_id)
    if query.kind is not None and query.kind not in ARCHIVABLE:
        raise Invalid("kind", f"one of: {', '.join(ARCHIVABLE)}", kind="unknown_kind")
    kinds = [ARCHIVABLE[query.kind]] if query.kind else list(ARCHIVABLE.values())
    tz = board_zone(session, board)
    parts = [part for kind in kinds if (part := _matching(kind, board, query, tz)) is not None]
    if not parts:
        return Page([], 0, query.page)
    found = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    total = session.exec(select(func.count()).select_from(found)).one()
    rows = session.exec(
        select(found.c.kind, found.c.id)
        .order_by(found.c.archived_at.desc(), found.c.kind, found.c.id.desc())
        .limit(PER_PAGE)
        .offset((query.page - 1) * PER_PAGE)
    ).all()
    loaded: dict[tuple[str, int], BoardItem] = {}
    for name in {name for name, _ in rows}:
        kind = ARCHIVABLE[name]
        ids = [item_id for row_kind, item_id in rows if row_kind == name]
        # still archived: one restored since the page's rows were read drops out of the page
        # (each statement sees what was committed when it ran)
        still = select(kind.model).where(
            col(kind.model.id).in_(ids), col(kind.model.archived_at).is_not(None)
        )
        for item in session.exec(still):
            loaded[(name, require_id(item))] = item
    entries = [
        Entry(ARCHIVABLE[name], loaded[(name, i)]) for name, i in rows if (name, i) in loaded
    ]
    return Page(entries, total, query.page)


def owners(session: Session, board: Board) -> list[str]:
    """The names that own an archived action: the choices of the owner filter."""
    names = session.exec(
        select(Action.owner)
        .where(
            Action.board_id == board.id, col(Action.archived_at).is_not(None), Action.owner != ""
        )
        .distinct()
    )
    return sorted(names, key=str.casefold)


def goal_titles(session: Session, board: Board) -> dict[int, str]:
    rows = session.exec(select(Goal.id, Goal.title).where(Goal.board_id == board.id))
    return {goal_id: title for goal_id, title in rows if goal_id is not None}


# --- archiving and restoring --------------------------------------------------------------------


def reach(session: Session, user: User, kind: ItemKind, item_id: int) -> tuple[Any, Board]:
    """An item the user may archive or restore, and its board; a care board's is not found."""
    item, board = items.get_item(session, user, kind, item_id)
    return item, _outside_care(board)


def _locked(session: Session, user: User, kind: ItemKind, item_id: int) -> tuple[Any, Board]:
    item, board = items.locked_item(session, user, kind, item_id)
    return item, _outside_care(board)


def _outside_care(board: Board) -> Board:
    if board.kind == BoardKind.care:
        raise NotFound()
    return board


def archive_action(
    session: Session, user: User, action_id: int, version: int | None = None
) -> Action:
    """Any action, by hand: off the board, into its archive."""
    action: Action
    action, board = _locked(session, user, ACTION, action_id)
    if action.archived_at is not None:
        raise Conflict(current=ACTION.answer(session, action), detail="Already in the archive")
    if version is not None and action.version != version:
        raise Conflict(current=ACTION.answer(session, action))
    action.archived_at = clock.now()
    action.version += 1
    session.add(action)
    session.flush()
    changes.record(session, board, user, "archived", ACTION.entity, action.id, ACTION.sections)
    return action


def restore(session: Session, user: User, kind: ItemKind, item_id: int) -> Any:
    """Back on the board; an action at the end of its column. 409 when it is not in the
    archive (any more: restored meanwhile)."""
    item, board = _locked(session, user, kind, item_id)
    if item.archived_at is None:
        raise Conflict(current=kind.answer(session, item), detail="Not in the archive")
    item.archived_at = None
    if isinstance(item, Action):
        item.rank = actions.rank_at(session, require_id(board), item.status, None)
    item.version += 1
    session.add(item)
    session.flush()
    changes.record(session, board, user, "unarchived", kind.entity, item.id, kind.sections)
    return item


def archive_finished(session: Session, board: Board, session_started: datetime) -> tuple[str, ...]:
    """The rule at the close of a bordsessie that started at `session_started`: actions done
    before it started (the team saw them as finished during it), and successes older than a
    term, move to the archive. Part of the session's change; returns the sections it touched."""
    if board.kind == BoardKind.care:
        return ()
    now = clock.now()
    shown_done = (col(Action.status) == ActionStatus.done) & (col(Action.done_at) < session_started)
    tz = board_zone(session, board)
    old = col(Success.created_at) < term_start(clock.today(tz), tz)
    touched: list[str] = []
    for kind, rule in ((ACTION, shown_done), (SUCCESS, old)):
        model: Any = kind.model
        moved = session.exec(
            update(model)
            .where(
                col(model.board_id) == board.id,
                col(model.archived_at).is_(None),
                col(model.deleted_at).is_(None),
                rule,
            )
            .values(archived_at=now, version=col(model.version) + 1)
            .returning(col(model.id))
            .execution_options(synchronize_session="fetch")
        ).all()
        if moved:
            touched += kind.sections
    return tuple(dict.fromkeys(touched))
