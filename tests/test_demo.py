"""The demo school: three teams with their boards, a Bovenbouw board with something in every area,
history written through the services, and a second run that changes nothing."""

from collections import Counter

import pytest
from sqlmodel import Session, SQLModel, func, select

from app import clock
from app.db import Database
from app.models import (
    ActionStatus,
    Adoption,
    Answer,
    Board,
    BoardEvent,
    HelpRequest,
    MeetingContribution,
    Membership,
    Network,
    NetworkMeeting,
    NetworkMember,
    PlanKind,
    Practice,
    Question,
    Role,
    School,
    TeamMember,
    User,
)
from app.security.passwords import verify_password
from app.services import demo, demo_network
from app.services.board_view import load_board
from app.services.deadlines import is_late


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.dispose()


def seed(db: Database) -> bool:
    with db.session() as session:
        return demo.seed(session)


def row_counts(db: Database) -> dict[str, int]:
    with Session(db.reader) as session:
        return {
            table.name: session.exec(select(func.count()).select_from(table)).one()
            for table in SQLModel.metadata.sorted_tables
        }


def test_demo_school_has_three_teams_each_with_a_board(db):
    assert seed(db) is True
    with Session(db.reader) as session:
        school = session.exec(select(School).where(School.slug == demo.SLUG)).one()
        assert (school.name, school.slug) == ("De Regenboog", "de-regenboog")
        boards = demo.team_boards(session)
        assert [(t.name, b.title) for t, b in boards] == [
            ("Bovenbouw", "Teambord Bovenbouw"),
            ("Middenbouw", "Teambord Middenbouw"),
            ("Onderbouw", "Teambord Onderbouw"),
        ]
        for team, _board in boards:
            members = session.exec(
                select(func.count()).select_from(TeamMember).where(TeamMember.team_id == team.id)
            ).one()
            assert members >= 3


def test_every_demo_login_works_with_the_printed_password(db):
    seed(db)
    with Session(db.reader) as session:
        users = {u.email: u for u in session.exec(select(User))}
        roles = Counter(session.exec(select(Membership.role)))
    assert set(users) == {email for email, _, _ in demo.logins()}
    one = users["directeur@deregenboog.nl"]
    assert verify_password(demo.PASSWORD, one.password_hash)
    assert len({u.password_hash for u in users.values()}) == 1  # hashed once
    assert users[demo.ADMIN_EMAIL].is_admin
    # De Regenboog's leader, and those of the network's two other schools
    assert roles[Role.leader] == 3 and roles[Role.ib] == 1 and roles[Role.teacher] >= 8


