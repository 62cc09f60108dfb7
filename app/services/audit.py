"""The care audit log: every view, change and export of a case, by whom and when.

An entry names the case by id and says what happened (a field name at most), never what the
case says, so the log can be read by the school's privacy officer and outlives an erased case.
"""

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.models import AuditEntry, Board, Case, User
from app.models.care import AuditPublic
from app.models.rows import require_id
from app.security import policy


def record(
    session: Session,
    board: Board,
    user: User | None,
    action: str,
    case_id: int | None,
    detail: str = "",
) -> AuditEntry:
    entry = AuditEntry(
        school_id=policy.school_of_board(session, board),
        board_id=board.id,
        case_id=case_id,
        user_id=user.id if user else None,
        action=action,
        detail=detail[:200],
    )
    session.add(entry)
    return entry


def public(session: Session, entries: list[AuditEntry]) -> list[AuditPublic]:
    ids = {e.user_id for e in entries if e.user_id is not None}
    names = (
        dict(session.exec(select(User.id, User.name).where(col(User.id).in_(ids))).all())
        if ids
        else {}
    )
    return [
        AuditPublic.model_validate({**e.model_dump(), "user_name": names.get(e.user_id)})
        for e in entries
    ]


def case_entries(session: Session, case_id: int) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry)
            .where(AuditEntry.case_id == case_id)
            .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        )
    )


def board_entries(session: Session, board_id: int, limit: int = 500) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry)
            .where(AuditEntry.board_id == board_id)
            .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
            .limit(limit)
        )
    )


def school_entries(session: Session, school_id: int, limit: int = 1000) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry)
            .where(AuditEntry.school_id == school_id)
            .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
            .limit(limit)
        )
    )


def readable_board(session: Session, user: User, board_id: int) -> Board:
    """A care board whose audit log the user may read: a member's, or the privacy officer's
    of its school (who does not see the cases themselves)."""
    board = session.get(Board, board_id)
    if board is None:
        raise NotFound()
    try:
        return policy.care_board(session, user, board_id)
    except NotFound:
        if policy.is_privacy_officer(session, user, policy.school_of_board(session, board)):
            return board
        raise


def case_log(session: Session, user: User, case_id: int) -> list[AuditPublic]:
    """The case's trail, for its board's members and the school's privacy officer."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound()
    board = readable_board(session, user, case.board_id)
    record(session, board, user, "audit_read", case.id)
    return public(session, case_entries(session, require_id(case)))


def school_log(session: Session, user: User, school_id: int) -> list[AuditPublic]:
    """Every care board's trail in the school: the privacy officer's view."""
    if not policy.is_privacy_officer(session, user, school_id):
        raise NotFound()
    return public(session, school_entries(session, school_id))
