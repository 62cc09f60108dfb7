"""Bijeenkomsten of a leernetwerk: planned by the facilitator, fed by what members bring (a
practice) and fetch (a question), run part by part on a shared screen, ending in agreements a
team can adopt as an action on its own board.

Only members reach a meeting (NotFound for anyone else); planning, ordering, sending the agenda
and running the meeting are the facilitator's (NotFound for other members too, as adding members
is). Every change bumps the meeting's version under its row lock and is published on the
network's live channel; ordering the agenda names the version it was read at (409 when stale).
Running the meeting and its agreements: app/services/network_meeting_runs.py.
"""

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, func, select

from app.errors import Conflict, Invalid, NotFound
from app.models import Membership, Network, NetworkMember, Practice, Question, School, User
from app.models.meeting import (
    AgreementPublic,
    ContributionCreate,
    ContributionPublic,
    MeetingAgreement,
    MeetingContribution,
    MeetingCreate,
    MeetingPublic,
    NetworkMeeting,
)
from app.models.rows import require_id
from app.services import networks

PLANNED, RUNNING, ENDED = "planned", "running", "ended"


# --- reach --------------------------------------------------------------------------------------


def get_meeting(session: Session, user: User, meeting_id: int) -> tuple[NetworkMeeting, Network]:
    meeting = session.get(NetworkMeeting, meeting_id)
    if meeting is None:
        raise NotFound()
    return meeting, networks.get_network(session, user, meeting.network_id)


def facilitated(session: Session, user: User, meeting_id: int) -> tuple[NetworkMeeting, Network]:
    """The meeting, for its network's facilitator only; NotFound for anyone else."""
    meeting, network = get_meeting(session, user, meeting_id)
    if network.facilitator_id != user.id:
        raise NotFound()
    return meeting, network


def is_facilitator(network: Network, user: User) -> bool:
    return network.facilitator_id == user.id


def changed(
    session: Session, meeting: NetworkMeeting, network: Network, kind: str, read_at: int | None
) -> None:
    """Bump the meeting's version under its row lock (409 when `read_at` is stale) and publish
    the change on the network's live channel."""
    version: int = session.exec(
        update(NetworkMeeting)
        .where(col(NetworkMeeting.id) == meeting.id)
        .values(version=col(NetworkMeeting.version) + 1)
        .returning(col(NetworkMeeting.version))
        .execution_options(synchronize_session=False)
    ).one()[0]
    session.refresh(meeting)
    if read_at is not None and read_at != version - 1:
        set_committed_value(meeting, "version", version - 1)  # as it stays: this rolls back
        raise Conflict(detail="The agenda was changed meanwhile")
    networks.published(session, network, kind)


# --- planning -----------------------------------------------------------------------------------


def member_schools(session: Session, network_id: int) -> list[School]:
    """The schools the network's members work at: the hosts a meeting can have."""
    return list(
        session.exec(
            select(School)
            .join(Membership, col(Membership.school_id) == col(School.id))
            .join(NetworkMember, col(NetworkMember.user_id) == col(Membership.user_id))
            .where(NetworkMember.network_id == network_id)
            .distinct()
            .order_by(col(School.name), col(School.id))
        )
    )


def next_host(session: Session, network_id: int) -> School | None:
    """The member school after the last meeting's host, in turn (the first one to begin with)."""
    schools = member_schools(session, network_id)
    if not schools:
        return None
    last = session.exec(
        select(NetworkMeeting.host_school_id)
        .where(NetworkMeeting.network_id == network_id)
        .order_by(col(NetworkMeeting.date).desc(), col(NetworkMeeting.id).desc())
    ).first()
    ids = [s.id for s in schools]
    if last not in ids:
        return schools[0]
    return schools[(ids.index(last) + 1) % len(schools)]


