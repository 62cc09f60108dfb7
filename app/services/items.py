"""Board items of every kind: the same create / edit / delete rules, described per kind in
services/item_kinds.py; what only some kinds do (measure a goal, answer a help request) below."""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam
from sqlmodel import Session, SQLModel, col, select

from app import clock
from app.errors import Conflict, Invalid, NotFound
from app.models import (
    Board,
    BoardKind,
    Goal,
    HelpRequest,
    Measurement,
    School,
    ScreenLink,
    Success,
    Team,
    User,
)
from app.models.goal import MeasurementCreate
from app.models.item import BoardItem, VersionedUpdate
from app.models.notes import HelpAnswer
from app.models.rows import require_id
from app.security.policy import led_school_of_board, opens_board, visible_board
from app.services import changes, screens
from app.services.item_kinds import (
    GOAL,
    HELP_REQUEST,
    IDEA,
    SUCCESS,
    ItemKind,
    cards_as_written,
)
from app.services.item_reads import GoalView, goal_view
from app.services.school_time import board_today, remember_zone

M = TypeVar("M", bound=BoardItem)
CLASS_KINDS: tuple[ItemKind, ...] = (SUCCESS, IDEA)  # what a class adds on its klasscherm


def get_item(session: Session, user: User, kind: ItemKind[M], item_id: int) -> tuple[M, Board]:
    row = session.execute(_with_board(kind), {"item_id": item_id, "user_id": user.id}).first()
    if row is None or not row[3]:
        raise NotFound()
    remember_zone(session, row[1], row[2])
    if kind.read_along is not None:
        kind.read_along[1](session, row[0], row[4])
    return row[0], row[1]


# Built once per kind, by its entity: `functools.cache` would compare kinds field by field, and
# a kind's `read_along` holds a SQL expression, whose `==` builds SQL instead of comparing.
_WITH_BOARD: dict[str, Select] = {}


def _with_board(kind: ItemKind) -> Select:
    """An item, its board, its school's time zone, whether the user may open the board and
    what the kind reads along, in one query built once per kind."""
    if (built := _WITH_BOARD.get(kind.entity)) is None:
        built = _WITH_BOARD[kind.entity] = _item_read(kind)
    return built


def _item_read(kind: ItemKind) -> Select:
    model = kind.model
    along = () if kind.read_along is None else (kind.read_along[0],)
    return (
        select(model, Board, School.time_zone, opens_board(), *along)
        .join(Board, col(Board.id) == col(model.board_id))
        .join(Team, col(Team.id) == col(Board.team_id))
        .join(School, col(School.id) == col(Team.school_id))
        .join(User, col(User.id) == bindparam("user_id"))
        .where(col(model.id) == bindparam("item_id"))
    )


def _check_references(session: Session, kind: ItemKind, board: Board, values: dict) -> None:
    for reference in kind.references:
        ref = values.get(reference.field)
        if ref is None:
            continue
        row = session.get(reference.model, ref)
        if reference.team_board:
            if row is None or not _on_team_board_of(session, board, row.board_id):
                raise Invalid(reference.field, "unknown goal of this team", reference.error)
        elif row is None or row.board_id != board.id:
            raise Invalid(reference.field, "unknown item on this board", reference.error)


def _on_team_board_of(session: Session, board: Board, other_id: int) -> bool:
    """Whether `board` is a class board and `other_id` a team board of its team."""
    other = session.get(Board, other_id)
    return (
        board.kind == BoardKind.klas
        and other is not None
        and other.kind == BoardKind.team
        and other.team_id == board.team_id
    )


def create_item(
    session: Session, user: User, kind: ItemKind[M], board_id: int, data: SQLModel
) -> M:
    return _create_on(session, visible_board(session, user, board_id), user, kind, data)


def create_from_class_screen(
    session: Session, link: ScreenLink, kind: ItemKind[M], data: SQLModel
) -> M:
    """The one way an item is added without a person: a class adding a success or an idea
    through its klasscherm link (services/class_screens.py), which must still be live."""
    board = session.get(Board, link.board_id)
    if (
        link.audience != screens.CLASS
        or link.revoked_at is not None
        or kind not in CLASS_KINDS
        or board is None
        or board.kind != BoardKind.klas
    ):
        raise NotFound()
    return _create_on(session, board, None, kind, data)


def _create_on(
    session: Session, board: Board, user: User | None, kind: ItemKind[M], data: SQLModel
) -> M:
    changes.begin(session, board)
    values = data.model_dump()
    _check_references(session, kind, board, values)
    item = kind.model(board_id=require_id(board), **values)
    if kind.on_create is not None:
        kind.on_create(session, board, item)
    session.add(item)
    session.flush()
    changes.record(session, board, user, "created", kind.entity, item.id, kind.sections)
    return item


def locked_item(session: Session, user: User, kind: ItemKind[M], item_id: int) -> tuple[M, Board]:
    """An item about to change and its board, read under the board's lock (taken first): what
    a request that changed the item first wrote is what this one sees."""
    bumped = changes.lock_board_of(session, kind.model, item_id)
    item, board = get_item(session, user, kind, item_id)
    changes.hold(session, board, bumped)
    return item, board


