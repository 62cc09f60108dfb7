"""The events webhooks can hear of, in one registry, and their queueing in the change's unit of
work.

Every board change passes `changes.record`, which calls `enqueue`: a change that names an event
of this registry queues one `webhook_delivery` row for every webhook of the school that asked
for it, in the same transaction (a rolled-back change queues nothing). A care board never
queues anything: care data never leaves by webhook. A new event is one more `Event` below.

A practice shared with a learning network is not a board change: `networks.share_practice`
calls `enqueue_practice`, for the webhooks of the school the practice came from, in the same
way (a practice never holds anything of a care board: networks.refuse_care).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel import Session, SQLModel, col, select

from app import clock
from app.models import Action, ActionStatus, Board, BoardKind, HelpRequest, Team, WebhookDelivery
from app.models.network import Network, Practice
from app.models.rows import require_id
from app.models.standup import StandUp
from app.models.webhook import Webhook

QUEUED = "webhooks_queued"


def N_(message: str) -> str:
    """Marks a label for extraction; the page translates it when shown."""
    return message


def _always(_row: Any) -> bool:
    return True


def _became_done(action: Action) -> bool:
    # The service stamps done_at and updated_at with one instant when an action enters Klaar;
    # a move within Klaar keeps the older done_at.
    return action.status == ActionStatus.done and action.done_at == action.updated_at


@dataclass(frozen=True)
class Event:
    """`name` is sent for a change of `entity` by one of `kinds` (BoardEvent's words) when
    `when` holds for the changed row; the payload's `data` holds the row's `fields`. `label`
    names it on the leader's page (Dutch, translated there)."""

    name: str
    label: str
    entity: str
    kinds: tuple[str, ...]
    model: type[SQLModel]
    fields: tuple[str, ...]
    when: Callable[[Any], bool] = _always

    def data(self, row: Any) -> dict:
        encoded: dict = to_jsonable_python({name: getattr(row, name) for name in self.fields})
        return encoded


ACTION_FIELDS = ("id", "title", "owner", "due", "status", "goal_id", "done_at", "updated_at")
HELP_FIELDS = ("id", "text", "answer", "answered_at", "created_at")
SESSION_FIELDS = ("id", "week", "started_at", "ended_at", "tip", "top")
# `school` and `person` are empty unless the sharer chose to be named (as in the network)
PRACTICE_FIELDS = (
    "id",
    "title",
    "text",
    "strength",
    "needs",
    "for_whom",
    "sector",
    "theme",
    "contact",
    "school",
    "person",
    "created_at",
)

EVENTS: tuple[Event, ...] = (
    Event(
        "action.created",
        N_("Actie toegevoegd"),
        "action",
        ("created", "promoted"),
        Action,
        ACTION_FIELDS,
    ),
    Event("action.moved", N_("Actie verplaatst"), "action", ("moved",), Action, ACTION_FIELDS),
    Event(
        "action.done",
        N_("Actie klaar"),
        "action",
        ("created", "moved"),
        Action,
        ACTION_FIELDS,
        _became_done,
    ),
    Event(
        "help_request.asked",
        N_("Hulpvraag gesteld"),
        "help_request",
        ("created",),
        HelpRequest,
        HELP_FIELDS,
    ),
    Event(
        "help_request.answered",
        N_("Hulpvraag beantwoord"),
        "help_request",
        ("answered",),
        HelpRequest,
        HELP_FIELDS,
    ),
    Event(
        "session.ended",
        N_("Bordsessie afgerond"),
        "stand_up",
        ("ended",),
        StandUp,
        SESSION_FIELDS,
    ),
    Event(
        "practice.shared",
        N_("Praktijk gedeeld in een leernetwerk"),
        "practice",
        ("shared",),
        Practice,
        PRACTICE_FIELDS,
    ),
)
LABELS: dict[str, str] = {event.name: event.label for event in EVENTS}
NAMES: tuple[str, ...] = tuple(event.name for event in EVENTS)
_BY_CHANGE: dict[tuple[str, str], list[Event]] = {}
for _event in EVENTS:
    for _kind in _event.kinds:
        _BY_CHANGE.setdefault((_event.entity, _kind), []).append(_event)


def enqueue(session: Session, board: Board, kind: str, entity: str, entity_id: int | None) -> None:
    """Queue the deliveries this change causes (none for most changes: one dict look-up)."""
    events = _BY_CHANGE.get((entity, kind))
    if not events or entity_id is None or board.kind == BoardKind.care:
        return
    hooks = session.exec(
        select(Webhook)
        .join(Team, col(Team.school_id) == col(Webhook.school_id))
        .where(col(Team.id) == board.team_id, col(Webhook.paused_at).is_(None))
    ).all()
    if not hooks:
        return
    row = session.get(events[0].model, entity_id)
    if row is None:
        return
    where = {
        "board": {
            "id": board.id,
            "title": board.title,
            "kind": board.kind.value,
            "team_id": board.team_id,
            "version": board.version,
        }
    }
    _queue(session, list(hooks), events, row, where)


def enqueue_practice(
    session: Session, school_id: int, practice: Practice, network: Network
) -> None:
    """Queue `practice.shared` for the running webhooks of the school it was shared from."""
    hooks = session.exec(
        select(Webhook).where(Webhook.school_id == school_id, col(Webhook.paused_at).is_(None))
    ).all()
    where = {"network": {"id": network.id, "name": network.name}}
    _queue(session, list(hooks), _BY_CHANGE[("practice", "shared")], practice, where)


def _queue(
    session: Session, hooks: list[Webhook], events: list[Event], row: Any, where: dict
) -> None:
    """One delivery per webhook that chose an event of `events` that holds for `row`; `where`
    says where it happened (the board, or the network)."""
    for event in events:
        listening = [hook for hook in hooks if event.name in hook.events]
        if not listening or not event.when(row):
            continue
        body = json.dumps(_payload(hooks[0].school_id, event, row, where), ensure_ascii=False)
        for hook in listening:
            session.add(WebhookDelivery(webhook_id=require_id(hook), event=event.name, body=body))
        session.info[QUEUED] = True


def _payload(school_id: int, event: Event, row: Any, where: dict) -> dict:
    return {
        "event": event.name,
        "occurred_at": to_jsonable_python(clock.now()),
        "school_id": school_id,
        **where,
        "data": event.data(row),
    }


def queued(session: Session) -> bool:
    """Did this unit of work queue deliveries (so the sender should wake after its commit)?"""
    return bool(session.info.pop(QUEUED, False))
