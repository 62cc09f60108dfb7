"""Display links: a board on the wall of the team room, read-only and without a login.

A link is a long random token; only its hash is stored, so the path is shown once, when the
link is made. Anyone who may open a board may make, list and revoke its links. A revoked or
unknown token is NotFound, like everything out of reach. A link serves one audience: "display"
(here) or "class" (a klasscherm, services/class_screens.py); a token works only for its own.
"""

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app import clock
from app.errors import NotFound
from app.models import Board, BoardKind, ScreenLink, User
from app.models.rows import require_id
from app.security.policy import visible_board
from app.security.tokens import new_token, token_hash
from app.services import changes
from app.services.board_view import BoardView, load_board

if TYPE_CHECKING:
    from app.db import Database

PATH_PREFIX = "/screen/"
DISPLAY = "display"
CLASS = "class"  # a klasscherm (services/class_screens.py)
MAX_TOKEN = 100  # new tokens are 43 characters; anything much longer is not worth hashing


def screen_path(token: str) -> str:
    return PATH_PREFIX + token


def create_link(
    session: Session, board: Board, user: User | None, label: str = "", audience: str = DISPLAY
) -> tuple[str, ScreenLink]:
    """A new link to `board` (reach already checked); the token is shown only now."""
    token = new_token(32)
    row = ScreenLink(
        board_id=require_id(board),
        token_hash=token_hash(token),
        label=label.strip(),
        audience=audience,
        created_by_id=user.id if user else None,
    )
    session.add(row)
    session.flush()
    return token, row


def create(session: Session, user: User, board_id: int, label: str = "") -> tuple[str, ScreenLink]:
    board = visible_board(session, user, board_id)
    return create_link(session, board, user, label)


def links_of(
    session: Session, user: User, board_id: int, audience: str = DISPLAY
) -> list[ScreenLink]:
    """The board's links for `audience` that still work, oldest first."""
    visible_board(session, user, board_id)
    return list(
        session.exec(
            select(ScreenLink)
            .where(
                ScreenLink.board_id == board_id,
                ScreenLink.audience == audience,
                col(ScreenLink.revoked_at).is_(None),
            )
            .order_by(col(ScreenLink.id))
        )
    )


ENTITY = "screen_link"


def revoke(session: Session, user: User, link_id: int, audience: str = DISPLAY) -> ScreenLink:
    row = session.get(ScreenLink, link_id)
    if row is None or row.revoked_at is not None or row.audience != audience:
        raise NotFound()
    board = visible_board(session, user, row.board_id)
    changes.begin(session, board, archived_ok=True)  # a link to an archived board can still leak
    session.refresh(row)  # under the board's lock: revoked meanwhile by a request first in line
    if row.revoked_at is not None:
        raise NotFound()
    row.revoked_at = clock.now()
    session.add(row)
    session.flush()
    # through the bus, so that every instance closes the link's open screens after the commit
    changes.record(session, board, user, "revoked", ENTITY, row.id, ())
    return row


# A link that works: the token's, for its audience, not revoked (bound by `_token_params`).
_LIVE_TOKEN = (
    col(ScreenLink.token_hash) == bindparam("hash"),
    col(ScreenLink.audience) == bindparam("audience"),
    col(ScreenLink.revoked_at).is_(None),
)


def _token_params(token: str, audience: str) -> dict[str, str]:
    return {"hash": token_hash(token), "audience": audience}


def link_for_token(session: Session, token: str, audience: str = DISPLAY) -> ScreenLink:
    if not token or len(token) > MAX_TOKEN:
        raise NotFound()
    row = session.exec(
        select(ScreenLink).where(*_LIVE_TOKEN), params=_token_params(token, audience)
    ).first()
    if row is None:
        raise NotFound()
    return row


class LiveLink(NamedTuple):
    link_id: int
    board_id: int
    version: int  # the board's, now


_LIVE_LINK = (
    select(col(ScreenLink.id), col(ScreenLink.board_id), col(Board.version))
    .join(Board, col(Board.id) == col(ScreenLink.board_id))
    .where(*_LIVE_TOKEN)
)


def live_link(db: "Database", token: str, audience: str) -> LiveLink | None:
    """The link of `token` that is not revoked and its board's version, in one prebuilt
    query: a classroom screen's (re)connect (app/realtime/board.py)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    row = db.first(_LIVE_LINK, _token_params(token, audience))
    return LiveLink(*row) if row is not None else None


def is_revoked(session: Session, token: str, audience: str = DISPLAY) -> bool:
    """Whether `token` is a link that worked once and was revoked: its screen may say so."""
    if not token or len(token) > MAX_TOKEN:
        return False
    row = session.exec(
        select(ScreenLink).where(
            ScreenLink.token_hash == token_hash(token),
            ScreenLink.audience == audience,
            col(ScreenLink.revoked_at).is_not(None),
        )
    ).first()
    return row is not None


def board_for_token(session: Session, token: str, audience: str = DISPLAY) -> Board:
    board = session.get(Board, link_for_token(session, token, audience).board_id)
    if board is None:
        raise NotFound()
    return board


def is_live(session: Session, link_id: int) -> bool:
    row = session.get(ScreenLink, link_id)
    return row is not None and row.revoked_at is None


def display_view(session: Session, board: Board) -> BoardView:
    return for_display(load_board(session, board, with_session=True))


def for_display(view: BoardView) -> BoardView:
    """What a display screen may show of the board (the page and every live frame).

    A care board carries confidential information about pupils, which never leaves the server
    toward a display screen: for now its display shows only the title and the section headings.
    When care boards get case data, this is where their public parts (the agenda without names,
    say) are chosen; whatever is not chosen here stays off the wall.
    """
    if view.board.kind != BoardKind.care:
        return view
    return BoardView(board=view.board, today=view.today)  # every list empty
