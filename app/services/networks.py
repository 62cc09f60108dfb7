"""Leernetwerken: a network of people of several schools, the practices they share ("dat wat
werkt") and the teams that adopt one as an action on their own board.

A network and everything in it is for its members only: anyone else gets NotFound, on every
channel. Members are added by the facilitator, or by a member who leads a school (their own
school's people only). Sharing is an explicit act: a practice holds only what the member wrote
in the share form; a success or a kwaliteitskaart it comes from is only linked (the form starts
from its text, `lesson_designs.shareable` for a card), and never one of a care board.

A network is not a board, so its changes carry no board version: they travel on the bus as a
change of "board 0" naming the network (entity "network"), which the network's live channel
(app/realtime/network.py) picks out. Adopting a practice also changes the adopter's board, the
usual way (`items.create_item`): a new action, or a new goal when the adopter chooses so.
"""

from dataclasses import dataclass
from typing import Literal, overload

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from app.errors import Invalid, NotFound
from app.models import (
    Action,
    Board,
    BoardKind,
    Goal,
    LessonDesign,
    Membership,
    QualityCard,
    Role,
    School,
    Success,
    Team,
    TeamMember,
    User,
)
from app.models.action import ActionCreate
from app.models.change import BoardChange
from app.models.goal import GoalCreate
from app.models.network import (
    AdoptAs,
    Adoption,
    AdoptionPublic,
    MemberPublic,
    Network,
    NetworkCreate,
    NetworkMember,
    NetworkPublic,
    Practice,
    PracticeCreate,
    PracticePublic,
)
from app.models.rows import require_id
from app.security.policy import school_role, visible_board
from app.services import (
    changes,
    item_kinds,
    items,
    lesson_designs,
    network_search,
    webhook_events,
)

ENTITY = "network"
NO_NETWORK = 0  # the board id a network's change travels under: no board has it
SHAREABLE = (BoardKind.team, BoardKind.klas, BoardKind.leadership)


# --- reach --------------------------------------------------------------------------------------


def is_member(session: Session, user: User, network_id: int) -> bool:
    found = session.exec(
        select(NetworkMember.id).where(
            NetworkMember.network_id == network_id, NetworkMember.user_id == user.id
        )
    ).first()
    return found is not None


def get_network(session: Session, user: User, network_id: int) -> Network:
    """The network if the user is a member; NotFound for anyone else (admins included)."""
    network = session.get(Network, network_id)
    if network is None or not is_member(session, user, network_id):
        raise NotFound()
    return network


def get_practice(session: Session, user: User, practice_id: int) -> tuple[Practice, Network]:
    practice = session.get(Practice, practice_id)
    if practice is None:
        raise NotFound()
    return practice, get_network(session, user, practice.network_id)


def published(session: Session, network: Network, kind: str) -> None:
    change = BoardChange(NO_NETWORK, 0, (), ENTITY, require_id(network), kind)
    changes.outbox(session).append(change)


# --- networks and members -----------------------------------------------------------------------


def create_network(session: Session, user: User, data: NetworkCreate) -> Network:
    """Anyone with an account may start a network; they facilitate it and are its first member."""
    network = Network(name=data.name, facilitator_id=user.id)
    session.add(network)
    session.flush()
    session.add(NetworkMember(network_id=require_id(network), user_id=require_id(user)))
    return network


def my_networks(session: Session, user: User) -> list[Network]:
    return list(
        session.exec(
            select(Network)
            .join(NetworkMember, col(NetworkMember.network_id) == col(Network.id))
            .where(NetworkMember.user_id == user.id)
            .order_by(col(Network.name), col(Network.id))
        )
    )


def network_public(session: Session, network: Network) -> NetworkPublic:
    count = func.count()
    members = session.exec(select(count).where(NetworkMember.network_id == network.id)).one()
    practices = session.exec(select(count).where(Practice.network_id == network.id)).one()
    return NetworkPublic(
        id=require_id(network),
        name=network.name,
        facilitator_id=network.facilitator_id,
        members=members,
        practices=practices,
    )


