"""The care audit log: every view, change and export of a case, by whom and when.

An entry names the case by id and says what happened (a field name at most), never what the
case says, so the log can be read by the school's privacy officer and outlives an erased case.
"""

import re
from dataclasses import dataclass, field

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


# What `record` writes as detail: "agreement 3: due,status", "meeting 2", "with case 5",
# "user 7", or the changed fields of a case ("concern,status").
_DETAIL = re.compile(r"^(?:(agreement|meeting|with case|user) (\d+))?(?::? ?)([a-z_,]*)$")


@dataclass
class AuditRow:
    """An entry as the log page shows it: the case by its pupil code (only to who may see the
    case), and the detail as parts to put in the reader's language."""

    entry: AuditPublic
    case_code: str | None = None
    subject: str | None = None  # "agreement", "meeting", "with case", "user"
    about: str | None = None  # the colleague's name, or the other case's pupil code
    fields: list[str] = field(default_factory=list)


def page_rows(session: Session, user: User, entries: list[AuditPublic]) -> list[AuditRow]:
    codes = _visible_codes(session, user, entries)
    user_ids = {int(m[2]) for e in entries if (m := _DETAIL.match(e.detail)) and m[1] == "user"}
    names = (
        dict(session.exec(select(User.id, User.name).where(col(User.id).in_(user_ids))).all())
        if user_ids
        else {}
    )
    rows = []
    for e in entries:
        row = AuditRow(entry=e, case_code=codes.get(e.case_id) if e.case_id else None)
        found = _DETAIL.match(e.detail)
        if found:
            row.subject = found[1]
            row.fields = [name for name in found[3].split(",") if name]
            if found[1] == "user":
                row.about = names.get(int(found[2]))
            elif found[1] == "with case":
                row.about = codes.get(int(found[2]))
        rows.append(row)
    return rows


def _visible_codes(session: Session, user: User, entries: list[AuditPublic]) -> dict[int, str]:
    """Pupil codes of the cases on care boards the user is a member of; the privacy officer,
    who does not see the cases themselves, reads none."""
    readable: set[int] = set()
    for board_id in {e.board_id for e in entries if e.board_id is not None}:
        try:
            policy.care_board(session, user, board_id)
        except NotFound:
            continue
        readable.add(board_id)
    if not readable:
        return {}
    query = select(Case.id, Case.pupil_code).where(col(Case.board_id).in_(readable))
    return {case_id: code for case_id, code in session.exec(query) if case_id is not None}
