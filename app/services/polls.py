"""Stem van de leerling, the teacher's side: make a poll on a board, close it, show or hide its
open answers, save a result as a goal's measurement.

Every change of a poll (and every pupil's answer, app/services/poll_answers.py) is a change of
its board: `changes.begin` locks and bumps the board, `changes.record` names the poll (entity
"poll", no board section), and the poll's live channel (app/realtime/poll.py) picks it up from
the bus. Polls are for team, class and leadership boards; a care board refuses them.
"""

import secrets
from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from app import clock
from app.errors import Invalid, NotFound
from app.models import Board, BoardKind, Goal, Measurement, User
from app.models.goal import MeasurementCreate
from app.models.poll import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    MeasureCreate,
    Poll,
    PollCreate,
    PollResponse,
    PollSummary,
    PollText,
    PollToAnswer,
    QuestionKind,
    QuestionPublic,
    TextStatus,
)
from app.models.rows import require_id
from app.security.policy import boards_clause, visible_board
from app.services import changes, item_kinds, items
from app.services.poll_results import measurable_value
from app.services.school_time import board_today, board_zone

ENTITY = "poll"
# Unambiguous on a class screen and easy to type on a tablet: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
ANSWER_PATH = "/s/"
SHORT_PATH = "/s"  # where a code is typed


def answer_path(poll: Poll) -> str:
    return ANSWER_PATH + poll.code


def is_open(poll: Poll) -> bool:
    if poll.closed_at is not None:
        return False
    return poll.closes_at is None or clock.now() < aware(poll.closes_at)


def aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def poll_board(session: Session, user: User, board_id: int) -> Board:
    """A board the user may open and make polls on: not a care board (422 `board_id`)."""
    board = visible_board(session, user, board_id)
    if board.kind == BoardKind.care:
        raise Invalid("board_id", "a care board has no polls", kind="care_board")
    return board


def get(session: Session, user: User, poll_id: int) -> tuple[Poll, Board]:
    """The poll and its board, for those who may open the board (404 otherwise)."""
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound()
    board = visible_board(session, user, poll.board_id)
    if board.kind == BoardKind.care:
        raise NotFound()
    return poll, board


def changed(session: Session, board: Board, user: User | None, kind: str, poll: Poll) -> None:
    changes.record(session, board, user, kind, ENTITY, poll.id, ())


def create(session: Session, user: User, board_id: int, data: PollCreate) -> Poll:
    board = poll_board(session, user, board_id)
    questions = [_question(i, q.kind, q.text, q.options) for i, q in enumerate(data.questions)]
    closes_at = _closing_time(session, board, data.closes_at)
    changes.begin(session, board)
    poll = Poll(
        board_id=require_id(board),
        code=_new_code(session),
        title=data.title,
        questions=questions,
        closes_at=closes_at,
        created_by_id=user.id,
    )
    session.add(poll)
    session.flush()
    changed(session, board, user, "created", poll)
    return poll


def _question(index: int, kind: QuestionKind, text: str, options: list[str] | None) -> dict:
    field = f"questions.{index}.options"
    if kind == QuestionKind.choice:
        if not options or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise Invalid(field, "a choice has 2 to 6 options", kind="options_count")
        return {"kind": kind.value, "text": text, "options": list(options)}
    if options:
        raise Invalid(field, "only a choice question has options", kind="options_not_allowed")
    return {"kind": kind.value, "text": text, "options": None}


def _closing_time(session: Session, board: Board, closes_at: datetime | None) -> datetime | None:
    """A closing time without a zone is the school's time; it must lie ahead."""
    if closes_at is None:
        return None
    if closes_at.tzinfo is None:
        closes_at = closes_at.replace(tzinfo=board_zone(session, board))
    closes_at = closes_at.astimezone(UTC)
    if closes_at <= clock.now():
        raise Invalid("closes_at", "the closing time has passed", kind="closing_passed")
    return closes_at


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(Poll.id).where(Poll.code == code)).first() is None:
            return code


def open_poll(session: Session, board_id: int) -> Poll | None:
    """The board's newest open poll, which its klasscherm shows (no reach check: the caller
    came with the board's klasscherm link)."""
    unclosed = session.exec(
        select(Poll)
        .where(Poll.board_id == board_id, col(Poll.closed_at).is_(None))
        .order_by(col(Poll.id).desc())
    )
    return next((poll for poll in unclosed if is_open(poll)), None)