def led_schools(session: Session, user: User) -> list[int]:
    return list(
        session.exec(
            select(Membership.school_id).where(
                Membership.user_id == user.id, Membership.role == Role.leader
            )
        )
    )


def may_add_members(session: Session, user: User, network: Network) -> bool:
    return network.facilitator_id == user.id or bool(led_schools(session, user))


def add_member(session: Session, user: User, network_id: int, email: str) -> NetworkMember:
    """The facilitator adds anyone with an account; a member who leads a school adds that
    school's people. Both get the same refusal for an address they cannot add."""
    network = get_network(session, user, network_id)
    if not may_add_members(session, user, network):
        raise NotFound()
    # one addition at a time per network: the same address sent twice at once is added once
    session.exec(select(Network.id).where(Network.id == network_id).with_for_update())
    person = session.exec(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).first()
    if person is not None and network.facilitator_id != user.id:
        schools = led_schools(session, user)
        shared = session.exec(
            select(Membership.id).where(
                Membership.user_id == person.id, col(Membership.school_id).in_(schools)
            )
        ).first()
        person = person if shared is not None else None
    if person is None:
        raise Invalid("email", "no one you may add has this address", kind="unknown_person")
    if is_member(session, person, network_id):
        raise Invalid("email", "already a member of this network", kind="already_member")
    member = NetworkMember(network_id=network_id, user_id=require_id(person), added_by_id=user.id)
    session.add(member)
    session.flush()
    published(session, network, "member_added")
    return member


def members(session: Session, user: User, network_id: int) -> list[MemberPublic]:
    get_network(session, user, network_id)
    rows = session.exec(
        select(NetworkMember, User)
        .join(User, col(User.id) == col(NetworkMember.user_id))
        .where(NetworkMember.network_id == network_id)
        .order_by(col(User.name))
    )
    return [MemberPublic(id=require_id(m), user_id=require_id(u), name=u.name) for m, u in rows]


# --- practices ----------------------------------------------------------------------------------


def refuse_care(board: Board | None, field: str, message: str = "") -> None:
    """The one rule: nothing of a care board reaches a network, nor does a network's practice
    reach a care board (422 naming the field)."""
    if board is not None and board.kind not in SHAREABLE:
        raise Invalid(field, message or "nothing of a care board can be shared", kind="care")


@dataclass(frozen=True)
class Source:
    """A success a practice may be shared from: shown as the start of the share form."""

    success: Success
    board: Board


def share_source(session: Session, user: User, success_id: int) -> Source:
    """A success of a board the user may open, never of a care board (refused, 422)."""
    success, board = items.get_item(session, user, item_kinds.SUCCESS, success_id)
    refuse_care(board, "success_id")
    return Source(success, board)


def card_source(session: Session, user: User, card_id: int) -> QualityCard:
    """A kwaliteitskaart of a school the user is a member of (NotFound otherwise, admins
    included); one whose lesson was designed on a care board is refused (422)."""
    card = session.get(QualityCard, card_id)
    if card is None or school_role(session, user, card.school_id) is None:
        raise NotFound()
    design = session.get(LessonDesign, card.design_id) if card.design_id else None
    refuse_care(session.get(Board, design.board_id) if design else None, "card_id")
    return card


def card_values(card: QualityCard) -> dict[str, str]:
    """The share form started from a card: only what `lesson_designs.shareable` lets leave the
    school, which the member may still change before the preview."""
    lesson = lesson_designs.shareable(card)
    text = lesson["works"]
    if lesson["lesson_goal"]:
        text = f"{lesson['lesson_goal']}\n\n{text}"
    return {
        "title": lesson["subject"][:200],
        "text": text[:2000],
        "needs": lesson["watch_for"][:500],
        "card_id": str(card.id),
    }


