"""Who is on a care board: its IB'er adds colleagues of the school (and removes them).

Any member may see the list; adding and removing is for members too (the IB'er shares the
board with the people they work with). The last member cannot leave: a care board is never
left without anyone to look after it.
"""

from sqlmodel import Session, col, func, select

from app.errors import Invalid, NotFound
from app.models import Board, BoardMember, Membership, User
from app.models.care import CareMemberPublic
from app.models.rows import require_id
from app.security import policy
from app.services import accounts, audit, changes


def members_of(session: Session, user: User, board_id: int) -> list[CareMemberPublic]:
    board = policy.care_board(session, user, board_id)
    rows = session.exec(
        select(User)
        .join(BoardMember, col(BoardMember.user_id) == User.id)
        .where(BoardMember.board_id == board.id)
        .order_by(col(User.name), col(User.id))
    )
    return [CareMemberPublic(user_id=require_id(u), name=u.name, email=u.email) for u in rows]


def add_member(session: Session, user: User, board_id: int, email: str) -> CareMemberPublic:
    board = policy.writable(policy.care_board(session, user, board_id))
    school_id = policy.school_of_board(session, board)
    other = accounts.find_user(session, email)
    in_school = (
        other is not None
        and session.exec(
            select(Membership.id).where(
                Membership.user_id == other.id, Membership.school_id == school_id
            )
        ).first()
        is not None
    )
    if other is None or not in_school:
        raise Invalid("email", "no one of this school has that email", "unknown_colleague")
    exists = session.exec(
        select(BoardMember.id).where(
            BoardMember.board_id == board.id, BoardMember.user_id == other.id
        )
    ).first()
    if exists is None:
        session.add(BoardMember(board_id=require_id(board), user_id=require_id(other)))
        audit.record(session, board, user, "member_added", None, f"user {other.id}")
        session.flush()
    return CareMemberPublic(user_id=require_id(other), name=other.name, email=other.email)


def remove_member(session: Session, user: User, board_id: int, member_id: int) -> Board:
    board = policy.care_board(session, user, board_id)
    row = session.exec(
        select(BoardMember).where(
            BoardMember.board_id == board.id, BoardMember.user_id == member_id
        )
    ).first()
    if row is None:
        raise NotFound()
    count = session.exec(
        select(func.count()).select_from(BoardMember).where(BoardMember.board_id == board.id)
    ).one()
    if count <= 1:
        raise Invalid("user_id", "a care board keeps at least one member")
    changes.begin(session, board, archived_ok=True)  # taking access away is always possible
    session.delete(row)
    audit.record(session, board, user, "member_removed", None, f"user {member_id}")
    session.flush()
    # through the bus, so that every instance closes this person's open screens of the board
    changes.record(session, board, user, "removed", "board_member", member_id, ())
    return board
