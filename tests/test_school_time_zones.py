"""Each school's days run on its own clock (`School.time_zone`): at one instant a school in
Curaçao (UTC−4) and one in Amsterdam see different todays, so a different answer to "is this
action late", "which week is it" and "which actions are mine this week", on every path: the
board's JSON and page (and their cache), an edit's answer, the overview, the stand-up's week,
the start page and care agreements."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from app import clock
from app.models import BoardKind, Role, School

API = "/api/v1"
CURACAO = ZoneInfo("America/Curacao")
# Monday 30 November 2026, 00:30 in Amsterdam: Sunday 29 November, 19:30 in Curaçao
INSTANT = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
SUNDAY = date(2026, 11, 29)


def two_schools(factory):
    """The factory's world (Amsterdam) and a Caribbean school alike: team, board, leader."""
    w = factory.world()
    caribbean = factory.school("Skol Kòrsou", "kolegio-korsou")
    with factory.session() as s:
        s.exec(update(School).where(School.id == caribbean.id).values(time_zone="America/Curacao"))
        s.commit()
    leader = factory.user(caribbean, Role.leader, name="Lucia Leider")
    teacher = factory.user(caribbean, Role.teacher, name="Tim Teacher")
    team = factory.team(caribbean, "Boven", (teacher,))
    board = factory.board(team)
    return w, caribbean, leader, teacher, board


