"""A network's questions: a member brings a question or casus, others answer, and the asker marks
the answer that helped. For the network's members only, like everything in it."""

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.models import User
from app.models.network import Answer, AnswerPublic, Question, QuestionPublic
from app.models.rows import require_id
from app.services.networks import get_network, published


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


def answer(session: Session, user: User, question_id: int, text: str) -> Answer:
    question = question_of(session, user, question_id)
    found = Answer(question_id=question_id, answered_by_id=user.id, text=text)
    session.add(found)
    session.flush()
    published(session, get_network(session, user, question.network_id), "question_answered")
    return found


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


def questions(session: Session, user: User, network_id: int) -> list[QuestionPublic]:
    get_network(session, user, network_id)
    return [question_public(session, user, q) for q in recent(session, network_id)]


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


def question_public(session: Session, user: User, question: Question) -> QuestionPublic:
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
        mine=question.asked_by_id == user.id,
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
