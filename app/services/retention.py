"""Retention: closed cases are anonymised once the school's retention period has passed.

Run daily by the app (a background task in its lifespan) and by `bord retention run`. Each case
is anonymised in a short transaction of its own under its board's row lock, after checking
again that it is still closed and due, so the job is idempotent and safe while people work: a
case reopened a moment ago is left alone, and a second run finds nothing to do.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app import clock
from app.db import Database
from app.models import (
    Agreement,
    Board,
    BoardKind,
    CareMeeting,
    Case,
    CaseParticipant,
    CaseStatus,
    School,
    Team,
)
from app.models.change import BoardChange
from app.models.rows import key_column, require_id
from app.services import audit, changes
from app.services.care import sections

log = logging.getLogger(__name__)
ANONYMOUS = "–"


def due_cases(session: Session, now: datetime) -> list[tuple[int, int]]:
    """(case id, board id) of every closed case past its school's retention period."""
    found: list[tuple[int, int]] = []
    for school in session.exec(select(School)):
        cutoff = now - timedelta(days=school.care_retention_days)
        found += session.exec(
            select(key_column(Case), Case.board_id)
            .join(Board, col(Board.id) == Case.board_id)
            .join(Team, col(Team.id) == Board.team_id)
            .where(
                Team.school_id == school.id,
                Board.kind == BoardKind.care,
                Case.status == CaseStatus.afgesloten,
                col(Case.anonymised_at).is_(None),
                col(Case.closed_at) <= cutoff,
            )
            .order_by(col(Case.id))
        ).all()
    return found


def _still_due(session: Session, case: Case, now: datetime) -> bool:
    if case.status != CaseStatus.afgesloten or case.anonymised_at or case.closed_at is None:
        return False
    board = session.get(Board, case.board_id)
    team = session.get(Team, board.team_id) if board else None
    school = session.get(School, team.school_id) if team else None
    if school is None:
        return False
    return case.closed_at <= now - timedelta(days=school.care_retention_days)


def anonymise(session: Session, case_id: int, now: datetime) -> bool:
    """Strip the case of everything that could identify the pupil; keep dates and counts."""
    case = session.get(Case, case_id)
    if case is None:
        return False
    board = session.get(Board, case.board_id)
    if board is None:
        return False
    changes.begin(session, board, archived_ok=True)  # the law's deadline holds for archives too
    session.refresh(case)
    if not _still_due(session, case, now):
        return False
    case.pupil_code = ANONYMOUS
    case.group = ""
    case.concern = ANONYMOUS
    case.anonymised_at = now
    case.version += 1
    case.updated_at = now
    session.add(case)
    for row in session.exec(select(CaseParticipant).where(CaseParticipant.case_id == case.id)):
        session.delete(row)
    for agreement in session.exec(select(Agreement).where(Agreement.case_id == case.id)):
        agreement.title = ANONYMOUS
        agreement.owner = ""
        agreement.version += 1
        session.add(agreement)
    for meeting in session.exec(select(CareMeeting).where(CareMeeting.case_id == case.id)):
        meeting.attendees = []
        meeting.notes = ""
        session.add(meeting)
    session.flush()
    audit.record(session, board, None, "anonymised", case.id)
    changes.record(
        session, board, None, "anonymised", "case", require_id(case), sections(require_id(case))
    )
    return True


def run(
    db: Database,
    now: datetime | None = None,
    publish: Callable[[list[BoardChange]], None] | None = None,
) -> int:
    """Anonymise every due case; returns how many. `publish` sends the changes to screens."""
    now = now or clock.now()
    with db.session(write=False) as session:
        due = due_cases(session, now)
    done = 0
    for case_id, _board_id in due:
        with db.session(publish=publish) as session:
            done += anonymise(session, case_id, now)
    if done:
        log.info("retention: anonymised %d closed case(s)", done)
    return done
