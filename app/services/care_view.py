"""Reading a care board for its screens: the members' view, and the display view that never
loads a case's confidential fields (only pupil codes and dates leave for a display screen)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from app.models import ActionStatus, Agreement, Board, CareMeeting, Case, CaseParticipant
from app.models.care import CaseStatus
from app.models.rows import key_column, require_id
from app.services.care import agreements_of, meetings_of, participants_of, week_end
from app.services.deadlines import is_late
from app.services.school_time import board_today


@dataclass
class CaseView:
    case: Case
    participants: list[CaseParticipant] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    meetings: list[CareMeeting] = field(default_factory=list)

    @property
    def open_agreements(self) -> list[Agreement]:
        return [a for a in self.agreements if a.status != ActionStatus.done]

    @property
    def done_agreements(self) -> list[Agreement]:
        return [a for a in self.agreements if a.status == ActionStatus.done]

    @property
    def closed(self) -> bool:
        return self.case.status == CaseStatus.afgesloten


@dataclass
class CareView:
    board: Board
    cases: list[CaseView]
    today: date

    def due_for_review(self) -> list[CaseView]:
        """Open cases whose review date falls in this week (or has passed)."""
        end = week_end(self.today)
        return [
            cv
            for cv in self.cases
            if not cv.closed and cv.case.review_date is not None and cv.case.review_date <= end
        ]

    def late_agreements(self) -> list[tuple[CaseView, Agreement]]:
        return [(cv, a) for cv in self.cases for a in cv.open_agreements if is_late(a, self.today)]

    def case(self, case_id: int) -> CaseView | None:
        return next((cv for cv in self.cases if cv.case.id == case_id), None)


@dataclass(frozen=True)
class DisplayCase:
    """All a display screen ever gets of a case."""

    id: int
    pupil_code: str
    review_date: date | None


@dataclass
class CareDisplayView:
    board: Board
    cases: list[DisplayCase]
    today: date

    def due_for_review(self) -> list[DisplayCase]:
        end = week_end(self.today)
        return [c for c in self.cases if c.review_date is not None and c.review_date <= end]


def _order() -> tuple[ColumnElement[Any], ...]:
    return (
        col(Case.status) == CaseStatus.afgesloten,
        col(Case.review_date).is_(None),
        col(Case.review_date).asc(),
        col(Case.id).asc(),
    )


def load_care(session: Session, board: Board, today: date | None = None) -> CareView:
    cases = list(session.exec(select(Case).where(Case.board_id == board.id).order_by(*_order())))
    views = {require_id(c): CaseView(c) for c in cases}
    ids = list(views)
    for p in participants_of(session, ids):
        views[p.case_id].participants.append(p)
    for a in agreements_of(session, ids):
        views[a.case_id].agreements.append(a)
    for m in meetings_of(session, ids):
        views[m.case_id].meetings.append(m)
    return CareView(board, list(views.values()), today or board_today(session, board))


def load_display(session: Session, board: Board, today: date | None = None) -> CareDisplayView:
    """Open cases as codes and review dates: the confidential columns are not even selected."""
    rows = session.exec(
        select(key_column(Case), col(Case.pupil_code), col(Case.review_date))
        .where(Case.board_id == board.id, Case.status != CaseStatus.afgesloten)
        .order_by(*_order())
    ).all()
    return CareDisplayView(
        board, [DisplayCase(*row) for row in rows], today or board_today(session, board)
    )
