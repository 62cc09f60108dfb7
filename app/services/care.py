"""Care boards: cases, the people involved, agreements (afspraken) and care meetings.

Every function checks that the user is a member of the case's care board (anything else is
NotFound), changes rows through changes.begin/record so open screens follow, and writes an
audit entry for every view, change and export of a case.
"""

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

from app import clock
from app.errors import Conflict, Invalid, NotFound
from app.models import (
    ActionStatus,
    Agreement,
    Board,
    BoardKind,
    BoardMember,
    CareMeeting,
    Case,
    CaseParticipant,
    CaseStatus,
    School,
    Team,
    User,
)
from app.models.care import (
    AgreementCreate,
    AgreementPublic,
    AgreementUpdate,
    CaseCreate,
    CaseExport,
    CasePublic,
    CaseUpdate,
    MeetingCreate,
    MeetingPublic,
    ParticipantCreate,
    ParticipantPublic,
    StatusCounts,
)
from app.models.item import INCLUDE_DELETED
from app.models.rows import require_id
from app.security import policy
from app.services import audit, changes
from app.services.deadlines import is_late
from app.services.school_time import board_today

SECTIONS = ("cases", "review")


def sections(case_id: int) -> tuple[str, ...]:
    """A change of the case itself: the case list, the review and the case's page (see
    realtime.care_fragments)."""
    return (*SECTIONS, f"case:{case_id}")


def inner_sections(case_id: int) -> tuple[str, ...]:
    """A change within a case (an agreement, a meeting, someone involved): the list keeps its
    order, so only the case's card, the review and the case's page are sent."""
    return ("review", f"card:{case_id}", f"case:{case_id}")


# Without the school's consent to full names, a pupil is a code or initials: short, no spaces.
MAX_CODE = 20


def _into_prullenbak(item: Case | Agreement, user: User) -> None:
    """Out of every read at once; back with a restore, erased by the purge after 30 days."""
    item.deleted_at = clock.now()
    item.deleted_by_id = user.id
    item.version += 1


# --- reach -------------------------------------------------------------------------------------


def get_case(session: Session, user: User, case_id: int) -> tuple[Case, Board]:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound()
    return case, policy.care_board(session, user, case.board_id)


def get_agreement(session: Session, user: User, agreement_id: int) -> tuple[Agreement, Board]:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None or session.get(Case, agreement.case_id) is None:
        raise NotFound()  # the agreement, or its case, is gone (or in the prullenbak)
    return agreement, policy.care_board(session, user, agreement.board_id)


def school_for(session: Session, board: Board) -> School:
    school = session.get(School, policy.school_of_board(session, board))
    if school is None:
        raise NotFound()
    return school


def _check_code(session: Session, board: Board, code: str) -> None:
    if school_for(session, board).care_full_names:
        return
    if len(code) > MAX_CODE or any(c.isspace() for c in code):
        raise Invalid("pupil_code", "use a pupil code or initials, not a full name", "full_name")


# --- reading -----------------------------------------------------------------------------------


def agreement_public(
    session: Session, agreement: Agreement, today: date | None = None
) -> AgreementPublic:
    """`late` by the care board's school's today (`today`, when the caller has it)."""
    if today is None:
        board = session.get(Board, agreement.board_id)
        assert board is not None
        today = board_today(session, board)
    late = is_late(agreement, today)
    return AgreementPublic.model_validate({**agreement.model_dump(), "late": late})


def agreements_of(session: Session, case_ids: list[int]) -> list[Agreement]:
    if not case_ids:
        return []
    return list(
        session.exec(
            select(Agreement)
            .where(col(Agreement.case_id).in_(case_ids))
            .order_by(
                col(Agreement.case_id),
                col(Agreement.due).is_(None),
                col(Agreement.due),
                col(Agreement.id),
            )
        )
    )


def participants_of(session: Session, case_ids: list[int]) -> list[CaseParticipant]:
    if not case_ids:
        return []
    return list(
        session.exec(
            select(CaseParticipant)
            .where(col(CaseParticipant.case_id).in_(case_ids))
            .order_by(col(CaseParticipant.case_id), col(CaseParticipant.id))
        )
    )