def shareable_cards(session: Session, user: User, limit: int = 30) -> list[QualityCard]:
    """The newest kwaliteitskaarten of the user's schools, to start a practice from."""
    return list(
        session.exec(
            select(QualityCard)
            .join(Membership, col(Membership.school_id) == col(QualityCard.school_id))
            .where(Membership.user_id == user.id)
            .order_by(col(QualityCard.id).desc())
            .limit(limit)
        )
    )


def sharing_school(session: Session, user: User, data: PracticeCreate) -> School | None:
    """The school a practice comes from: the success's or the card's, or the member's own."""
    if data.card_id:
        card = card_source(session, user, data.card_id)
        return session.get(School, card.school_id)
    if data.success_id:
        board = share_source(session, user, data.success_id).board
        return session.exec(
            select(School)
            .join(Team, col(Team.school_id) == col(School.id))
            .where(Team.id == board.team_id)
        ).first()
    return session.exec(
        select(School)
        .join(Membership, col(Membership.school_id) == col(School.id))
        .where(Membership.user_id == user.id)
        .order_by(col(School.id))
    ).first()


def sharer_school(session: Session, user: User, data: PracticeCreate) -> str:
    """The school a practice names when the member chooses so."""
    school = sharing_school(session, user, data)
    return school.name if school else ""


def shareable_successes(session: Session, user: User, limit: int = 30) -> list[Success]:
    """The newest successes of the user's team boards, to start a practice from."""
    boards = [require_id(b) for b in my_boards(session, user)]
    return list(
        session.exec(
            select(Success)
            .where(col(Success.board_id).in_(boards))
            .order_by(col(Success.id).desc())
            .limit(limit)
        )
    )


def share_practice(session: Session, user: User, network_id: int, data: PracticeCreate) -> Practice:
    """The practice in the network; the webhooks of the school it comes from hear of it."""
    network = get_network(session, user, network_id)
    if data.success_id:
        share_source(session, user, data.success_id)  # refuses a care board's success
    if data.card_id:
        card_source(session, user, data.card_id)  # and a card of a care board's lesson
    school = sharing_school(session, user, data)
    practice = Practice(
        network_id=network_id,
        title=data.title,
        text=data.text,
        strength=data.strength,
        needs=data.needs,
        for_whom=data.for_whom,
        sector=data.sector,
        theme=data.theme,
        contact=data.contact,
        school=school.name if school and data.name_school else "",
        person=user.name if data.name_person else "",
        success_id=data.success_id,
        card_id=data.card_id,
        shared_by_id=user.id,
    )
    session.add(practice)
    network_search.index(session, practice)
    session.flush()
    published(session, network, "practice_shared")
    if school is not None:
        webhook_events.enqueue_practice(session, require_id(school), practice, network)
    return practice


def practices(
    session: Session,
    user: User,
    network_id: int,
    query: str = "",
    theme: str = "",
    sector: str = "",
) -> list[Practice]:
    get_network(session, user, network_id)
    query = query.strip()
    if not (query or theme or sector):
        return all_practices(session, network_id)
    statement = select(Practice).where(Practice.network_id == network_id)
    condition = network_search.matches(session, query) if query else None
    if condition is not None:
        statement = statement.where(condition)
    if theme:
        statement = statement.where(Practice.theme == theme)
    if sector:
        statement = statement.where(Practice.sector == sector)
    return list(session.exec(statement.order_by(col(Practice.id).desc()).limit(200)))


def all_practices(session: Session, network_id: int) -> list[Practice]:
    """Every practice of the network, newest first (the live channel; reach checked on join)."""
    statement = select(Practice).where(Practice.network_id == network_id)
    return list(session.exec(statement.order_by(col(Practice.id).desc()).limit(200)))


def themes(session: Session, network_id: int) -> list[str]:
    rows = session.exec(
        select(Practice.theme)
        .where(Practice.network_id == network_id, Practice.theme != "")
        .distinct()
        .order_by(col(Practice.theme))
    )
    return list(rows)


