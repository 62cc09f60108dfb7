"""A Trello board brought onto a Bord board, in one change.

Each list goes where the mapping says (services/trello_export.py proposes it): the action
columns, the successes, the ideas, or nowhere. A card becomes
- an action: its name the title, its members the owner (a member of the team by full name or
  e-mail is written as the team knows them, anyone else as Trello names them), its due date the
  due day (the school's), and its description, checklists ("- [x] item") and labels the action's
  notes, shown folded on the card;
- a success or an idea: its name, then the same notes, as the item's text.
A card archived in Trello (or on an archived list) goes to the board's archive; ideas have no
archive, so an archived card mapped to the ideas is skipped.

Every item remembers its card (`external_id`), so importing the same file again adds nothing:
the report lists those cards as skipped. Everything is one transaction with one board event.
"""

from dataclasses import dataclass, field
from typing import Any

from fractional_indexing import generate_key_between
from sqlmodel import Session, col, select

from app import clock
from app.errors import NotFound
from app.models import Action, ActionStatus, Board, BoardKind, Idea, Success, TeamMember, User
from app.models.item import INCLUDE_DELETED
from app.models.rows import require_id
from app.security.policy import visible_board
from app.services import changes, item_kinds
from app.services.actions import rank_at
from app.services.school_time import board_zone
from app.services.trello_export import Target, TrelloBoard, TrelloCard

PREFIX = "trello:"
STATUS = {
    Target.todo: ActionStatus.todo,
    Target.doing: ActionStatus.doing,
    Target.done: ActionStatus.done,
}


@dataclass
class Skipped:
    card: str  # its Trello id
    name: str
    reason: str  # already_imported, list_skipped, unknown_list, no_archive


@dataclass
class Report:
    imported: dict[str, int] = field(
        default_factory=lambda: {"actions": 0, "successes": 0, "ideas": 0, "archived": 0}
    )
    skipped: list[Skipped] = field(default_factory=list)


def importable_board(session: Session, user: User, board_id: int) -> Board:
    """A board the user may import into: one they may open, but a care board."""
    board = visible_board(session, user, board_id)
    if board.kind == BoardKind.care:
        raise NotFound()
    return board


def import_board(
    session: Session,
    user: User,
    board_id: int,
    export: TrelloBoard,
    mapping: dict[str, Target],
) -> Report:
    """Into a board the user may open (not a care board: 404)."""
    board = importable_board(session, user, board_id)
    return into(session, board, user, export, mapping)


def into(
    session: Session, board: Board, actor: User | None, export: TrelloBoard, mapping: dict
) -> Report:
    """The import itself, also for `bord import trello` (no actor)."""
    if board.kind == BoardKind.care:
        raise NotFound()
    todo, report = _plan(session, board, export, mapping)
    if not todo:
        return report  # nothing new: no change at all
    changes.begin(session, board)
    todo, report = _plan(session, board, export, mapping)  # again, under the board's lock
    _Writer(session, board, export).write(todo, report)
    changes.record(session, board, actor, "imported", "board", board.id, item_kinds.SECTIONS)
    return report


def _plan(
    session: Session, board: Board, export: TrelloBoard, mapping: dict
) -> tuple[list[tuple[TrelloCard, Target, bool]], Report]:
    """The cards to import (card, target, archived), in the board's order, and the skipped."""
    report = Report()
    known = _imported_ids(session, require_id(board))
    lists = {lst.id: (i, lst) for i, lst in enumerate(export.ordered_lists())}
    todo = []
    cards = sorted(export.cards, key=lambda c: (lists.get(c.idList, (len(lists),))[0], c.pos))
    for card in cards:
        if card.idList not in lists:
            report.skipped.append(Skipped(card.id, card.name, "unknown_list"))
            continue
        lst = lists[card.idList][1]
        target = mapping.get(lst.id, Target.skip)
        archived = card.closed or lst.closed
        if target == Target.skip:
            reason = "list_skipped"
        elif PREFIX + card.id in known:
            reason = "already_imported"
        elif archived and target == Target.ideas:
            reason = "no_archive"
        else:
            todo.append((card, target, archived))
            continue
        report.skipped.append(Skipped(card.id, card.name, reason))
    return todo, report