def meetings_of(session: Session, case_ids: list[int]) -> list[CareMeeting]:
    if not case_ids:
        return []
    return list(
        session.exec(
            select(CareMeeting)
            .where(col(CareMeeting.case_id).in_(case_ids))
            .order_by(
                col(CareMeeting.case_id), col(CareMeeting.date).desc(), col(CareMeeting.id).desc()
            )
        )
    )


def case_public(session: Session, case: Case) -> CasePublic:
    board = session.get(Board, case.board_id)
    assert board is not None
    today = board_today(session, board)
    return CasePublic.model_validate(
        {
            **case.model_dump(),
            "participants": [
                ParticipantPublic.model_validate(p.model_dump())
                for p in participants_of(session, [require_id(case)])
            ],
            "agreements": [
                agreement_public(session, a, today)
                for a in agreements_of(session, [require_id(case)])
            ],
            "meetings": [
                MeetingPublic.model_validate(m.model_dump())
                for m in meetings_of(session, [require_id(case)])
            ],
        }
    )


def view_case(session: Session, user: User, case_id: int) -> CasePublic:
    case, board = get_case(session, user, case_id)
    audit.record(session, board, user, "viewed", case.id)
    return case_public(session, case)


def export_case(
    session: Session, user: User, case_id: int, now: datetime | None = None
) -> CaseExport:
    """Everything held about the pupil of this case (a data-subject request)."""
    case, board = get_case(session, user, case_id)
    others = _same_pupil(session, user, case)
    audit.record(session, board, user, "exported", case.id)
    for other in others:
        audit.record(session, board, user, "exported", other.id, f"with case {case.id}")
    session.flush()
    return CaseExport(
        exported_at=now or clock.now(),
        school_id=policy.school_of_board(session, board),
        board_id=require_id(board),
        case=case_public(session, case),
        audit=audit.public(session, audit.case_entries(session, require_id(case))),
        other_cases=[case_public(session, other) for other in others],
    )


def _same_pupil(session: Session, user: User, case: Case) -> list[Case]:
    """Other cases with this pupil's code on care boards of the same school the user is on."""
    if case.anonymised_at is not None:
        return []
    board = session.get(Board, case.board_id)
    school_id = policy.school_of_board(session, board) if board else None
    rows = session.exec(
        select(Case)
        .join(Board, col(Board.id) == Case.board_id)
        .join(Team, col(Team.id) == Board.team_id)
        .join(BoardMember, col(BoardMember.board_id) == Board.id)
        .where(
            Case.pupil_code == case.pupil_code,
            Case.id != case.id,
            Team.school_id == school_id,
            Board.kind == BoardKind.care,
            BoardMember.user_id == user.id,
        )
        .order_by(col(Case.id))
    )
    return list(rows)


# --- cases -------------------------------------------------------------------------------------


def _closing(case: Case, status: CaseStatus, now: datetime) -> None:
    if status == CaseStatus.afgesloten and case.status != CaseStatus.afgesloten:
        case.closed_at = now
    elif status != CaseStatus.afgesloten:
        case.closed_at = None
    case.status = status


def create_case(
    session: Session, user: User, board_id: int, data: CaseCreate, now: datetime | None = None
) -> Case:
    board = policy.care_board(session, user, board_id)
    _check_code(session, board, data.pupil_code)
    changes.begin(session, board)
    now = now or clock.now()
    case = Case(
        board_id=require_id(board),
        pupil_code=data.pupil_code,
        group=data.group,
        concern=data.concern,
        review_date=data.review_date,
    )
    _closing(case, data.status, now)
    session.add(case)
    session.flush()
    audit.record(session, board, user, "created", case.id)
    changes.record(
        session, board, user, "created", "case", require_id(case), sections(require_id(case))
    )
    return case


