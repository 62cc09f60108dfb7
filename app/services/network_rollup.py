"""The leernetwerken in a leader's overview: per network that people of the leader's schools take
part in, per school, how many practices its people shared and how many its teams adopted, with
those practices' titles. Nothing else of a network reaches the overview: no texts, no names, no
questions (the network itself stays for its members).

A practice counts for the school of the member who shared it (for each of the leader's schools
they are in); an adoption for the school of the board it was adopted onto.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col

from app.models import Adoption, Board, Membership, Network, NetworkMember, Practice, School, Team
from app.models.overview import NetworkSchoolPublic, SchoolNetworkPublic
from app.models.rows import require_id, select_columns

TITLES = 50  # the titles listed per school and network, newest first


@dataclass
class SchoolInNetwork:
    school: School
    shared: int = 0
    adopted: int = 0
    shared_titles: list[str] = field(default_factory=list)
    adopted_titles: list[str] = field(default_factory=list)


@dataclass
class NetworkLine:
    network_id: int
    name: str
    schools: list[SchoolInNetwork]


def per_network(session: Session, schools: Sequence[School]) -> list[NetworkLine]:
    """The networks people of `schools` are members of, by name; the caller checked that the
    reader leads these schools."""
    by_id = {require_id(s): s for s in schools}
    if not by_id:
        return []
    taking_part = session.exec(
        select_columns(col(NetworkMember.network_id), col(Membership.school_id))
        .join(Membership, col(Membership.user_id) == col(NetworkMember.user_id))
        .where(col(Membership.school_id).in_(by_id))
        .distinct()
    ).all()
    shared = session.exec(
        select_columns(col(Practice.network_id), col(Membership.school_id), col(Practice.title))
        .join(Membership, col(Membership.user_id) == col(Practice.shared_by_id))
        .where(col(Membership.school_id).in_(by_id))
        .order_by(col(Practice.id).desc())
    ).all()
    adopted = session.exec(
        select_columns(col(Practice.network_id), col(Team.school_id), col(Practice.title))
        .join(Adoption, col(Adoption.practice_id) == col(Practice.id))
        .join(Board, col(Board.id) == col(Adoption.board_id))
        .join(Team, col(Team.id) == col(Board.team_id))
        .where(col(Team.school_id).in_(by_id))
        .order_by(col(Adoption.id).desc())
    ).all()
    rows: dict[int, dict[int, SchoolInNetwork]] = defaultdict(dict)

    def row(network_id: int, school_id: int) -> SchoolInNetwork:
        found = rows[network_id].get(school_id)
        if found is None:
            found = rows[network_id][school_id] = SchoolInNetwork(by_id[school_id])
        return found

    for network_id, school_id in taking_part:
        row(network_id, school_id)
    for network_id, school_id, title in shared:
        line = row(network_id, school_id)
        line.shared += 1
        if len(line.shared_titles) < TITLES:
            line.shared_titles.append(title)
    for network_id, school_id, title in adopted:
        line = row(network_id, school_id)
        line.adopted += 1
        if title not in line.adopted_titles and len(line.adopted_titles) < TITLES:
            line.adopted_titles.append(title)
    names = dict(
        session.exec(
            select_columns(col(Network.id), col(Network.name)).where(col(Network.id).in_(rows))
        ).all()
    )
    lines = [
        NetworkLine(
            network_id,
            names[network_id],
            sorted(by_school.values(), key=lambda r: (r.school.name, require_id(r.school))),
        )
        for network_id, by_school in rows.items()
        if network_id in names
    ]
    return sorted(lines, key=lambda line: (line.name, line.network_id))


def public(lines: list[NetworkLine]) -> list[SchoolNetworkPublic]:
    return [
        SchoolNetworkPublic(
            network_id=line.network_id,
            name=line.name,
            schools=[
                NetworkSchoolPublic(
                    school_id=require_id(r.school),
                    shared=r.shared,
                    adopted=r.adopted,
                    shared_titles=r.shared_titles,
                    adopted_titles=r.adopted_titles,
                )
                for r in line.schools
            ],
        )
        for line in lines
    ]
