"""Klasscherm links: a class board on the class's smartboard, without accounts.

A klasscherm is a screen link (services/screens.py) of audience "class", made only for a class
board. Through it the class adds successes and ideas, does the check-in and runs the session's
timer, and nothing else: it cannot edit or delete, and sees only its own board, as a display
does. Revoked like a display link; a revoked or unknown token is NotFound.
"""

from sqlmodel import Session

from app.errors import Invalid, NotFound
from app.models import Board, BoardKind, ScreenLink, User
from app.models.notes import IdeaCreate, SuccessCreate
from app.security.policy import visible_board
from app.services import items, screens, standups
from app.services.item_kinds import IDEA, SUCCESS

AUDIENCE = screens.CLASS
PATH_PREFIX = "/klas/"


def class_path(token: str) -> str:
    return PATH_PREFIX + token


def create(session: Session, user: User, board_id: int, label: str = "") -> tuple[str, ScreenLink]:
    """A new klasscherm link; only a class board has one (a care board never does)."""
    board = visible_board(session, user, board_id)
    if board.kind != BoardKind.klas:
        raise Invalid("board_id", "only a class board has a klasscherm", kind="not_class_board")
    return screens.create_link(session, board, user, label, AUDIENCE)


def links_of(session: Session, user: User, board_id: int) -> list[ScreenLink]:
    return screens.links_of(session, user, board_id, AUDIENCE)


def revoke(session: Session, user: User, link_id: int) -> ScreenLink:
    return screens.revoke(session, user, link_id, AUDIENCE)


def link_for_token(session: Session, token: str) -> ScreenLink:
    return screens.link_for_token(session, token, AUDIENCE)


def is_revoked(session: Session, token: str) -> bool:
    return screens.is_revoked(session, token, AUDIENCE)


def board_for_token(session: Session, token: str) -> Board:
    board = screens.board_for_token(session, token, AUDIENCE)
    if board.kind != BoardKind.klas:
        raise NotFound()
    return board


def add_success(session: Session, token: str, data: SuccessCreate) -> Board:
    link = link_for_token(session, token)
    # a class names no goal or action: those ids would reach past what the screen shows
    items.create_from_class_screen(session, link, SUCCESS, SuccessCreate(text=data.text))
    return board_for_token(session, token)


def add_idea(session: Session, token: str, data: IdeaCreate) -> Board:
    link = link_for_token(session, token)
    items.create_from_class_screen(session, link, IDEA, data)
    return board_for_token(session, token)


def check_in(session: Session, token: str, mood: int) -> Board:
    board = board_for_token(session, token)
    standups.class_check_in(session, board, mood)
    return board


def timer(session: Session, token: str, restart: bool) -> Board:
    board = board_for_token(session, token)
    standups.class_timer(session, board, restart)
    return board
