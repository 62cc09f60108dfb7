"""A school with a care board: its IB'er, a colleague they added, and everyone kept out."""

from dataclasses import dataclass

from sqlmodel import select

from app.models import Board, BoardKind, Membership, Role, User
from tests.factories import Factory, World

API = "/api/v1"


@dataclass
class CareWorld:
    w: World
    care: Board
    ib: User
    colleague: User  # a teacher the IB'er added to the care board
    officer: User  # a leader who is the school's privacy officer (not a member)
    other_ib: User  # an IB'er of the same school, not a member

    @property
    def members(self) -> list[User]:
        return [self.ib, self.colleague]

    @property
    def outsiders(self) -> list[User]:
        w = self.w
        return [
            w.teacher,
            w.leader,
            self.officer,
            self.other_ib,
            w.admin,
            w.other_teacher,
            w.other_leader,
        ]


def care_world(factory: Factory) -> CareWorld:
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ingrid IB")
    colleague = factory.user(w.school, Role.teacher, name="Carla Collega")
    officer = factory.user(w.school, Role.leader, name="Paul Privacy")
    with factory.session() as s:
        membership = s.exec(select(Membership).where(Membership.user_id == officer.id)).one()
        membership.privacy_officer = True
        s.add(membership)
        s.commit()
    other_ib = factory.user(w.school, Role.ib, name="Otto IB")
    care = factory.board(w.team, BoardKind.care, "Zorgbord", members=(ib, colleague))
    return CareWorld(w, care, ib, colleague, officer, other_ib)


def new_case(client, factory, cw: CareWorld, **body) -> dict:
    payload = {"pupil_code": "L-0412", "group": "5b", "concern": "Leest moeizaam", **body}
    answer = client.post(
        f"{API}/boards/{cw.care.id}/cases", json=payload, headers=factory.api(cw.ib)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()
