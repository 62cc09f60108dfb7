"""Build schools, people and boards straight through the services, and log people in."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

from app.models import (
    Board,
    BoardKind,
    BoardMember,
    Membership,
    Role,
    School,
    Team,
    TeamMember,
    User,
)
from app.security.passwords import hash_password
from app.services import accounts
from app.services.changes import take_outbox

PASSWORD = "wachtwoord123"


@lru_cache
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class World:
    """Two schools, each with a team and a board, and people in every role."""

    school: School
    team: Team
    board: Board
    leader: User
    teacher: User
    outsider_team: Team
    outsider_board: Board
    other_school: School
    other_board: Board
    other_teacher: User
    other_leader: User
    admin: User


class Factory:
    def __init__(self, app: FastAPI, client: TestClient) -> None:
        self.app = app
        self.client = client
        self._n = 0

    def session(self) -> Session:
        return Session(self.app.state.db.writer, expire_on_commit=False)

    def _save(self, *rows: Any) -> None:
        with self.session() as s:
            for row in rows:
                s.add(row)
            s.commit()
            for row in rows:
                s.refresh(row)

    def school(self, name: str = "De Regenboog", slug: str | None = None) -> School:
        self._n += 1
        school = School(name=name, slug=slug or f"school-{self._n}")
        self._save(school)
        return school

    def user(
        self,
        school: School | None = None,
        role: Role = Role.teacher,
        *,
        name: str = "",
        admin: bool = False,
    ) -> User:
        self._n += 1
        user = User(
            email=f"user{self._n}@example.nl",
            name=name or f"Gebruiker {self._n}",
            password_hash=password_hash(),
            is_admin=admin,
        )
        self._save(user)
        if school is not None:
            self._save(Membership(user_id=user.id, school_id=school.id, role=role))
        return user

    def team(self, school: School, name: str | None = None, members: tuple[User, ...] = ()) -> Team:
        self._n += 1
        team = Team(school_id=school.id, name=name or f"Team {self._n}")
        self._save(team)
        for member in members:
            self._save(TeamMember(team_id=team.id, user_id=member.id))
        return team

    def board(
        self,
        team: Team,
        kind: BoardKind = BoardKind.team,
        title: str = "Teambord",
        members: tuple[User, ...] = (),
    ) -> Board:
        board = Board(team_id=team.id, title=title, kind=kind)
        self._save(board)
        for member in members:
            self._save(BoardMember(board_id=board.id, user_id=member.id))
        return board

    def world(self) -> World:
        school = self.school()
        leader = self.user(school, Role.leader, name="Lotte Leider")
        teacher = self.user(school, Role.teacher, name="Tim Teacher")
        team = self.team(school, "Bovenbouw", (teacher,))
        board = self.board(team)
        outsider_team = self.team(school, "Onderbouw")
        outsider_board = self.board(outsider_team)
        other_school = self.school("De Klimop")
        other_teacher = self.user(other_school, Role.teacher)
        other_leader = self.user(other_school, Role.leader)
        other_team = self.team(other_school, "Groep 8", (other_teacher,))
        other_board = self.board(other_team)
        admin = self.user(admin=True, name="Beheerder")
        return World(
            school,
            team,
            board,
            leader,
            teacher,
            outsider_team,
            outsider_board,
            other_school,
            other_board,
            other_teacher,
            other_leader,
            admin,
        )

    def token(self, user: User) -> str:
        with self.session() as s:
            token, _ = accounts.create_token(s, s.get(User, user.id))
            s.commit()
        return token

    def api(self, user: User) -> dict[str, str]:
        """Authorization headers for `user`'s API calls."""
        return {"Authorization": f"Bearer {self.token(user)}"}

    def login(self, user: User, client: TestClient | None = None) -> str:
        """Log `user` in on `client` (a cookie session); returns the CSRF token for its forms."""
        client = client or self.client
        with self.session() as s:
            token, row = accounts.start_session(s, self.app.state.settings, s.get(User, user.id))
            take_outbox(s)
            s.commit()
        client.cookies.set("bord_session", token)
        return row.csrf_token

    def get(self, model: type, id_: int) -> Any:
        with self.session() as s:
            return s.get(model, id_)

    def all(self, model: type) -> list[Any]:
        with self.session() as s:
            return list(s.exec(select(model)))


def form_token(client: TestClient, path: str) -> str:
    """The one-time form token of the page at `path` (its forms' hidden `csrf_token`)."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, path
    return found[1]


@contextmanager
def statements_asked(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements the app sends while the block runs (its engines, any thread)."""
    asked: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        asked.append(statement)

    db = app.state.db
    engines = {id(e): e for e in (db.reader, db.writer)}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", seen)
    try:
        yield asked
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", seen)