def of_board(session: Session, user: User, board_id: int) -> list[Poll]:
    board = poll_board(session, user, board_id)
    return list(
        session.exec(
            select(Poll).where(Poll.board_id == board.id).order_by(col(Poll.id).desc())
        ).all()
    )


def summary(poll: Poll, base_url: str, responses: int) -> PollSummary:
    return PollSummary(
        id=require_id(poll),
        board_id=poll.board_id,
        title=poll.title,
        code=poll.code,
        answer_url=base_url + answer_path(poll),
        questions=[QuestionPublic(**q) for q in poll.questions],
        closes_at=poll.closes_at,
        closed_at=poll.closed_at,
        open=is_open(poll),
        responses=responses,
        created_at=poll.created_at,
    )


def public(poll: Poll, *, open_: bool, answered: bool) -> PollToAnswer:
    """What a pupil's device is told: nothing of the board, the school or the answers."""
    return PollToAnswer(
        title=poll.title,
        code=poll.code,
        questions=[QuestionPublic(**q) for q in poll.questions],
        closes_at=poll.closes_at,
        open=open_,
        answered=answered,
    )


def response_counts(session: Session, poll_ids: list[int]) -> dict[int, int]:
    if not poll_ids:
        return {}
    rows = session.exec(
        select(PollResponse.poll_id, func.count())
        .where(col(PollResponse.poll_id).in_(poll_ids))
        .group_by(col(PollResponse.poll_id))
    ).all()
    return {poll_id: count for poll_id, count in rows}


def close(session: Session, user: User, poll_id: int) -> Poll:
    """Close by hand; closing a closed poll changes nothing."""
    poll, board = get(session, user, poll_id)
    changes.begin(session, board)
    session.refresh(poll)
    if is_open(poll):
        poll.closed_at = clock.now()
        session.add(poll)
        changed(session, board, user, "closed", poll)
    return poll


def set_text_status(
    session: Session, user: User, poll_id: int, text_id: int, status: TextStatus
) -> PollText:
    """The teacher shows an open answer on the class screen, or hides it."""
    poll, board = get(session, user, poll_id)
    text = session.get(PollText, text_id)
    if text is None or text.poll_id != poll.id:
        raise NotFound()
    changes.begin(session, board)
    session.refresh(text)
    if text.status != status:
        text.status = status
        session.add(text)
        changed(session, board, user, "text_" + status.value, poll)
    return text


def goals_to_measure(session: Session, user: User, board: Board) -> list[tuple[Goal, Board]]:
    """The goals a poll of this board may be saved to: those of its team's boards (the team
    board's and the class board's), care boards and archived boards left out."""
    rows = session.exec(
        select(Goal, Board)
        .join(Board, col(Board.id) == col(Goal.board_id))
        .where(
            Board.team_id == board.team_id,
            Board.kind != BoardKind.care,
            col(Board.archived_at).is_(None),
            boards_clause(user),
        )
        .order_by(col(Board.id), col(Goal.id))
    ).all()
    return [(goal, goal_board) for goal, goal_board in rows]


def measure(session: Session, user: User, poll_id: int, data: MeasureCreate) -> Measurement:
    """The question's result as a measurement of a goal the user may reach, in the one way a
    measurement is added (items.add_measurement)."""
    poll, _ = get(session, user, poll_id)
    if data.question >= len(poll.questions):
        raise Invalid("question", "this poll has no such question", kind="unknown_question")
    question = poll.questions[data.question]
    value = measurable_value(session, poll, data.question)
    if value is None:
        kind = QuestionKind(question["kind"])
        if kind in (QuestionKind.smiley, QuestionKind.scale):
            raise Invalid("question", "this question has no answers yet", kind="no_answers")
        raise Invalid("question", "only smileys and scales are measured", kind="not_measurable")
    goal_board = items.get_item(session, user, item_kinds.GOAL, data.goal_id)[1]
    if goal_board.kind == BoardKind.care:
        raise NotFound()
    note = f"{poll.title}: {question['text']}"[:500]
    measurement, _ = items.add_measurement(
        session,
        user,
        data.goal_id,
        MeasurementCreate(date=board_today(session, goal_board), value=value, note=note),
    )
    return measurement