def plan(session: Session, user: User, network_id: int, data: MeetingCreate) -> NetworkMeeting:
    network = networks.get_network(session, user, network_id)
    if not is_facilitator(network, user):
        raise NotFound()
    hosts = {s.id: s for s in member_schools(session, network_id)}
    if data.host_school_id is None:
        host = next_host(session, network_id)
        host_id = host.id if host else None
    elif data.host_school_id in hosts:
        host_id = data.host_school_id
    else:
        raise Invalid("host_school_id", "the host is one of the members' schools", kind="host")
    meeting = NetworkMeeting(
        network_id=network_id,
        date=data.date,
        start_time=data.start_time,
        host_school_id=host_id,
        theme=data.theme,
        part_minutes=data.part_minutes,
    )
    session.add(meeting)
    session.flush()
    networks.published(session, network, "meeting_planned")
    return meeting


def meetings(session: Session, user: User, network_id: int) -> list[NetworkMeeting]:
    networks.get_network(session, user, network_id)
    return network_meetings(session, network_id)


def network_meetings(session: Session, network_id: int) -> list[NetworkMeeting]:
    """The network's meetings, soonest first (the live channel; reach checked on join)."""
    return list(
        session.exec(
            select(NetworkMeeting)
            .where(NetworkMeeting.network_id == network_id)
            .order_by(col(NetworkMeeting.date), col(NetworkMeeting.id))
            .limit(100)
        )
    )


# --- bring and fetch ----------------------------------------------------------------------------


def agenda(session: Session, meeting_id: int) -> list[MeetingContribution]:
    return list(
        session.exec(
            select(MeetingContribution)
            .where(MeetingContribution.meeting_id == meeting_id)
            .order_by(col(MeetingContribution.position), col(MeetingContribution.id))
        )
    )


def contribute(
    session: Session, user: User, meeting_id: int, data: ContributionCreate
) -> MeetingContribution:
    """A member says what they bring or fetch: free text, or a practice or question of this
    network (its title or text stands in when no text is given)."""
    meeting, network = get_meeting(session, user, meeting_id)
    if meeting.status == ENDED:
        raise Invalid("kind", "the meeting has ended", kind="ended")
    text = data.text
    if data.practice_id is not None:
        practice = session.get(Practice, data.practice_id)
        if practice is None or practice.network_id != network.id:
            raise Invalid("practice_id", "not of this network", kind="elsewhere")
        text = text or practice.title[:500]
    if data.question_id is not None:
        question = session.get(Question, data.question_id)
        if question is None or question.network_id != network.id:
            raise Invalid("question_id", "not of this network", kind="elsewhere")
        text = text or question.text[:500]
    if not text:
        raise Invalid("text", "say what you bring or fetch", kind="missing")
    changed(session, meeting, network, "meeting_agenda", None)
    if meeting.status == ENDED:  # ended meanwhile: its summary has gone out
        raise Invalid("kind", "the meeting has ended", kind="ended")
    last = session.exec(
        select(func.max(MeetingContribution.position)).where(
            MeetingContribution.meeting_id == meeting_id
        )
    ).one()
    contribution = MeetingContribution(
        meeting_id=meeting_id,
        member_id=user.id,
        kind=data.kind,
        text=text,
        practice_id=data.practice_id,
        question_id=data.question_id,
        position=(last or 0) + 1,
    )
    session.add(contribution)
    session.flush()
    return contribution


def get_contribution(
    session: Session, user: User, contribution_id: int
) -> tuple[MeetingContribution, NetworkMeeting, Network]:
    contribution = session.get(MeetingContribution, contribution_id)
    if contribution is None:
        raise NotFound()
    meeting, network = get_meeting(session, user, contribution.meeting_id)
    return contribution, meeting, network


def withdraw(session: Session, user: User, contribution_id: int) -> NetworkMeeting:
    """A member withdraws what they said they would bring or fetch (their own only)."""
    contribution, meeting, network = get_contribution(session, user, contribution_id)
    if contribution.member_id != user.id:
        raise NotFound()
    changed(session, meeting, network, "meeting_agenda", None)
    if meeting.status == ENDED:
        raise Invalid("kind", "the meeting has ended", kind="ended")
    if require_id(contribution) in _under_way(session, meeting):
        raise Invalid("kind", "this part is covered or under way", kind="under_way")
    session.delete(contribution)
    session.flush()
    return meeting


