"""Frames for care boards: the case list, this week's review and the open case pages.

Members (and a leader who is a member) get the member view. A display screen gets a view built
from pupil codes and dates only (services.care_view.load_display selects nothing else), so a
case's confidential text is never even rendered for it; case pages are not sent to displays.
"""

from sqlmodel import Session, col, select

from app.models import Agreement, Board, BoardEvent, CareMeeting, CaseParticipant
from app.realtime.hub import Variant
from app.services.care_view import load_care, load_display
from app.templating import render_string

CARE_TEMPLATE = "pages/care/care.html"
LIVE_TEMPLATE = "partials/_live.html"
LIST_SECTIONS = ("review", "cases")
CASE_PREFIX = "case:"


def case_section(case_id: int) -> str:
    return f"{CASE_PREFIX}{case_id}"


def _case_ids(sections: frozenset[str]) -> set[int] | None:
    """The case pages to send: those named, or None for every case (a catch-up, which names
    team sections or entities the care board does not know)."""
    ids: set[int] = set()
    for name in sections:
        if name.startswith(CASE_PREFIX):
            ids.add(int(name[len(CASE_PREFIX) :]))
        elif name not in LIST_SECTIONS:
            return None
    return ids


ENTITY_ROWS = {"agreement": Agreement, "meeting": CareMeeting, "participant": CaseParticipant}


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
            ids |= set(session.exec(select(model.case_id).where(col(model.id).in_(row_ids))).all())
    return ids


def frames(
    session: Session,
    board: Board,
    sections: frozenset[str],
    variants: list[Variant],
    since: int,
) -> dict[Variant, str]:
    wanted = bool(sections)
    members = any(v.audience != "display" for v in variants)
    displays = any(v.audience == "display" for v in variants)
    view = load_care(session, board) if wanted and members else None
    display_view = load_display(session, board) if wanted and displays else None
    ids = _case_ids(sections) if wanted else set()
    if ids is None and 0 < since <= board.version:
        ids = cases_changed_since(session, board.id, since)
    result = {}
    for variant in variants:
        marker = render_string(
            variant.locale, LIVE_TEMPLATE, "version_marker", since=since, version=board.version
        )
        parts = [marker]
        if wanted and variant.audience == "display":
            context = {"view": display_view, "board": board, "variant": "display", "oob": True}
            parts += [
                render_string(variant.locale, CARE_TEMPLATE, n, **context) for n in LIST_SECTIONS
            ]
        elif wanted and view is not None:
            context = {
                "view": view,
                "board": board,
                "variant": "member",
                "today": view.today,
                "oob": True,
            }
            parts += [
                render_string(variant.locale, CARE_TEMPLATE, n, **context) for n in LIST_SECTIONS
            ]
            chosen = [cv.case.id for cv in view.cases] if ids is None else sorted(ids)
            for case_id in chosen:
                cv = view.case(case_id)
                if cv is None:
                    parts.append(
                        render_string(
                            variant.locale, CARE_TEMPLATE, "case_gone", board=board, case_id=case_id
                        )
                    )
                else:
                    parts.append(
                        render_string(
                            variant.locale, CARE_TEMPLATE, "case_detail", cv=cv, **context
                        )
                    )
        result[variant] = "".join(parts)
    return result
