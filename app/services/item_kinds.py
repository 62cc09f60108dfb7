"""The kinds of board items, described once.

Everything that handles board items derives from this registry: the rules (services/items.py),
the JSON routes (routers/api/items.py), the web forms and routes (routers/web/board.py), the
sections a change touches (stored with its BoardEvent, read back by catch-up), the board read
(services/board_view.py) and the board's JSON (routers/api/boards.py), the board page and the
pushes (templates/kinds/<section>.html), the archive and the prullenbak.

Adding a kind is its table, one `ItemKind` entry here and its template; docs/architecture.md
lists the steps.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import Session, SQLModel

from app.i18n import N_
from app.models import Action, Board, BoardKind, Goal, HelpRequest, Idea, PlanItem, Success
from app.models.action import ActionCreate, ActionPublic, ActionUpdate
from app.models.goal import GoalCreate, GoalPublic, GoalUpdate
from app.models.item import BoardItem
from app.models.notes import (
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
from app.services import actions, board_cards, changes, item_reads
from app.services.item_reads import goal_public, goal_view
from app.services.school_time import board_today

# The sections of a team board that are not lists of items: its heading and the session panel.
HEADING = "heading"
SESSION = "session"

M = TypeVar("M", bound=BoardItem)
Create = Callable[[Session, Board, Any], None]
Update = Callable[[Session, Board, Any, dict[str, Any]], str]
ToPublic = Callable[[Session, Any], SQLModel]
ReadItems = Callable[[Session, int, date], list[Any]]  # session, board id, the school's today
ListItems = Callable[[list[Any], date], list[SQLModel]]
# A value read in the same query as the item (SQL over its row), and where it is kept.
ReadAlong = tuple[ColumnElement[Any], Callable[[Session, Any, Any], None]]
# A change that names one card instead of its kind's section: "item:<card id>".
CARD_PREFIX = "item:"


@dataclass(frozen=True)
class Reference:
    """A field naming another item, which must be on the same board; or, `team_board`, on a
    team board of the same team, named from a class board (a class goal serving a team goal)."""

    field: str
    model: type[BoardItem]
    error: str = "unknown_item"  # the kind of the 422 (app/web/forms.py words it)
    team_board: bool = False


@dataclass(frozen=True)
class ItemKind(Generic[M]):
    entity: str  # BoardEvent.entity; with "-" for "_" the {kind} of trash and archive URLs
    model: type[M]
    section: str  # the board section that lists it: templates/kinds/<section>.html
    slug: str  # the URL segment of its web and JSON routes
    prefix: str  # its cards' ids: <prefix>-<id>
    create: type[SQLModel]
    update: type[SQLModel]
    public: type[SQLModel]
    fields: tuple[str, ...]  # its form's fields, in order
    label: str = ""  # one of them, in Dutch (translated where shown)
    optional: tuple[str, ...] = ()  # sent empty, they are none (numbers are, by their type)
    text: str = "text"  # the field that names it in lists (the prullenbak, the archive)
    references: tuple[Reference, ...] = ()
    also: tuple[str, ...] = ()  # other sections that show it
    archivable: bool = False  # may leave the board for its archive (services/archive.py)
    # What differs from the plain rules (services/items.py): set up a new row, apply an edit
    # (returning the event's kind), the JSON answer.
    on_create: Create | None = None
    on_update: Update | None = None
    to_public: ToPublic | None = None
    # The board read (services/board_view.py) and the board's JSON: its list there is named
    # `key` (BoardView.items[key], the field of GET /boards/{id}).
    key: str = field(kw_only=True)
    # What else its section shows: other kinds' lists by their key, or the board's
    # `stand_up`, `visits`, `lesson_designs` (board_view.PARTS); a push of the section reads
    # only these and its own list.
    shows: tuple[str, ...] = ()
    # What differs from the plain board read (newest first, each row its public schema): read
    # its list (in the order the section shows it), write that list in the board's JSON.
    read: ReadItems | None = None
    to_board_json: ListItems | None = None
    # Fields an edit may change while the item keeps its place, and that its card alone shows:
    # such an edit pushes the card (`read_card`), not the section (services/board_cards.py).
    in_place: tuple[str, ...] = ()
    read_card: board_cards.CardRead | None = None
    # What its answer would otherwise ask again, read along with the item (services/items.py).
    read_along: ReadAlong | None = None

    def __post_init__(self) -> None:
        if self.in_place and self.read_card is None:
            raise ValueError(f"{self.entity}: in_place fields need read_card")

    @property
    def name(self) -> str:
        return self.entity.replace("_", "-")

    @property
    def sections(self) -> tuple[str, ...]:
        return (self.section, *self.also)

    @property
    def template(self) -> str:
        return f"kinds/{self.section}.html"

    @property
    def tag(self) -> str:
        return self.slug.replace("-", " ")

    def card_id(self, item_id: int) -> str:
        return f"{self.prefix}-{item_id}"

    def card_section(self, item_id: int) -> str:
        return f"{CARD_PREFIX}{self.card_id(item_id)}"

    def touched(self, item_id: int, change: str, fields: set[str]) -> tuple[str, ...]:
        """The sections a change of one item repaints: its card alone for an edit of its
        in-place fields only, else its section and the others that show it."""
        if change == "updated" and fields and fields <= set(self.in_place):
            return (self.card_section(item_id),)
        return self.sections

    def url(self, item_id: int) -> str:
        return f"/{self.slug}/{item_id}"

    def text_of(self, item: Any) -> str:
        """What names the item in a list (the prullenbak, the archive)."""
        return str(getattr(item, self.text))

    def board_items(self, session: Session, board_id: int, today: date) -> list[Any]:
        if self.read is not None:
            return self.read(session, board_id, today)
        return item_reads.newest_first(session, self.model, board_id)

    def board_json(self, items: list[Any], today: date) -> list[SQLModel]:
        if self.to_board_json is not None:
            return self.to_board_json(items, today)
        return [self.public.model_validate(item.model_dump()) for item in items]

    def answer(self, session: Session, item: Any) -> SQLModel:
        if self.to_public is not None:
            return self.to_public(session, item)
        return self.public.model_validate(item.model_dump())


def _goal_public(session: Session, goal: Any) -> GoalPublic:
    board = session.get(Board, goal.board_id)
    assert board is not None
    return goal_public(goal_view(session, goal, board_today(session, board)))


def _action_public(session: Session, action: Any) -> ActionPublic:
    return actions.public(session, action)


SUCCESS = ItemKind(
    "success",
    Success,
    "successes",
    "successes",
    "success",
    SuccessCreate,
    SuccessUpdate,
    SuccessPublic,
    ("text", "goal_id"),
    N_("Succes"),
    references=(Reference("goal_id", Goal), Reference("action_id", Action)),
    also=("goals",),  # a goal offers to celebrate until a success names it
    archivable=True,
    key="successes",
    shows=("goals",),  # the titles of the goals they name
    in_place=("text",),
    read_card=board_cards.item_card(Success),
)
GOAL = ItemKind(
    "goal",
    Goal,
    "goals",
    "goals",
    "goal",
    GoalCreate,
    GoalUpdate,
    GoalPublic,
    ("title", "metric", "unit", "baseline", "target", "target_date"),
    N_("Doel"),
    optional=("target_date",),
    text="title",
    references=(Reference("team_goal_id", Goal, "unknown_team_goal", team_board=True),),
    to_public=_goal_public,
    key="goals",
    read=item_reads.goals,
    to_board_json=item_reads.goals_public,
)
ACTION = ItemKind(
    "action",
    Action,
    "actions",
    "actions",
    "action",
    ActionCreate,
    ActionUpdate,
    ActionPublic,
    ("title", "owner", "due", "goal_id"),
    N_("Actie"),
    optional=("due",),
    text="title",
    references=(Reference("goal_id", Goal, "unknown_goal"),),
    archivable=True,
    on_create=actions.place_new,
    on_update=actions.apply_update,
    to_public=_action_public,
    key="actions",
    shows=("goals", "stand_up"),  # their goals' titles; last week's, in a running session
    read=item_reads.actions,
    to_board_json=item_reads.actions_public,
    in_place=("title", "owner"),
    read_card=board_cards.action_card,
    read_along=(actions.PLACE_IN_COLUMN, actions.remember_place),
)
PLAN_ITEM = ItemKind(
    "plan_item",
    PlanItem,
    "plan",
    "plan-items",
    "plan",
    PlanItemCreate,
    PlanItemUpdate,
    PlanItemPublic,
    ("date", "kind", "text", "who"),
    N_("Planning"),
    key="plan_items",
    shows=("visits", "lesson_designs"),  # the planning has them by date too
    read=item_reads.plan_items,
    in_place=("text", "who"),  # the date and the kind place it
    read_card=board_cards.item_card(PlanItem),
)
IDEA = ItemKind(
    "idea",
    Idea,
    "ideas",
    "ideas",
    "idea",
    IdeaCreate,
    IdeaUpdate,
    IdeaPublic,
    ("text",),
    N_("Idee"),
    key="ideas",
)
HELP_REQUEST = ItemKind(
    "help_request",
    HelpRequest,
    "help",
    "help-requests",
    "help",
    HelpRequestCreate,
    HelpRequestUpdate,
    HelpRequestPublic,
    ("text",),
    N_("Hulpvraag"),
    key="help_requests",
    in_place=("text",),
    read_card=board_cards.item_card(HelpRequest),
)

# In the order the board page shows them.
KINDS: tuple[ItemKind[Any], ...] = (SUCCESS, GOAL, ACTION, PLAN_ITEM, IDEA, HELP_REQUEST)
BY_ENTITY = {kind.entity: kind for kind in KINDS}
BY_NAME = {kind.name: kind for kind in KINDS}
BY_SECTION = {kind.section: kind for kind in KINDS}
BY_PREFIX = {kind.prefix: kind for kind in KINDS}
ARCHIVABLE = {kind.name: kind for kind in KINDS if kind.archivable}
ITEM_SECTIONS = tuple(kind.section for kind in KINDS)
# Every section of a team board, in the order a push sends them.
SECTIONS = (HEADING, SESSION, *ITEM_SECTIONS)


def card_named(name: str) -> tuple[ItemKind[Any], int] | None:
    """The kind and the item of a change that names one card (`ItemKind.card_section`)."""
    if not name.startswith(CARD_PREFIX):
        return None
    prefix, _, item_id = name.removeprefix(CARD_PREFIX).rpartition("-")
    kind = BY_PREFIX.get(prefix)
    if kind is None or not (item_id.isascii() and item_id.isdigit()):
        return None
    return kind, int(item_id)


def read_card(
    reads: board_cards.Reads, board_id: int, kind: ItemKind[Any], item_id: int
) -> board_cards.PushedCard | None:
    """One card as a push renders it alone; None when its kind repaints more than the card, or
    the item is no longer on the board (its section is then rendered instead)."""
    return kind.read_card(reads, board_id, item_id) if kind.read_card else None


def cards_as_written(session: Session, board: Board, sections: tuple[str, ...]) -> dict[str, Any]:
    """The cards among a change's `sections`, read in its own unit of work (the rows as it
    will commit them): the change carries them to this instance's screens, which then need no
    read after the commit. A card that must be repainted with more than itself is not among
    them (its read answers None), and the screens' hub reads what it needs as before. A care
    board's cards are never carried: its screens are rendered by the care path alone."""
    board_id = board.id
    if board.kind == BoardKind.care or board_id is None:
        return {}
    if not changes.carries_cards(session, board_id):
        return {}  # over Redis, or nobody watches the board here
    reads = board_cards.InTransaction(session)
    found: dict[str, Any] = {}
    for name in sections:
        named = card_named(name)
        card = read_card(reads, board_id, *named) if named else None
        if card is not None:
            found[name] = card
    return found