def update_case(
    session: Session, user: User, case_id: int, data: CaseUpdate, now: datetime | None = None
) -> Case:
    case, board = get_case(session, user, case_id)
    changes.begin_on(session, board, case)
    if case.version != data.version:
        raise Conflict(current=case_public(session, case))
    given = data.model_fields_set - {"version"}
    if "pupil_code" in given and data.pupil_code is not None:
        _check_code(session, board, data.pupil_code)
        case.pupil_code = data.pupil_code
    if "group" in given:
        case.group = data.group or ""
    if "concern" in given and data.concern is not None:
        case.concern = data.concern
    if "review_date" in given:
        case.review_date = data.review_date
    if "status" in given and data.status is not None:
        _closing(case, data.status, now or clock.now())
    case.version += 1
    case.updated_at = now or clock.now()
    session.add(case)
    session.flush()
    audit.record(session, board, user, "updated", case.id, ",".join(sorted(given)))
    changes.record(
        session, board, user, "updated", "case", require_id(case), sections(require_id(case))
    )
    return case


def erase(session: Session, case: Case) -> None:
    """Everything about the case, gone: its agreements, meetings and the people involved."""
    for model in (Agreement, CareMeeting, CaseParticipant):
        query = select(model).where(model.case_id == case.id)
        for row in session.exec(query.execution_options(**{INCLUDE_DELETED: True})):
            session.delete(row)
    session.delete(case)
    session.flush()


def open_agreements(session: Session, case_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Agreement)
        .where(Agreement.case_id == case_id, Agreement.status != ActionStatus.done)
    ).one()


def erase_case(
    session: Session,
    user: User,
    case_id: int,
    version: int | None = None,
    confirm: bool = False,
    permanent: bool = False,
) -> Board:
    """Delete the case: into the care board's prullenbak (services/trash.py), restorable by
    its members for 30 days and erased for good after that; or, `permanent` (a data-subject
    request), erase everything about it at once. With open agreements it must be confirmed;
    the audit trail keeps that it happened, by id only."""
    case, board = get_case(session, user, case_id)
    changes.begin_on(session, board, case, archived_ok=True)  # a pupil's right to erasure holds
    if version is not None and case.version != version:
        raise Conflict(current=case_public(session, case))
    if not confirm and open_agreements(session, require_id(case)):
        raise Conflict(
            current=case_public(session, case),
            detail="This case has open agreements: confirm to erase it",
        )
    if permanent:
        erase(session, case)
        audit.record(session, board, user, "erased", case_id)
    else:
        _into_prullenbak(case, user)
        session.add(case)
        session.flush()
        audit.record(session, board, user, "deleted", case_id)
    changes.record(session, board, user, "deleted", "case", case_id, sections(case_id))
    return board


# --- the people involved -----------------------------------------------------------------------


def add_participant(
    session: Session, user: User, case_id: int, data: ParticipantCreate
) -> CaseParticipant:
    case, board = get_case(session, user, case_id)
    changes.begin(session, board)
    row = CaseParticipant(
        case_id=require_id(case), name=data.name, role=data.role, organisation=data.organisation
    )
    session.add(row)
    session.flush()
    audit.record(session, board, user, "participant_added", case.id)
    changes.record(
        session,
        board,
        user,
        "created",
        "participant",
        require_id(row),
        inner_sections(require_id(case)),
    )
    return row


def remove_participant(session: Session, user: User, participant_id: int) -> Board:
    row = session.get(CaseParticipant, participant_id)
    if row is None:
        raise NotFound()
    case, board = get_case(session, user, row.case_id)
    changes.begin(session, board)
    session.delete(row)
    session.flush()
    audit.record(session, board, user, "participant_removed", case.id)
    changes.record(
        session,
        board,
        user,
        "deleted",
        "participant",
        participant_id,
        inner_sections(require_id(case)),
    )
    return board


# --- agreements --------------------------------------------------------------------------------


def create_agreement(
    session: Session, user: User, case_id: int, data: AgreementCreate
) -> Agreement:
    case, board = get_case(session, user, case_id)
    changes.begin(session, board)
    agreement = Agreement(
        board_id=require_id(board),
        case_id=require_id(case),
        title=data.title,
        owner=data.owner,
        due=data.due,
        status=data.status,
        done_at=clock.now() if data.status == ActionStatus.done else None,
    )
    session.add(agreement)
    session.flush()
    audit.record(session, board, user, "agreement_added", case.id, f"agreement {agreement.id}")
    changes.record(
        session,
        board,
        user,
        "created",
        "agreement",
        require_id(agreement),
        inner_sections(require_id(case)),
    )
    return agreement