def _imported_ids(session: Session, board_id: int) -> set[str]:
    """The cards already on the board, in the prullenbak or the archive."""
    found: set[str] = set()
    for model in (Action, Success, Idea):
        rows = session.exec(
            select(model.external_id)
            .where(model.board_id == board_id, col(model.external_id).is_not(None))
            .execution_options(**{INCLUDE_DELETED: True})
        )
        found.update(row for row in rows if row is not None)
    return found


class _Writer:
    def __init__(self, session: Session, board: Board, export: TrelloBoard) -> None:
        self.session = session
        self.board_id = require_id(board)
        self.zone = board_zone(session, board)
        self.now = clock.now()
        self.people = _people(session, board)
        self.members = {m.id: m for m in export.members}
        self.labels = {label.id: label for label in export.labels}
        self.checklists = sorted(export.checklists, key=lambda c: c.pos)
        self.ranks: dict[ActionStatus, str] = {}  # the last key given in each column

    def write(self, todo: list[tuple[TrelloCard, Target, bool]], report: Report) -> None:
        for card, target, archived in todo:
            item = self._item(card, target)
            item.external_id = PREFIX + card.id
            item.archived_at = self.now if archived else None
            self.session.add(item)
            report.imported[target if target in ("successes", "ideas") else "actions"] += 1
            report.imported["archived"] += archived
        self.session.flush()

    def _item(self, card: TrelloCard, target: Target) -> Any:
        notes = self._notes(card)
        if target in STATUS:
            status = STATUS[target]
            return Action(
                board_id=self.board_id,
                title=_cut(card.name.strip() or "Trello", 200),
                owner=_cut(self._owner(card), 120),
                due=card.due.astimezone(self.zone).date() if card.due else None,
                status=status,
                rank=self._next_rank(status),
                done_at=self.now if status == ActionStatus.done else None,
                notes=_cut(notes, 4000),
            )
        text = _cut("\n\n".join(part for part in (card.name.strip(), notes) if part), 2000)
        model = Success if target == Target.successes else Idea
        return model(board_id=self.board_id, text=text or "Trello")

    def _next_rank(self, status: ActionStatus) -> str:
        """The end of the column, after the cards this import put there already."""
        if status in self.ranks:
            rank: str = generate_key_between(self.ranks[status], None)
        else:
            rank = rank_at(self.session, self.board_id, status, None)
        self.ranks[status] = rank
        return rank

    def _owner(self, card: TrelloCard) -> str:
        names = []
        for member_id in card.idMembers:
            member = self.members.get(member_id)
            if member is None:
                continue
            keys = {member.fullName.casefold().strip(), (member.email or "").casefold()} - {""}
            user = next(
                (u for u in self.people if keys & {u.name.casefold(), u.email.casefold()}), None
            )
            names.append(user.name if user else member.fullName or member.username)
        return ", ".join(name for name in names if name)

    def _notes(self, card: TrelloCard) -> str:
        parts = [card.desc.strip()] if card.desc.strip() else []
        for checklist in self.checklists:
            if checklist.idCard != card.id and checklist.id not in card.idChecklists:
                continue
            items = sorted(checklist.checkItems, key=lambda item: item.pos)
            lines = [f"- [{'x' if i.state == 'complete' else ' '}] {i.name}" for i in items]
            parts.append("\n".join([f"{checklist.name}:", *lines]))
        labels = [self.labels[i] for i in card.idLabels if i in self.labels]
        if labels:
            parts.append(
                "Labels: " + ", ".join(label.name or label.color or "" for label in labels)
            )
        return "\n\n".join(parts)


def _people(session: Session, board: Board) -> list[User]:
    """The board's team, whose names a card's members are matched to."""
    query = (
        select(User)
        .join(TeamMember, col(TeamMember.user_id) == col(User.id))
        .where(TeamMember.team_id == board.team_id)
    )
    return list(session.exec(query))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
