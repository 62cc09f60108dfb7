"""The prullenbak: what was deleted from a board waits here for 30 days, restorable by the
board's members, then the daily job removes it for good.

Deleting marks the row (`deleted_at`, models/item.py) and every read leaves it out from then on.
Restoring is a board change like any other (version, event, push), named by the version the
item had when it was deleted: an item restored meanwhile, or edited since, is a 409. A care
board keeps its own prullenbak of cases and agreements, seen by its members only (care boards
are out of everyone else's reach already); the care retention job skips what is in it, and the
purge erases it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, col, select

from app import clock
from app.db import Database
from app.errors import Conflict, NotFound
from app.i18n import N_
from app.models import Action, Agreement, Board, BoardKind, Case, User
from app.models.item import INCLUDE_DELETED, BoardItem
from app.models.rows import require_id
from app.security import policy
from app.services import actions, audit, care, changes, item_kinds

log = logging.getLogger(__name__)
KEPT_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Trashable:
    """A kind of item that can wait in a prullenbak: its table, the board kind it lives on,
    the field that names it, and the sections of the board it comes back to."""

    name: str
    label: str  # in Dutch, translated where shown
    model: type[BoardItem]
    board_kind: BoardKind
    text: str
    sections: Callable[[Any], tuple[str, ...]]


def _team_kind(kind: item_kinds.ItemKind[Any]) -> Trashable:
    return Trashable(
        kind.name, kind.label, kind.model, BoardKind.team, kind.text, lambda _: kind.sections
    )


KINDS: dict[str, Trashable] = {
    **{kind.name: _team_kind(kind) for kind in item_kinds.KINDS},
    "case": Trashable(
        "case",
        N_("Casus"),
        Case,
        BoardKind.care,
        "pupil_code",
        lambda c: care.sections(require_id(c)),
    ),
    "agreement": Trashable(
        "agreement",
        N_("Afspraak"),
        Agreement,
        BoardKind.care,
        "title",
        lambda a: care.inner_sections(a.case_id),
    ),
}


@dataclass(frozen=True)
class Entry:
    kind: str
    label: str
    id: int
    text: str
    deleted_at: datetime
    deleted_by: str | None
    version: int


def _kinds_for(board: Board) -> list[Trashable]:
    on = BoardKind.care if board.kind == BoardKind.care else BoardKind.team
    return [t for t in KINDS.values() if t.board_kind == on]


def entries(session: Session, user: User, board_id: int, now: datetime) -> list[Entry]:
    """What was deleted from the board in the last 30 days, newest first."""
    board = policy.visible_board(session, user, board_id)
    since = now - KEPT_FOR
    found: list[Entry] = []
    for trashable in _kinds_for(board):
        model = trashable.model
        rows = session.exec(
            select(model, User.name)
            .outerjoin(User, col(User.id) == col(model.deleted_by_id))
            .where(model.board_id == board.id, col(model.deleted_at) > since)
            .execution_options(**{INCLUDE_DELETED: True})
        ).all()
        for item, by in rows:
            assert item.deleted_at is not None
            text = str(getattr(item, trashable.text))
            found.append(
                Entry(
                    trashable.name,
                    trashable.label,
                    require_id(item),
                    text,
                    item.deleted_at,
                    by,
                    item.version,
                )
            )
    return sorted(found, key=lambda e: (e.deleted_at, e.id), reverse=True)


def item_of(session: Session, name: str, item_id: int) -> BoardItem:
    """An item in (or just out of) a prullenbak, wherever it is: its reader checks the reach."""
    trashable = KINDS.get(name)
    item = _deleted(session, trashable, item_id) if trashable else None
    if item is None:
        raise NotFound()
    return item


def waiting(session: Session, board: Board, name: str, item_id: int) -> BoardItem | None:
    """The item if it waits in `board`'s prullenbak (still restorable), else None: what a page
    may offer to undo. The caller has checked that the user may open the board."""
    trashable = KINDS.get(name)
    item = _deleted(session, trashable, item_id) if trashable else None
    if (
        item is None
        or item.board_id != board.id
        or item.deleted_at is None
        or item.deleted_at <= clock.now() - KEPT_FOR
    ):
        return None
    return item


def _deleted(session: Session, trashable: Trashable, item_id: int) -> BoardItem | None:
    return session.get(trashable.model, item_id, execution_options={INCLUDE_DELETED: True})


def restore(
    session: Session, user: User, name: str, item_id: int, version: int | None = None
) -> tuple[Any, Board]:
    """Back where it was. 409 when it is no longer in the prullenbak (restored meanwhile) or
    `version`, the version it was deleted at, is stale; 404 when it is out of reach."""
    trashable = KINDS.get(name)
    if trashable is None:
        raise NotFound()
    item = _deleted(session, trashable, item_id)
    if item is None:
        raise NotFound()
    board = policy.visible_board(session, user, item.board_id)
    if board.kind != trashable.board_kind:
        raise NotFound()
    changes.begin(session, board)
    session.refresh(item)
    if item.deleted_at is None or (version is not None and item.version != version):
        raise Conflict(detail="This item is no longer in the prullenbak")
    if item.deleted_at <= clock.now() - KEPT_FOR:
        raise NotFound()  # past its 30 days: as good as gone, whether or not purged yet
    if isinstance(item, Agreement) and session.get(Case, item.case_id) is None:
        raise Conflict(detail="The case of this agreement is in the prullenbak")
    if isinstance(item, Action):
        actions.keep_place(session, item)
    item.deleted_at = None
    item.deleted_by_id = None
    item.version += 1
    item.updated_at = clock.now()
    session.add(item)
    session.flush()
    if board.kind == BoardKind.care:
        case_id = item.id if isinstance(item, Case) else getattr(item, "case_id", None)
        audit.record(session, board, user, "restored", case_id, f"{name} {item_id}")
    changes.record(
        session, board, user, "restored", name.replace("-", "_"), item_id, trashable.sections(item)
    )
    return item, board


def answer(session: Session, name: str, item: Any) -> SQLModel:
    """The restored item as the JSON API shows it elsewhere."""
    if isinstance(item, Case):
        return care.case_public(session, item)
    if isinstance(item, Agreement):
        return care.agreement_public(session, item)
    return item_kinds.BY_NAME[name].answer(session, item)


def purge(db: Database, now: datetime | None = None) -> int:
    """Remove for good what has waited 30 days; returns how many. Run daily (app/jobs.py,
    `bord retention run`)."""
    cutoff = (now or clock.now()) - KEPT_FOR
    removed = 0
    with db.session() as session:
        for trashable in KINDS.values():
            model = trashable.model
            result = session.execute(
                delete(model)
                .where(col(model.deleted_at).is_not(None), col(model.deleted_at) <= cutoff)
                .execution_options(synchronize_session=False)
            )
            removed += result.rowcount or 0  # type: ignore[attr-defined]
    if removed:
        log.info("prullenbak: removed %d item(s) deleted more than 30 days ago", removed)
    return removed
