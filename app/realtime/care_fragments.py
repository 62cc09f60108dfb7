"""Frames for care boards: the case list, this week's review and the open case pages.

Members (and a leader who is a member) get the member view. A display screen gets a view built
from pupil codes and dates only (services.care_view.load_display selects nothing else), so a
case's confidential text is never even rendered for it; case pages are not sent to displays.
"""

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.models import Agreement, Board, BoardEvent, CareMeeting, CaseParticipant
from app.models.rows import require_id
from app.realtime.channel import Variant
from app.services.care_view import CareView, load_care, load_display
from app.templating import render_macro, render_string

CARE_TEMPLATE = "pages/care/care.html"
MARKER_TEMPLATE = "components/live.html"
LIST_SECTIONS = ("review", "cases")
CASE_PREFIX = "case:"  # a case's page
CARD_PREFIX = "card:"  # a case's card on the list, when the list itself keeps its order


def case_section(case_id: int) -> str:
    return f"{CASE_PREFIX}{case_id}"


@dataclass
class Wanted:
    lists: set[str] = field(default_factory=set)
    cards: set[int] = field(default_factory=set)
    pages: set[int] | None = field(default_factory=set)  # None: work out from the events
    heading: bool = False  # the board's title and archived banner


def wanted(sections: frozenset[str]) -> Wanted:
    """What to render for these sections; anything a care board does not know (a catch-up
    names the team sections) means the lists and the pages of the cases changed since."""
    found = Wanted()
    for name in sections:
        if name.startswith(CASE_PREFIX):
            if found.pages is not None:
                found.pages.add(int(name[len(CASE_PREFIX) :]))
        elif name.startswith(CARD_PREFIX):
            found.cards.add(int(name[len(CARD_PREFIX) :]))
        elif name in LIST_SECTIONS:
            found.lists.add(name)
        elif name == "heading":
            found.heading = True
        else:
            found.heading = True
            found.lists.update(LIST_SECTIONS)
            found.pages = None
    if "cases" in found.lists:
        found.cards.clear()  # the list carries them
    return found


ENTITY_ROWS: dict[str, type[Agreement | CareMeeting | CaseParticipant]] = {
    "agreement": Agreement,
    "meeting": CareMeeting,
    "participant": CaseParticipant,
}


def cases_changed_since(session: Session, board_id: int, since: int) -> set[int]:
    """The cases touched after version `since`, from the board's events: a screen that catches
    up gets those case pages, not every case of the board."""
    ids: set[int] = set()
    by_entity: dict[str, set[int]] = {}
    for entity, entity_id in session.exec(
        select(BoardEvent.entity, BoardEvent.entity_id).where(
            BoardEvent.board_id == board_id, col(BoardEvent.version) > since
        )
    ):
        if entity_id is not None:
            by_entity.setdefault(entity, set()).add(entity_id)
    ids |= by_entity.pop("case", set())
    for entity, row_ids in by_entity.items():
        model = ENTITY_ROWS.get(entity)
        if model is not None:
            ids |= set(session.exec(select(col(model.case_id)).where(col(model.id).in_(row_ids))))
    return ids


def frames(
    session: Session,
    board: Board,
    sections: frozenset[str],
    variants: list[Variant],
    since: int,
) -> dict[Variant, str]:
    want = wanted(sections)
    if want.pages is None and 0 < since <= board.version:
        want.pages = cases_changed_since(session, require_id(board), since)
    members = any(v.audience != "display" for v in variants)
    display_lists = [n for n in LIST_SECTIONS if n in want.lists and "cases" in want.lists]
    anything = bool(want.lists or want.cards or want.pages is None or want.pages)
    view = load_care(session, board) if anything and members else None
    display_view = (
        load_display(session, board)
        if display_lists and any(v.audience == "display" for v in variants)
        else None
    )
    result = {}
    for variant in variants:
        locale = variant.locale
        parts = [render_macro(locale, MARKER_TEMPLATE, "version_marker", since, board.version)]
        if want.heading:
            parts.append(render_string(locale, CARE_TEMPLATE, "heading", board=board, oob=True))
        if variant.audience == "display":
            if display_view is not None:
                context = {"view": display_view, "board": board, "variant": "display", "oob": True}
                parts += [render_string(locale, CARE_TEMPLATE, n, **context) for n in display_lists]
        elif view is not None:
            parts += _member_parts(locale, board, view, want)
        result[variant] = "".join(parts)
    return result


def _member_parts(locale: str, board: Board, view: CareView, want: Wanted) -> list[str]:
    context = {"view": view, "board": board, "variant": "member", "today": view.today, "oob": True}
    parts = [
        render_string(locale, CARE_TEMPLATE, n, **context) for n in LIST_SECTIONS if n in want.lists
    ]
    for case_id in sorted(want.cards):
        cv = view.case(case_id)
        if cv is not None:
            parts.append(render_string(locale, CARE_TEMPLATE, "case_card", cv=cv, **context))
    pages = [require_id(cv.case) for cv in view.cases] if want.pages is None else sorted(want.pages)
    for case_id in pages:
        cv = view.case(case_id)
        if cv is None:
            parts.append(
                render_string(locale, CARE_TEMPLATE, "case_gone", board=board, case_id=case_id)
            )
        else:
            parts.append(render_string(locale, CARE_TEMPLATE, "case_detail", cv=cv, **context))
    return parts