def kept_in_place(meeting: NetworkMeeting) -> int:
    """How many parts, from the top of the agenda, keep their place: what a running meeting
    has covered and the part it is at (its current part is a place in the agenda)."""
    return meeting.current_part + 1 if meeting.status == RUNNING else 0


def _under_way(session: Session, meeting: NetworkMeeting) -> list[int]:
    """The parts that keep their place (`kept_in_place`), in their order."""
    kept = kept_in_place(meeting)
    return [require_id(c) for c in agenda(session, require_id(meeting))][:kept] if kept else []


def order(
    session: Session, user: User, meeting_id: int, read_at: int, ids: list[int]
) -> NetworkMeeting:
    """The facilitator orders the agenda: `ids` names every part once, in the new order."""
    meeting, network = facilitated(session, user, meeting_id)
    changed(session, meeting, network, "meeting_agenda", read_at)
    return _reorder(session, meeting, ids)


def _reorder(session: Session, meeting: NetworkMeeting, ids: list[int]) -> NetworkMeeting:
    """Under the meeting's lock: the parts in the order `ids` names them."""
    if meeting.status == ENDED:
        raise Invalid("order", "the meeting has ended", kind="ended")
    parts = {require_id(c): c for c in agenda(session, require_id(meeting))}
    if sorted(ids) != sorted(parts):
        raise Invalid("order", "name every part of the agenda once", kind="order")
    under_way = _under_way(session, meeting)
    if ids[: len(under_way)] != under_way:
        raise Invalid("order", "covered parts and the current one keep their place", "under_way")
    for position, part_id in enumerate(ids, start=1):
        parts[part_id].position = position
        session.add(parts[part_id])
    session.flush()
    return meeting


def move(
    session: Session, user: User, contribution_id: int, step: int, read_at: int
) -> NetworkMeeting:
    """One part up (-1) or down (+1): the up and down buttons of the agenda."""
    _part, meeting, network = get_contribution(session, user, contribution_id)
    if network.facilitator_id != user.id:
        raise NotFound()
    changed(session, meeting, network, "meeting_agenda", read_at)  # the lock, then the agenda
    ids = [require_id(c) for c in agenda(session, require_id(meeting))]
    if contribution_id not in ids:  # withdrawn meanwhile
        raise NotFound()
    at = ids.index(contribution_id)
    to = min(max(at + step, 0), len(ids) - 1)
    ids.insert(to, ids.pop(at))
    return _reorder(session, meeting, ids)


def agreements(session: Session, meeting_id: int) -> list[MeetingAgreement]:
    return list(
        session.exec(
            select(MeetingAgreement)
            .where(MeetingAgreement.meeting_id == meeting_id)
            .order_by(col(MeetingAgreement.id))
        )
    )


# --- answers ------------------------------------------------------------------------------------


def names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(wanted)))
    return {i: name for i, name in rows if i is not None}


def contribution_public(
    contribution: MeetingContribution, user: User, who: dict[int, str]
) -> ContributionPublic:
    return ContributionPublic(
        id=require_id(contribution),
        kind=contribution.kind,
        text=contribution.text,
        name=who.get(contribution.member_id or 0, ""),
        mine=contribution.member_id == user.id,
        practice_id=contribution.practice_id,
        question_id=contribution.question_id,
        position=contribution.position,
        covered=contribution.covered,
        note=contribution.note,
    )


def meeting_public(session: Session, user: User, meeting: NetworkMeeting) -> MeetingPublic:
    parts = agenda(session, require_id(meeting))
    who = names(session, {c.member_id for c in parts})
    host = session.get(School, meeting.host_school_id) if meeting.host_school_id else None
    return MeetingPublic(
        **meeting.model_dump(exclude={"created_at", "part_started_at"}),
        host_school=host.name if host else "",
        agenda=[contribution_public(c, user, who) for c in parts],
        agreements=[
            AgreementPublic(id=require_id(a), text=a.text, adoptions=a.adoptions)
            for a in agreements(session, require_id(meeting))
        ],
    )
