"""The typed row helpers: an id is an int once stored, and never silently None before."""

import pytest
from sqlmodel import select

from app.models import Board, Team
from app.models.rows import key_column, require_id, select_columns


def test_a_row_not_yet_stored_has_no_id_to_hand_out(factory):
    w = factory.world()
    board = Board(team_id=w.board.team_id, title="Nog niet bewaard")
    with pytest.raises(RuntimeError, match="Board has no id"):
        require_id(board)


def test_a_flushed_row_hands_out_its_id(factory):
    w = factory.world()
    with factory.app.state.db.session() as session:
        board = Board(team_id=w.board.team_id, title="Bewaard")
        session.add(board)
        session.flush()
        assert require_id(board) == board.id
        assert isinstance(require_id(board), int)


def test_key_column_and_select_columns_read_the_same_rows_as_select(factory):
    w = factory.world()
    with factory.app.state.db.session(write=False) as session:
        plain = session.exec(
            select(Board.id, Board.title, Board.kind, Team.id, Team.name)
            .join(Team, Team.id == Board.team_id)
            .order_by(Board.id)
        ).all()
        typed = session.exec(
            select_columns(key_column(Board), Board.title, Board.kind, key_column(Team), Team.name)
            .join(Team, key_column(Team) == Board.team_id)
            .order_by(key_column(Board))
        ).all()
    assert typed == plain
    assert (w.board.id, w.board.title) in [(row[0], row[1]) for row in typed]
