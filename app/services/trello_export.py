"""A Trello board's JSON export ("Print, export and share → Export as JSON"), read and checked,
and where its lists would go on a Bord board: the proposal the import's mapping step starts from.

Only what the import uses is read; the rest of the export (its history of actions, plugin data,
settings) is ignored. A file that is not JSON, or not shaped like a board export, is refused
with 422 on `file`; one larger than MAX_BYTES with 413.
"""

import json
import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import Invalid, TooLarge
from app.i18n import N_

MAX_BYTES = 10 * 1024 * 1024
TOO_LARGE = "A Trello export may be at most 10 MB"
TOO_LARGE_NOTICE = N_("Dit bestand is groter dan 10 MB.")

TrelloId = Annotated[str, Field(min_length=1, max_length=48)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TrelloList(_Part):
    id: TrelloId
    name: str = ""
    closed: bool = False
    pos: float = 0


class TrelloCard(_Part):
    id: TrelloId
    name: str = ""
    desc: str = ""
    idList: str
    due: datetime | None = None
    idMembers: list[str] = []
    idLabels: list[str] = []
    closed: bool = False
    pos: float = 0
    idChecklists: list[str] = []


class TrelloMember(_Part):
    id: str
    fullName: str = ""
    username: str = ""
    email: str | None = None  # not in Trello's own exports; some tools add it


class TrelloLabel(_Part):
    id: str
    name: str = ""
    color: str | None = None


class TrelloCheckItem(_Part):
    name: str = ""
    state: str = "incomplete"
    pos: float = 0


class TrelloChecklist(_Part):
    id: str
    idCard: str = ""
    name: str = ""
    pos: float = 0
    checkItems: list[TrelloCheckItem] = []


class TrelloBoard(_Part):
    id: TrelloId
    name: str = ""
    lists: list[TrelloList]
    cards: list[TrelloCard]
    members: list[TrelloMember] = []
    labels: list[TrelloLabel] = []
    checklists: list[TrelloChecklist] = []

    def ordered_lists(self) -> list[TrelloList]:
        return sorted(self.lists, key=lambda lst: lst.pos)


class Target(StrEnum):
    """Where a list's cards go."""

    todo = "todo"
    doing = "doing"
    done = "done"
    successes = "successes"
    ideas = "ideas"
    skip = "skip"


# the mapping form's choices, in Dutch (translated where shown)
TARGET_LABELS = {
    Target.todo: N_("Te doen"),
    Target.doing: N_("Mee bezig"),
    Target.done: N_("Klaar"),
    Target.successes: N_("Successen"),
    Target.ideas: N_("Ideeën"),
    Target.skip: N_("Overslaan"),
}

# Words in a list's name, Dutch and English, in the order they are tried: "Niet klaar" is
# never proposed, but "Klaar voor review" reads as done, as a person would read it.
_WORDS = (
    (Target.done, r"klaar|gedaan|afgerond|voltooid|done|finished|complete[d]?"),
    (Target.doing, r"bezig|onderhanden|in uitvoering|doing|in progress|busy|wip|working on"),
    (Target.todo, r"te doen|todo|to do|backlog|acties|actions|gepland|planned|next"),
    (Target.successes, r"succes(?:sen)?|success(?:es)?|vieren|gevierd|wins|celebrat\w*"),
    (Target.ideas, r"idee(?:ën|en)?|ideas?|parkeer\w*|parking lot|someday"),
)
_PATTERNS = [(target, re.compile(rf"\b(?:{words})\b")) for target, words in _WORDS]


def propose(list_name: str) -> Target:
    """The target a list's name suggests; a name that suggests none is skipped."""
    name = " ".join(re.sub(r"[^\w\s]", " ", list_name.casefold()).split())
    name = name.replace("to do", "todo")
    for target, pattern in _PATTERNS:
        if pattern.search(name):
            return target
    return Target.skip


def proposal(export: TrelloBoard) -> dict[str, Target]:
    return {lst.id: propose(lst.name) for lst in export.lists}


def parse(raw: bytes) -> TrelloBoard:
    """The export in `raw`; refused (changing nothing) when it is too large or not one."""
    if len(raw) > MAX_BYTES:
        raise TooLarge(TOO_LARGE, field="file")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise Invalid("file", "not a JSON file", kind="not_json") from None
    try:
        return TrelloBoard.model_validate(data)
    except ValidationError:
        raise Invalid("file", "not a Trello board export", kind="not_trello") from None


def parse_mapping(text: str | None, export: TrelloBoard) -> dict[str, Target]:
    """The proposal, with the choices in `text` (JSON: {list id: target}) in its place."""
    mapping = proposal(export)
    if not text:
        return mapping
    try:
        chosen = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise Invalid("mapping", "not JSON", kind="not_json") from None
    if not isinstance(chosen, dict):
        raise Invalid("mapping", "an object {list id: target}", kind="not_object")
    for list_id, target in chosen.items():
        if list_id not in mapping:
            raise Invalid("mapping", f"no list {list_id[:48]!r} in the export", "unknown_list")
        if target not in Target.__members__:
            choices = ", ".join(Target)
            raise Invalid("mapping", f"a target is one of: {choices}", kind="unknown_target")
        mapping[list_id] = Target(target)
    return mapping