def add_due_sunday(client, factory, user, board_id: int, title: str) -> dict:
    r = client.post(
        f"{API}/boards/{board_id}/actions",
        json={"title": title, "owner": "Tim", "due": SUNDAY.isoformat()},
        headers=factory.api(user),
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_due_sunday_is_late_in_amsterdam_and_due_today_in_curacao(client, factory):
    clock.set_now(INSTANT)
    w, caribbean, c_leader, c_teacher, c_board = two_schools(factory)
    ams = add_due_sunday(client, factory, w.leader, w.board.id, "Amsterdamse actie")
    cur = add_due_sunday(client, factory, c_leader, c_board.id, "Curaçaose actie")
    assert ams["late"] is True and cur["late"] is False  # the answers to the creation

    for leader, board, late in ((w.leader, w.board, True), (c_leader, c_board, False)):
        headers = factory.api(leader)
        (card,) = client.get(f"{API}/boards/{board.id}", headers=headers).json()["actions"]
        assert card["late"] is late
        school_id = w.school.id if board is w.board else caribbean.id
        body = client.get(f"{API}/schools/{school_id}/overview", headers=headers).json()
        assert [t["overdue"] for t in body["teams"] if t["board_id"] == board.id] == [int(late)]
        client.cookies.clear()
        factory.login(leader)
        assert ("card--late" in client.get(f"/boards/{board.id}").text) is late

    # the start page: late for the Amsterdam teacher, due this week for the Curaçao one
    client.cookies.clear()
    factory.login(c_teacher)
    page = client.get("/").text
    assert 'data-group="week"' in page and 'data-group="late"' not in page
    client.cookies.clear()
    factory.login(w.teacher)
    r = client.post(
        f"{API}/boards/{w.board.id}/actions",
        json={"title": "Mijn actie", "owner": "Tim", "due": SUNDAY.isoformat()},
        headers=factory.api(w.teacher),
    )
    assert r.status_code == 201
    page = client.get("/").text
    assert 'data-group="late"' in page and 'data-group="week"' not in page


def test_the_week_turns_at_each_schools_own_midnight(client, factory):
    clock.set_now(INSTANT)
    w, caribbean, c_leader, _teacher, c_board = two_schools(factory)
    ams = client.post(f"{API}/boards/{w.board.id}/sessions", headers=factory.api(w.leader))
    cur = client.post(f"{API}/boards/{c_board.id}/sessions", headers=factory.api(c_leader))
    assert ams.json()["week"] == "2026-W49"
    assert cur.json()["week"] == "2026-W48"
    body = client.get(f"{API}/schools/{caribbean.id}/overview", headers=factory.api(c_leader))
    (team,) = body.json()["teams"]
    assert body.json()["finished_weeks"][-1] == "2026-11-23"  # Curaçao's Monday of this week
    assert (team["sessions"][-1]["week"], team["sessions"][-1]["state"]) == ("2026-W48", "held")

    # four hours and a half later it is Monday in Curaçao too: a new week, not held yet
    clock.set_now(INSTANT + timedelta(hours=4, minutes=40))
    body = client.get(f"{API}/schools/{caribbean.id}/overview", headers=factory.api(c_leader))
    (team,) = body.json()["teams"]
    assert team["sessions"][-1]["week"] == "2026-W49"
    assert team["sessions"][-1]["state"] == "upcoming"
    assert team["sessions"][-2]["state"] == "held"


def test_a_cached_board_turns_late_at_its_schools_midnight(client, factory):
    """The board read cache keys on the school's day: at Curaçao's midnight the same board
    version is answered anew, though Amsterdam's day has not changed."""
    clock.set_now(datetime(2026, 11, 29, 23, 50, tzinfo=CURACAO))
    _w, _school, c_leader, _teacher, c_board = two_schools(factory)
    add_due_sunday(client, factory, c_leader, c_board.id, "Voor zondag")
    headers = factory.api(c_leader)
    client.cookies.clear()
    factory.login(c_leader)
    (card,) = client.get(f"{API}/boards/{c_board.id}", headers=headers).json()["actions"]
    assert card["late"] is False
    assert "card--late" not in client.get(f"/boards/{c_board.id}").text

    clock.set_now(datetime(2026, 11, 30, 0, 10, tzinfo=CURACAO))
    (card,) = client.get(f"{API}/boards/{c_board.id}", headers=headers).json()["actions"]
    assert card["late"] is True
    assert "card--late" in client.get(f"/boards/{c_board.id}").text


def test_a_display_screen_shows_late_by_its_schools_day(client, factory):
    """The TV's page and its live frames render through the board view, which reads the
    board's school's today itself."""
    clock.set_now(INSTANT)
    w, _school, c_leader, _teacher, c_board = two_schools(factory)
    for leader, board, late in ((w.leader, w.board, True), (c_leader, c_board, False)):
        add_due_sunday(client, factory, leader, board.id, "Op de tv")
        link = client.post(
            f"{API}/boards/{board.id}/screens", json={"label": "tv"}, headers=factory.api(leader)
        )
        assert link.status_code == 201, link.text
        client.cookies.clear()
        page = client.get(link.json()["path"])
        assert page.status_code == 200
        assert ("card--late" in page.text) is late


def test_care_agreements_are_late_by_the_care_boards_school(client, factory):
    clock.set_now(INSTANT)
    _w, caribbean, _leader, _teacher, _c_board = two_schools(factory)
    ib = factory.user(caribbean, Role.ib, name="Ingrid IB")
    care = factory.board(factory.team(caribbean, "Zorg"), BoardKind.care, "Zorgbord", (ib,))
    headers = factory.api(ib)
    case = client.post(
        f"{API}/boards/{care.id}/cases",
        json={"pupil_code": "K-1", "concern": "Leest moeizaam"},
        headers=headers,
    ).json()
    agreement = client.post(
        f"{API}/cases/{case['id']}/agreements",
        json={"title": "Toets afnemen", "due": SUNDAY.isoformat()},
        headers=headers,
    )
    assert agreement.status_code == 201, agreement.text
    assert agreement.json()["late"] is False
    clock.set_now(INSTANT + timedelta(hours=5))  # Monday 00:30 in Curaçao
    (read,) = client.get(f"{API}/cases/{case['id']}", headers=headers).json()["agreements"]
    assert read["late"] is True


def test_the_clock_takes_a_schools_zone():
    clock.set_now(INSTANT)
    curacao = clock.zone("America/Curacao")
    assert clock.today(curacao) == SUNDAY and clock.today() == date(2026, 11, 30)
    assert clock.start_of(SUNDAY, curacao) == datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
    assert clock.local(INSTANT, curacao).hour == 19
    # an unknown or empty zone falls back to the default rather than failing a page
    assert clock.zone("Mars/Olympus") is clock.SCHOOL_TZ and clock.zone("") is clock.SCHOOL_TZ
