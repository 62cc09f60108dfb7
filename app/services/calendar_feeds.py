"""Calendar links: a user's private iCal address for their own agenda, and one per board they
stand at for its planning and bordsessies.

A link is a long random token of which only the hash is kept (like invitations and display
links), so it is shown once, when it is made. Making a new link replaces the old one (it stops
working at once); revoking deletes it. A board link works only as long as its user may open the
board; a care board has no link at all: care data never leaves by a calendar.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.models import Board, BoardKind, CalendarFeed, User
from app.models.rows import require_id
from app.security.policy import visible_board
from app.security.tokens import new_token, token_hash

PATH_PREFIX = "/calendar/"
SUFFIX = ".ics"
MAX_TOKEN = 100  # new tokens are 43 characters; anything much longer is not worth hashing


def feed_path(token: str) -> str:
    return f"{PATH_PREFIX}{token}{SUFFIX}"


def feed_board(session: Session, user: User, board_id: int) -> Board:
    """A board whose calendar `user` may have: one they may open, never a care board."""
    board = visible_board(session, user, board_id)
    if board.kind == BoardKind.care:
        raise NotFound()
    return board


def create(session: Session, user: User, board_id: int | None = None) -> str:
    """A new link to the user's own agenda (`board_id` None) or to a board's; the token is
    shown only now and the link it replaces stops working."""
    if board_id is not None:
        feed_board(session, user, board_id)
    # one link at a time: two requests at once each replace the other's, one after the other
    session.exec(select(User.id).where(User.id == user.id).with_for_update())
    _delete(session, user, board_id)
    token = new_token(32)
    session.add(
        CalendarFeed(user_id=require_id(user), board_id=board_id, token_hash=token_hash(token))
    )
    session.flush()
    return token


def revoke(session: Session, user: User, board_id: int | None = None) -> None:
    """The link stops working; revoking a link that is not there changes nothing."""
    if board_id is not None:
        feed_board(session, user, board_id)
    _delete(session, user, board_id)


def link_of(session: Session, user: User, board_id: int | None = None) -> CalendarFeed | None:
    """The user's working link (its creation time is shown; the token is not kept)."""
    return session.exec(
        select(CalendarFeed).where(CalendarFeed.user_id == user.id, _of_board(board_id))
    ).first()


@dataclass(frozen=True, slots=True)
class Reader:
    """Whose calendar a token opens: the user, and the board for a board's link."""

    user: User
    board: Board | None


def reader(session: Session, token: str) -> Reader:
    """The user and board behind a link; NotFound for an unknown or revoked token, and for a
    board the user may no longer open."""
    if not token or len(token) > MAX_TOKEN:
        raise NotFound()
    row = session.exec(
        select(CalendarFeed, User)
        .join(User, col(User.id) == col(CalendarFeed.user_id))
        .where(CalendarFeed.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise NotFound()
    feed, user = row
    if feed.board_id is None:
        return Reader(user, None)
    board = visible_board(session, user, feed.board_id)
    if board.kind == BoardKind.care:
        raise NotFound()
    return Reader(user, board)


def _of_board(board_id: int | None) -> ColumnElement[bool]:
    column = col(CalendarFeed.board_id)
    return column.is_(None) if board_id is None else column == board_id


def _delete(session: Session, user: User, board_id: int | None) -> None:
    session.exec(
        delete(CalendarFeed).where(col(CalendarFeed.user_id) == user.id, _of_board(board_id))
    )
