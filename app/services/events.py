"""The board's history as the API shows it: one entry per version, oldest first."""

from sqlmodel import Session, col, select

from app.models import BoardEvent, User
from app.models.standup import EventPublic
from app.security.policy import visible_board


def board_events(
    session: Session, user: User, board_id: int, after: int, limit: int
) -> list[EventPublic]:
    board = visible_board(session, user, board_id)
    rows = session.exec(
        select(BoardEvent, User.name)
        .outerjoin(User, col(User.id) == BoardEvent.actor_id)
        .where(BoardEvent.board_id == board.id, col(BoardEvent.version) > after)
        .order_by(col(BoardEvent.version))
        .limit(limit)
    ).all()
    return [
        EventPublic(
            version=event.version,
            kind=event.kind,
            entity=event.entity,
            entity_id=event.entity_id,
            at=event.at,
            actor=name,
        )
        for event, name in rows
    ]
