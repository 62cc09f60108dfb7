"""A network's questions: a member brings a question or casus, others answer, and the asker marks
the answer that helped. For the network's members only, like everything in it.

A new answer by someone else mails the asker (in their language) a link to the question on the
network's page; the mail is queued in the answer's own transaction (services/mail.py)."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import NotFound
from app.models import Network, User
from app.models.network import Answer, AnswerPublic, Question, QuestionPublic
from app.models.rows import require_id
from app.services import mail
from app.services.networks import get_network, is_member, published

ANSWER_MAIL = "network_answer"


def ask(session: Session, user: User, network_id: int, text: str) -> Question:
    network = get_network(session, user, network_id)
    question = Question(network_id=network_id, asked_by_id=user.id, text=text)
    session.add(question)
    session.flush()
    published(session, network, "question_asked")
    return question


def question_of(session: Session, user: User, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound()
    get_network(session, user, question.network_id)
    return question


def answer(
    session: Session,
    user: User,
    question_id: int,
    text: str,
    settings: Settings,
    base_url: str,
) -> Answer:
    question = question_of(session, user, question_id)
    found = Answer(question_id=question_id, answered_by_id=user.id, text=text)
    session.add(found)
    session.flush()
    network = get_network(session, user, question.network_id)
    _mail_asker(session, settings, base_url, network, question, user)
    published(session, network, "question_answered")
    return found


def _mail_asker(
    session: Session,
    settings: Settings,
    base_url: str,
    network: Network,
    question: Question,
    answerer: User,
) -> None:
    """Tell the asker, unless they answered themselves or are no longer in the network."""
    if question.asked_by_id is None or question.asked_by_id == answerer.id:
        return
    asker = session.get(User, question.asked_by_id)
    if asker is None or not is_member(session, asker, require_id(network)):
        return
    mail.queue(
        session,
        settings,
        asker.email,
        asker.locale,
        ANSWER_MAIL,
        name=asker.name,
        answerer=answerer.name,
        network=network.name,
        question=question.text,
        link=f"{base_url}/networks/{network.id}#question-{question.id}",
    )


def mark_helpful(session: Session, user: User, answer_id: int) -> Question:
    """The asker marks the answer that helped; to anyone else it is out of reach (404)."""
    found = session.get(Answer, answer_id)
    if found is None:
        raise NotFound()
    question = question_of(session, user, found.question_id)
    if question.asked_by_id != user.id:
        raise NotFound()
    question.helpful_answer_id = answer_id
    session.add(question)
    session.flush()
    published(session, get_network(session, user, question.network_id), "answer_helpful")
    return question


def recent(session: Session, network_id: int) -> list[Question]:
    """The network's newest questions (reach checked by the caller)."""
    return list(
        session.exec(
            select(Question)
            .where(Question.network_id == network_id)
            .order_by(col(Question.id).desc())
            .limit(100)
        )
    )


def questions(session: Session, user: User, network_id: int) -> list[QuestionPublic]:
    get_network(session, user, network_id)
    return [question_public(session, user, q) for q in recent(session, network_id)]


@dataclass(frozen=True)
class Listed:
    """A question as the network's page lists it: the page shows "Dit hielp" to its asker."""

    question: QuestionPublic
    asker_id: int | None


def listed(session: Session, network_id: int, user: User | None = None) -> list[Listed]:
    """The network's questions for its page (`user`: the reader) or its live channel (no
    reader: one frame for every member). The caller checked the reach: the page by
    `get_network`, the channel when the screen joined."""
    return [
        Listed(question_public(session, user, q), q.asked_by_id)
        for q in recent(session, network_id)
    ]


def question_public(session: Session, user: User | None, question: Question) -> QuestionPublic:
    answers = session.exec(
        select(Answer, User.name)
        .outerjoin(User, col(User.id) == col(Answer.answered_by_id))
        .where(Answer.question_id == question.id)
        .order_by(col(Answer.id))
    )
    asker = session.get(User, question.asked_by_id) if question.asked_by_id else None
    return QuestionPublic(
        id=require_id(question),
        text=question.text,
        name=asker.name if asker else "",
        mine=user is not None and question.asked_by_id == user.id,
        answers=[
            AnswerPublic(
                id=require_id(a),
                text=a.text,
                name=name or "",
                helpful=a.id == question.helpful_answer_id,
            )
            for a, name in answers
        ],
    )
