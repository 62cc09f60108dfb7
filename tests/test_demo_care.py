"""The demo IB'er's care board: pupils by code only, open agreements, added once."""

from sqlmodel import Session, select

from app.models import Board, BoardMember, Case, User
from app.services import demo
from tests.test_demo import db, row_counts, seed

__all__ = ["db"]


def test_the_demo_ib_has_a_care_board_with_coded_cases(db):
    assert seed(db) is True
    with Session(db.reader) as session:
        board = demo.care_board(session)
        assert board is not None and board.title == demo.CARE_TITLE
        members = session.exec(
            select(User.email)
            .join(BoardMember, BoardMember.user_id == User.id)
            .where(BoardMember.board_id == board.id)
        ).all()
        assert members == ["ib@deregenboog.nl"]
        codes = session.exec(select(Case.pupil_code).where(Case.board_id == board.id)).all()
        assert codes and all(" " not in code for code in codes)


def test_an_older_demo_school_gets_its_care_board_once(db):
    assert seed(db) is True
    with db.session() as session:
        board = demo.care_board(session)
        session.delete(session.get(Board, board.id))
    assert seed(db) is False
    with Session(db.reader) as session:
        assert demo.care_board(session) is not None
    before = row_counts(db)
    assert seed(db) is False
    assert row_counts(db) == before