def update_agreement(
    session: Session, user: User, agreement_id: int, data: AgreementUpdate
) -> Agreement:
    agreement, board = get_agreement(session, user, agreement_id)
    changes.begin_on(session, board, agreement)
    if agreement.version != data.version:
        raise Conflict(current=agreement_public(session, agreement))
    given = data.model_fields_set - {"version"}
    if "title" in given and data.title is not None:
        agreement.title = data.title
    if "owner" in given:
        agreement.owner = data.owner or ""
    if "due" in given:
        agreement.due = data.due
    if "status" in given and data.status != agreement.status:
        agreement.done_at = clock.now() if data.status == ActionStatus.done else None
        agreement.status = data.status
    agreement.version += 1
    agreement.updated_at = clock.now()
    session.add(agreement)
    session.flush()
    audit.record(
        session,
        board,
        user,
        "agreement_updated",
        agreement.case_id,
        f"agreement {agreement.id}: " + ",".join(sorted(given)),
    )
    changes.record(
        session,
        board,
        user,
        "updated",
        "agreement",
        agreement.id,
        inner_sections(agreement.case_id),
    )
    return agreement


def delete_agreement(
    session: Session, user: User, agreement_id: int, version: int | None = None
) -> Board:
    agreement, board = get_agreement(session, user, agreement_id)
    changes.begin_on(session, board, agreement)
    if version is not None and agreement.version != version:
        raise Conflict(current=agreement_public(session, agreement))
    case_id = agreement.case_id
    _into_prullenbak(agreement, user)
    session.add(agreement)
    session.flush()
    audit.record(session, board, user, "agreement_deleted", case_id, f"agreement {agreement_id}")
    changes.record(
        session, board, user, "deleted", "agreement", agreement_id, inner_sections(case_id)
    )
    return board


# --- care meetings -----------------------------------------------------------------------------


def add_meeting(session: Session, user: User, case_id: int, data: MeetingCreate) -> CareMeeting:
    """A care meeting held about the case: who attended, notes, and the next review."""
    case, board = get_case(session, user, case_id)
    changes.begin(session, board)
    meeting = CareMeeting(
        case_id=require_id(case),
        date=data.date,
        attendees=list(dict.fromkeys(data.attendees)),
        notes=data.notes,
        created_by_id=user.id,
    )
    session.add(meeting)
    if data.next_review is not None:
        session.refresh(case)
        case.review_date = data.next_review
        case.version += 1
        case.updated_at = clock.now()
        session.add(case)
    session.flush()
    audit.record(session, board, user, "meeting_added", case.id, f"meeting {meeting.id}")
    moved = (
        sections(require_id(case))
        if data.next_review is not None
        else inner_sections(require_id(case))
    )
    changes.record(session, board, user, "created", "meeting", meeting.id, moved)
    return meeting


# --- the leader's count ------------------------------------------------------------------------


def case_counts(session: Session, user: User, school_id: int) -> StatusCounts:
    """Cases per status across the school's care boards: the only thing a leader sees of them."""
    policy.led_school(session, user, school_id)
    rows = session.exec(
        select(Case.status, func.count())
        .join(Board, col(Board.id) == Case.board_id)
        .join(Team, col(Team.id) == Board.team_id)
        .where(Team.school_id == school_id, Board.kind == BoardKind.care)
        .group_by(Case.status)
    ).all()
    counts = {status.value: 0 for status in CaseStatus}
    for status, n in rows:
        counts[CaseStatus(status).value] = n
    return StatusCounts(school_id=school_id, counts=counts)


def week_end(on: date) -> date:
    """The last day of the school week to plan for: this week's Sunday, or next week's when
    it is already the weekend (a Monday meeting is prepared on Sunday)."""
    weekend = 7 if on.weekday() >= 5 else 0
    return on + timedelta(days=6 - on.weekday() + weekend)