def test_bovenbouw_board_has_content_in_every_area(db):
    seed(db)
    with Session(db.reader) as session:
        board = {t.name: b for t, b in demo.team_boards(session)}["Bovenbouw"]
        view = load_board(session, board)
        events = session.exec(
            select(BoardEvent.version).where(BoardEvent.board_id == board.id)
        ).all()
    assert len(view.goals) == 2
    for goal in view.goals:
        assert goal.goal.metric and goal.goal.unit and goal.goal.target_date
        assert goal.goal.baseline is not None and goal.goal.target is not None
        assert len(goal.measurements) >= 4
    assert all(view.columns[status] for status in ActionStatus)
    assert len(view.actions) >= 8
    assert all(a.owner and a.due for a in view.actions)
    assert any(is_late(a, view.today) for a in view.actions)
    assert len(view.items["successes"]) == 3
    kinds = {item.kind for item in view.items["plan_items"]}
    assert kinds == {PlanKind.lesbezoek, PlanKind.lesontwerp, PlanKind.overig}
    assert any("Fatima bij Joris" in (i.who + i.text) for i in view.items["plan_items"])
    monday = view.today.toordinal() - view.today.weekday()
    weeks = {(i.date.toordinal() - monday) // 7 for i in view.items["plan_items"]}
    assert weeks == {0, 1}  # this week and next
    assert len(view.items["ideas"]) == 2
    assert [h.answer is not None for h in view.items["help_requests"]].count(True) == 1
    # every change went through the services: one event per version, none missing
    assert sorted(events) == list(range(1, board.version + 1))


def test_bovenbouw_has_a_history_of_bordsessies_and_a_check_in_trend(db):
    seed(db)
    with Session(db.reader) as session:
        board = {t.name: b for t, b in demo.team_boards(session)}["Bovenbouw"]
        view = load_board(session, board, with_session=True)
    assert view.stand_up is None  # this week's session is for the team to start
    assert len(view.session.trend) == 4
    assert view.session.suggested  # whose turn it is
    assert all(1 <= mood <= 5 for _, mood, _ in view.session.trend)


def test_other_boards_have_lighter_content(db):
    seed(db)
    with Session(db.reader) as session:
        for team, board in demo.team_boards(session):
            if team.name != "Bovenbouw":
                view = load_board(session, board)
                assert 0 < board.version < 20
                assert view.actions or view.goals


def test_seeding_twice_changes_nothing(db):
    assert seed(db) is True
    before = row_counts(db)
    with Session(db.reader) as session:
        versions = session.exec(select(Board.id, Board.version)).all()
    assert seed(db) is False
    assert row_counts(db) == before
    with Session(db.reader) as session:
        assert session.exec(select(Board.id, Board.version)).all() == versions
        assert session.exec(select(func.count()).select_from(HelpRequest)).one() == 2


def test_de_regenboog_learns_with_two_other_schools_in_a_network(db):
    seed(db)
    with Session(db.reader) as session:
        [network] = session.exec(select(Network)).all()
        assert network.name == demo_network.NAME
        members = session.exec(
            select(User.email, Membership.school_id)
            .join(NetworkMember, NetworkMember.user_id == User.id)
            .join(Membership, Membership.user_id == User.id)
            .where(NetworkMember.network_id == network.id)
        ).all()
        schools = {s.id: s.name for s in session.exec(select(School))}
        by_school = Counter(schools[school_id] for _email, school_id in members)
        assert set(by_school) == {"De Regenboog", "De Klimop", "OBS De Vlinder"}
        assert all(count >= 2 for count in by_school.values())  # a leader and a teacher each
        practices = {p.title: p for p in session.exec(select(Practice))}
        assert set(practices) == {"Leesmaatjes", "Rekenmuur", "Stilteplek"}
        assert practices["Leesmaatjes"].school == "De Regenboog"
        assert practices["Stilteplek"].school == ""  # shared without naming the school
        [adoption] = session.exec(select(Adoption)).all()
        assert adoption.practice_id == practices["Leesmaatjes"].id and adoption.how_it_went
        assert practices["Leesmaatjes"].adoptions == 1
        [question] = session.exec(select(Question)).all()
        [answer] = session.exec(select(Answer)).all()
        assert answer.question_id == question.id and answer.answered_by_id != question.asked_by_id
        [meeting] = session.exec(select(NetworkMeeting)).all()
        assert meeting.date > clock.today() and meeting.network_id == network.id
        kinds = session.exec(select(MeetingContribution.kind)).all()
        assert sorted(kinds) == ["bring", "fetch"]
    for email, _name, what in demo_network.logins():
        assert email in {e for e, _, _ in demo.logins()}
        assert "De Klimop" in what or "OBS De Vlinder" in what


def test_an_existing_demo_school_gets_its_network_once(db, monkeypatch):
    """A demo seeded before networks existed gets the network on the next run, and only once."""
    with monkeypatch.context() as before_networks:
        before_networks.setattr(demo_network, "ensure", lambda *args: False)
        assert seed(db) is True
    assert row_counts(db)["network"] == 0
    assert seed(db) is False
    before = row_counts(db)
    assert before["network"] == 1 and before["practice"] == 3
    assert seed(db) is False
    assert row_counts(db) == before