def _locked_current(
    session: Session, user: User, kind: ItemKind[M], item_id: int, version: int | None
) -> tuple[M, Board]:
    item, board = locked_item(session, user, kind, item_id)
    if version is not None and item.version != version:
        raise Conflict(current=kind.answer(session, item))
    return item, board


def update_item(
    session: Session, user: User, kind: ItemKind[M], item_id: int, data: VersionedUpdate
) -> M:
    item, board = _locked_current(session, user, kind, item_id, data.version)
    values = data.model_dump(include=data.model_fields_set - {"version"})
    _check_references(session, kind, board, values)
    changed = {name for name, value in values.items() if _differs(item, name, value)}
    item.version += 1
    item.updated_at = clock.now()
    if kind.on_update is not None:
        change = kind.on_update(session, board, item, values)
    else:
        change = "updated"
        for name, value in values.items():
            if value is None and name in ("owner", "who", "metric", "unit"):
                value = ""
            setattr(item, name, value)
    session.add(item)
    session.flush()
    sections = kind.touched(require_id(item), change, changed)
    cards = cards_as_written(session, board, sections)
    changes.record(session, board, user, change, kind.entity, item.id, sections, cards)
    return item


def _differs(item: Any, name: str, value: Any) -> bool:
    """Whether an edit's value changes the item's field (an empty text and none alike)."""
    current = getattr(item, name, None)
    if value is None and current == "":
        return False
    return bool(current != value)


def delete_item(
    session: Session, user: User, kind: ItemKind[M], item_id: int, version: int | None
) -> tuple[M, Board]:
    """Into the board's prullenbak: off the board and out of every read, restorable for
    30 days (services/trash.py)."""
    item, board = _locked_current(session, user, kind, item_id, version)
    item.deleted_at = clock.now()
    item.deleted_by_id = user.id
    item.version += 1
    session.add(item)
    session.flush()
    changes.record(session, board, user, "deleted", kind.entity, item_id, kind.sections)
    return item, board


def add_measurement(
    session: Session, user: User, goal_id: int, data: MeasurementCreate
) -> tuple[Measurement, Board]:
    goal, board = get_item(session, user, GOAL, goal_id)
    _check_measurement(goal, data, board_today(session, board))
    changes.begin(session, board)
    measurement = Measurement(goal_id=goal_id, **data.model_dump())
    session.add(measurement)
    session.flush()
    changes.record(session, board, user, "measured", "goal", goal.id, ("goals",))
    return measurement, board


def _check_measurement(goal: Goal, data: MeasurementCreate, today: date) -> None:
    """A measurement is of what was measured: not on a day still to come, and a percentage
    between 0 and 100."""
    if data.date > today:
        raise Invalid("date", "A measurement cannot be dated in the future", kind="future_date")
    if goal.unit.strip() == "%" and not 0 <= data.value <= 100:
        raise Invalid("value", "A percentage lies between 0 and 100", kind="percent_range")


def goal_reached(session: Session, user: User, goal_id: int) -> GoalView:
    """The goal, if its latest measurement reached the target; 422 otherwise."""
    goal, board = get_item(session, user, GOAL, goal_id)
    view = goal_view(session, goal, board_today(session, board))
    if view.progress != "reached":
        raise Invalid("goal_id", "this goal has not reached its target")
    return view


def celebrate_goal(
    session: Session, user: User, goal_id: int, describe: Callable[[GoalView], str]
) -> Success:
    """A reached goal becomes a success that names it, once: a second tap (or a screen that
    had not heard of the first) is a Conflict. `describe` words it in the reader's language."""
    view = goal_reached(session, user, goal_id)
    board = visible_board(session, user, view.goal.board_id)
    changes.begin(session, board)
    named = session.exec(select(Success.id).where(Success.goal_id == goal_id)).first()
    if named is not None:
        raise Conflict(detail="This goal has already been celebrated")
    success = Success(board_id=require_id(board), text=describe(view)[:2000], goal_id=goal_id)
    session.add(success)
    session.flush()
    changes.record(session, board, user, "created", SUCCESS.entity, success.id, SUCCESS.sections)
    return success


def answer_help_request(
    session: Session, user: User, request_id: int, data: HelpAnswer
) -> HelpRequest:
    """The school leader answers; a second answer must name the version it edits."""
    item, board = locked_item(session, user, HELP_REQUEST, request_id)
    led_school_of_board(session, user, board)
    stale = data.version is not None and data.version != item.version
    if stale or (item.answer is not None and data.version is None):
        raise Conflict(
            current=item.model_dump(mode="json"),
            detail="This help request has already been answered",
        )
    item.answer = data.text
    item.answered_by_id = user.id
    item.answered_at = clock.now()
    item.version += 1
    item.updated_at = clock.now()
    session.add(item)
    session.flush()
    changes.record(session, board, user, "answered", "help_request", item.id, ("help",))
    return item