def practice_public(practice: Practice) -> PracticePublic:
    return PracticePublic.model_validate(practice, from_attributes=True)


# --- adopting -----------------------------------------------------------------------------------


def adopt(
    session: Session, user: User, practice_id: int, board_id: int, made: AdoptAs = "action"
) -> tuple[Action | Goal, Adoption]:
    """The practice becomes an action (or, `made="goal"`, a goal) on one of the user's boards,
    linked by an Adoption."""
    practice, network = get_practice(session, user, practice_id)
    item = adopt_onto(session, user, board_id, practice.title, made)
    adoption = Adoption(
        practice_id=practice_id,
        board_id=board_id,
        action_id=item.id if made != "goal" else None,
        goal_id=item.id if made == "goal" else None,
        adopted_by_id=user.id,
    )
    session.add(adoption)
    session.exec(
        update(Practice)
        .where(col(Practice.id) == practice_id)
        .values(adoptions=col(Practice.adoptions) + 1)
    )
    session.flush()
    published(session, network, "practice_adopted")
    return item, adoption


@overload
def adopt_onto(
    session: Session, user: User, board_id: int, title: str, made: Literal["action"] = "action"
) -> Action: ...
@overload
def adopt_onto(
    session: Session, user: User, board_id: int, title: str, made: AdoptAs
) -> Action | Goal: ...
def adopt_onto(
    session: Session, user: User, board_id: int, title: str, made: AdoptAs = "action"
) -> Action | Goal:
    """What a network offers (a practice, a meeting's agreement) becomes a new action (or, `made`
    "goal", a new goal) on a board the user may open; never on a care board (422 `board_id`)."""
    board = visible_board(session, user, board_id)
    refuse_care(board, "board_id", "a practice is adopted onto a team board")
    if made == "goal":
        return items.create_item(
            session, user, item_kinds.GOAL, board_id, GoalCreate(title=title[:200])
        )
    return items.create_item(
        session, user, item_kinds.ACTION, board_id, ActionCreate(title=title[:200])
    )


def adoptions(session: Session, user: User, practice_id: int) -> list[AdoptionPublic]:
    get_practice(session, user, practice_id)
    rows = session.exec(
        select(Adoption).where(Adoption.practice_id == practice_id).order_by(col(Adoption.id))
    )
    return [adoption_public(a, user) for a in rows]


def adoption_public(adoption: Adoption, user: User) -> AdoptionPublic:
    return AdoptionPublic(
        id=require_id(adoption),
        practice_id=adoption.practice_id,
        how_it_went=adoption.how_it_went,
        made="goal" if adoption.goal_id is not None else "action",
        mine=adoption.adopted_by_id == user.id,
        created_at=adoption.created_at,
    )


def own_adoption(session: Session, user: User, adoption_id: int) -> Adoption:
    """An adoption the user made, in a network they are still in; NotFound otherwise."""
    adoption = session.get(Adoption, adoption_id)
    if adoption is None or adoption.adopted_by_id != user.id:
        raise NotFound()
    get_practice(session, user, adoption.practice_id)
    return adoption


def tell_how_it_went(session: Session, user: User, adoption_id: int, story: str) -> Adoption:
    """The adopter says how it went: what worked for us too. Others' adoptions are out of reach."""
    adoption = own_adoption(session, user, adoption_id)
    _practice, network = get_practice(session, user, adoption.practice_id)
    adoption.how_it_went = story
    session.add(adoption)
    session.flush()
    published(session, network, "adoption_story")
    return adoption


def my_boards(session: Session, user: User) -> list[Board]:
    """The boards a practice can be adopted onto: the user's teams' boards, not archived."""
    return list(
        session.exec(
            select(Board)
            .join(TeamMember, col(TeamMember.team_id) == col(Board.team_id))
            .where(
                TeamMember.user_id == user.id,
                col(Board.kind).in_(SHAREABLE),
                col(Board.archived_at).is_(None),
            )
            .order_by(col(Board.title), col(Board.id))
        )
    )
