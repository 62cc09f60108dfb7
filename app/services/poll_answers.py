"""Stem van de leerling, the pupil's side: find a poll by its code and answer it, without an
account.

A device is a random cookie; a response keeps only its hash salted with the poll's id, so one
device answers a poll once (a second answer is refused: Conflict) and nothing links a device's
answers across polls. No IP address is kept with an answer. Codes that lead nowhere are counted
per IP address with the login throttle (accounts.check_throttle, under a purpose of their own):
guessing codes is refused (TooManyAttempts) long before the code space is searched.
"""

from sqlmodel import Session, select

from app.config import Settings
from app.errors import Conflict, Gone, Invalid, NotFound
from app.models import Board
from app.models.poll import (
    OPEN_ANSWER_LENGTH,
    SCALE,
    SMILEYS,
    AnswerCreate,
    Poll,
    PollResponse,
    PollText,
    QuestionKind,
)
from app.models.rows import require_id
from app.security.tokens import token_hash
from app.services import accounts, changes, polls

THROTTLE = "poll:"


def normal_code(code: str) -> str:
    return code.strip().upper()[:12]


def find(session: Session, settings: Settings, code: str, client_ip: str) -> Poll | None:
    """The poll with this code; None after counting a miss. TooManyAttempts while this IP
    address is throttled, whatever the code."""
    code = normal_code(code)
    accounts.check_throttle(session, settings, code, client_ip, THROTTLE)
    poll = session.exec(select(Poll).where(Poll.code == code)).first()
    if poll is None:
        accounts.count_attempt(session, code, client_ip, THROTTLE)
    return poll


def device_hash(poll: Poll, device: str) -> str:
    return token_hash(f"{poll.id}:{device}")


def takes_answers(session: Session, poll: Poll) -> bool:
    """Open, on a board in use."""
    board = session.get(Board, poll.board_id)
    return polls.is_open(poll) and board is not None and board.archived_at is None


def has_answered(session: Session, poll: Poll, device: str | None) -> bool:
    if not device:
        return False
    found = session.exec(
        select(PollResponse.id).where(
            PollResponse.poll_id == poll.id, PollResponse.device_hash == device_hash(poll, device)
        )
    ).first()
    return found is not None


def answer(session: Session, poll: Poll, device: str, data: AnswerCreate) -> PollResponse:
    """One device's answer. Gone once the poll closed; Conflict when this device answered."""
    board = session.get(Board, poll.board_id)
    if board is None:
        raise NotFound()
    if board.archived_at is not None:
        raise Gone("This poll is closed")  # an archived board takes no answers: said as closed
    changes.begin(session, board)  # answers to one board queue here, so a device answers once
    session.refresh(poll)
    if not polls.is_open(poll):
        raise Gone("This poll is closed")
    if has_answered(session, poll, device):
        raise Conflict(detail="This device has answered this poll")
    choices, texts = _parse(poll, data.answers)
    response = PollResponse(
        poll_id=require_id(poll), device_hash=device_hash(poll, device), choices=choices
    )
    session.add(response)
    session.flush()
    for index, text in texts:
        session.add(
            PollText(
                poll_id=require_id(poll),
                response_id=require_id(response),
                question=index,
                text=text,
            )
        )
    polls.changed(session, board, None, "answered", poll)
    return response


def _parse(
    poll: Poll, answers: list[int | str | None]
) -> tuple[list[int | None], list[tuple[int, str]]]:
    if len(answers) > len(poll.questions):
        raise Invalid("answers", "more answers than questions", kind="too_many_answers")
    choices: list[int | None] = []
    texts: list[tuple[int, str]] = []
    for index, question in enumerate(poll.questions):
        given = answers[index] if index < len(answers) else None
        kind = QuestionKind(question["kind"])
        if given is None or given == "":
            choices.append(None)
        elif kind == QuestionKind.open:
            if not isinstance(given, str) or len(given) > OPEN_ANSWER_LENGTH:
                raise Invalid(f"answers.{index}", "an open answer is text", kind="open_answer")
            choices.append(None)
            texts.append((index, given))
        else:
            choices.append(_choice(index, kind, question.get("options") or [], given))
    if all(c is None for c in choices) and not texts:
        raise Invalid("answers", "answer at least one question", kind="no_answers")
    return choices, texts


def _choice(index: int, kind: QuestionKind, options: list[str], given: int | str) -> int:
    low, high = {
        QuestionKind.smiley: (1, SMILEYS),
        QuestionKind.scale: (1, SCALE),
    }.get(kind, (0, len(options) - 1))
    if isinstance(given, str):
        given = int(given) if given.isascii() and given.isdigit() and len(given) < 4 else -1
    if isinstance(given, bool) or not low <= given <= high:
        raise Invalid(f"answers.{index}", f"choose from {low} to {high}", kind="out_of_range")
    return given
